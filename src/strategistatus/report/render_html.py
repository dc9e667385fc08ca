"""The report as one self-contained HTML file: inline CSS, charts as inline SVG, no script.

The same HTML is the source of the PDF (:mod:`.render_pdf`), so its print CSS is the PDF's
layout: A4, 2 cm margins, page numbers and the sender in the footer, table headers repeated
on every page, no page break right after a heading.

Every text is cleaned first (``text.clean_text``) and escaped by the template engine
(autoescape); the owner's Markdown subset is turned into HTML by :mod:`.richtext`, which
escapes every character outside its markup. The charts' SVG is drawn by Vega, which escapes
its text; the page CSS quotes its strings with :func:`css_string`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from strategistatus.text import clean_text, map_strings

from . import richtext
from .charts import render_svg
from .model import Chart, ReportModel, Table

# the page number in the footer; the only words the renderers add themselves
PAGE_LABEL = {"da": ("side ", " af "), "en": ("page ", " of ")}

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?")


class HtmlRenderer:
    suffix = ".html"

    def render(self, model: ReportModel) -> bytes:
        return html_document(model).encode("utf-8")


def html_document(model: ReportModel) -> str:
    """The report as an HTML document; the same model gives the same text."""
    model = map_strings(model, clean_text)
    return _template().render(
        model=model,
        css=Markup(_css()),
        page_css=Markup(page_css(model)),
        meta=meta_line(model),
        created=created(model),
    )


def meta_line(model: ReportModel) -> str:
    """The municipality and the school under the title, unless the title or the subtitle
    already names them."""
    shown = f"{model.title} {model.subtitle}"
    return " · ".join(x for x in (model.municipality, model.school) if x and x not in shown)


def created(model: ReportModel) -> str:
    """The document's date: the measurement date, so the same figures give the same file."""
    return dt.datetime.combine(model.at, dt.time(12, 0), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def page_css(model: ReportModel) -> str:
    """The page footer: the sender at the left, "side 3 af 7" at the right."""
    before, between = PAGE_LABEL.get(model.lang, PAGE_LABEL["en"])
    number = f"{css_string(before)} counter(page) {css_string(between)} counter(pages)"
    rules = [f"@bottom-right {{ content: {number}; }}"]
    if model.footer:
        rules.append(f"@bottom-left {{ content: {css_string(model.footer)}; }}")
    return "@page { " + " ".join(rules) + " }"


def _num_class(table: Table, column: int) -> Markup:
    numeric = column < len(table.numeric) and table.numeric[column]
    return Markup(' class="num"') if numeric else Markup("")


CHART_SCALE = 1.2
"""Charts are shown 1.2 times their drawn size (a trend chart about 16 cm wide, its text
about 9 pt), every chart at the same scale, so that their text has one size."""
_SIZE = re.compile(r'^<svg ([^>]*?)width="([\d.]+)" height="([\d.]+)"')


def _svg(chart: Chart) -> Markup:
    svg = _XML_DECL.sub("", render_svg(chart.spec)).strip()
    # shown CHART_SCALE times its drawn size (its viewBox keeps the drawing), and scaled down
    # on a narrow screen (max-width in the CSS)
    svg = _SIZE.sub(lambda m: f'<svg {m.group(1)}width="{float(m.group(2)) * CHART_SCALE:.0f}" '
                              f'height="{float(m.group(3)) * CHART_SCALE:.0f}"', svg, count=1)
    # the figure carries the description (role="img"); the drawing itself is hidden from
    # screen readers
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(svg)


def _inline(text: str) -> Markup:
    return Markup(richtext.runs_to_html(richtext.inline(text)))


def _block(text: str) -> Markup:
    return Markup(richtext.to_html(text, heading_level=3))


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("strategistatus.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md_inline"] = _inline
    env.filters["md_block"] = _block
    env.filters["md_plain"] = richtext.plain
    env.globals["num_class"] = _num_class
    env.globals["svg"] = _svg
    return env.get_template("report.html.j2")


@cache
def _css() -> str:
    return resources.files("strategistatus.report").joinpath("templates/report.css").read_text(
        encoding="utf-8")
