"""Accessibility checks run in the page: axe-core, and a few checks of our own that axe does
not make (one h1, tables with captions and scoped headers, status marks with a text label).

axe-core comes from npm (tests/browser/package.json; `npm ci --prefix tests/browser`). It is
injected as a script, which the app's CSP (no inline script) forbids, so the page must be
opened in a browser context made with bypass_csp=True.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """All axe-core violations on the page (WCAG 2.x A/AA and best practice rules)."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `npm ci --prefix tests/browser`")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")


# Our own checks, over the DOM. Each problem is one line of text.
OWN_CHECKS = r"""() => {
  const problems = [];
  const text = el => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const lang = document.documentElement.getAttribute('lang');
  if (!lang || !/^(da|en)\b/.test(lang)) problems.push(`html lang is ${JSON.stringify(lang)}`);
  if (!text(document.querySelector('title') || document.createElement('x')))
    problems.push('the page has no title');
  const h1 = document.querySelectorAll('h1');
  if (h1.length !== 1) problems.push(`${h1.length} h1 elements, expected 1`);
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (level > last + 1) problems.push(`heading ${h.tagName} "${text(h)}" skips a level`);
    if (!text(h)) problems.push(`empty ${h.tagName}`);
    last = level;
  }
  if (!document.querySelector('main')) problems.push('no main landmark');
  for (const t of document.querySelectorAll('table')) {
    const cap = t.querySelector(':scope > caption');
    if (!cap || !text(cap)) problems.push('a table without a caption');
    const name = cap ? text(cap) : '?';
    if (!t.querySelector('thead th')) problems.push(`table "${name}" has no header row`);
    for (const th of t.querySelectorAll('th'))
      if (!['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope')))
        problems.push(`table "${name}": th "${text(th)}" has no scope`);
  }
  for (const f of document.querySelectorAll('input, select, textarea')) {
    if (f.type === 'hidden') continue;
    const named = (f.labels && f.labels.length && text(f.labels[0])) ||
      f.getAttribute('aria-label') || f.getAttribute('aria-labelledby');
    if (!named) problems.push(`form field ${f.name || f.id || f.tagName} has no label`);
  }
  for (const a of document.querySelectorAll('a[href], button')) {
    if (!text(a) && !a.getAttribute('aria-label')) problems.push(`${a.tagName} without text`);
  }
  // a status mark is a coloured symbol; the status must also be said in words beside it
  for (const m of document.querySelectorAll('.mark')) {
    const next = m.nextSibling ? (m.nextSibling.textContent || '').trim() : '';
    if (!next) problems.push(`status mark "${text(m)}" has no text label after it`);
    if (m.getAttribute('aria-hidden') !== 'true' && !m.getAttribute('aria-label'))
      problems.push(`status mark "${text(m)}" is read out as a bare symbol`);
  }
  return problems;
}"""


def own_problems(page: Any) -> list[str]:
    return page.evaluate(OWN_CHECKS)


def report(page: Any) -> tuple[list[str], list[str]]:
    """(failures, notes): serious/critical axe violations and our own problems fail; axe's
    moderate and minor findings are returned as notes to print."""
    failures, notes = [], []
    for v in axe_violations(page):
        line = f"axe {v['impact']}: {v['id']} ({v['help']}): " + "; ".join(v["nodes"][:5])
        (failures if v["impact"] in FAILING_IMPACTS else notes).append(line)
    failures += [f"own check: {p}" for p in own_problems(page)]
    return failures, notes
