"""One Markdown page per goal, in Danish and English, generated from the strategy file.

``python -m strategistatus.strategy.docs [OUTDIR]`` writes ``goal-1.md`` ... and a
``README.md`` index (default folder ``docs/goals``); a test fails when the committed pages
differ from the strategy file, so the pages cannot drift from it.

    >>> from strategistatus.strategy import load_strategy, shipped_strategy_path
    >>> pages = goal_pages(load_strategy(shipped_strategy_path()))
    >>> sorted(pages)[:2]
    ['README.md', 'goal-1.md']
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from .base import Text
from .indicator import APP_RECORDS, APP_SOURCE, Indicator, Parameter
from .loader import load_strategy, shipped_strategy_path
from .model import Goal, Strategy
from .scope import Scope
from .targets import DecidedException, Target

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")
DEFAULT_OUTDIR = "docs/goals"
INDEX = "README.md"
COMMAND = "python -m strategistatus.strategy.docs"

MONTHS: dict[Lang, tuple[str, ...]] = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

# The words of the status rules (strategistatus.status.rules), worst first as a goal takes
# them, with what each means in plain words.
STATUS_WORDS: tuple[tuple[str, dict[Lang, str], dict[Lang, str]], ...] = (
    ("not_met", {"da": "ikke opfyldt", "en": "not met"}, {
        "da": "Fristen er passeret, og værdien nåede ikke målværdien (en milepæl blev ikke "
              "gennemført til tiden).",
        "en": "The deadline has passed and the value did not reach the target (a milestone "
              "was not done in time).",
    }),
    ("at_risk", {"da": "i fare", "en": "at risk"}, {
        "da": "Fristen er endnu ikke nået, men prognosen når ikke målværdien til fristen, "
              "eller der er endnu for få perioder til en prognose (en milepæl er planlagt "
              "efter fristen).",
        "en": "The deadline is still ahead, but the forecast does not reach the target by "
              "the deadline, or there are too few periods yet for a forecast (a milestone is "
              "planned after the deadline).",
    }),
    ("no_data", {"da": "ingen data", "en": "no data"}, {
        "da": "Der er ingen importerede data at beregne værdien ud fra.",
        "en": "There are no imported data to compute the value from.",
    }),
    ("in_progress", {"da": "i gang", "en": "in progress"}, {
        "da": "Målværdien har ingen frist og er ikke nået endnu (en milepæl uden planlagt "
              "dato er ikke gennemført endnu).",
        "en": "The target has no deadline and is not reached yet (a milestone without a "
              "planned date is not done yet).",
    }),
    ("on_track", {"da": "på vej", "en": "on track"}, {
        "da": "Fristen er endnu ikke nået, og prognosen når målværdien til fristen (en "
              "milepæl er planlagt til fristen eller før).",
        "en": "The deadline is still ahead and the forecast reaches the target by the "
              "deadline (a milestone is planned on or before the deadline).",
    }),
    ("met", {"da": "opfyldt", "en": "met"}, {
        "da": "Værdien har nået målværdien (milepælen er gennemført).",
        "en": "The value has reached the target (the milestone is done).",
    }),
    ("informational", {"da": "til orientering", "en": "informational"}, {
        "da": "Indikatoren har ingen målværdi; tallet vises kun til orientering og tæller "
              "ikke med i målets status.",
        "en": "The indicator has no target; the figure is shown for information only and "
              "does not count in the goal's status.",
    }),
)

UNITS: dict[str, dict[Lang, str]] = {
    "percent": {"da": "procent (0-100)", "en": "percent (0-100)"},
    "count": {"da": "antal", "en": "count"},
    "number": {"da": "tal", "en": "number"},
    "milestone": {"da": "milepæl", "en": "milestone"},
}

KINDS: dict[str, dict[Lang, str]] = {
    "ratio": {"da": "andel (tæller divideret med nævner)",
              "en": "ratio (a share: numerator divided by denominator)"},
    "count": {"da": "optælling", "en": "count"},
    "milestone": {"da": "milepæl (gennemført eller ej)", "en": "milestone (done or not)"},
}

PERIODS: dict[str | None, dict[Lang, str]] = {
    None: {"da": "på opgørelsesdagen", "en": "at the measurement date"},
    "school_year": {"da": "pr. skoleår (1. august-31. juli)",
                    "en": "per school year (1 August-31 July)"},
    "calendar_year": {"da": "pr. kalenderår", "en": "per calendar year"},
    "month": {"da": "pr. måned", "en": "per month"},
}

PARAMETERS: dict[str, dict[Lang, str]] = {
    "replacement_years": {"da": "udskiftningsalder i år", "en": "replacement age in years"},
    "kinds": {"da": "de typer, der tælles med", "en": "the kinds counted"},
    "roles": {"da": "de roller, der tælles med", "en": "the roles counted"},
    "role": {"da": "rollen, der tælles med", "en": "the role counted"},
    "plan_kind": {"da": "plantypen, der tælles med", "en": "the plan kind counted"},
    "platforms": {"da": "de platforme, der tælles med", "en": "the platforms counted"},
    "programme_contains": {"da": "uddannelsens navn indeholder",
                           "en": "the programme's name contains"},
    "signed_in_within_days": {"da": "logget ind inden for så mange dage",
                              "en": "signed in within this many days"},
}

APP_RECORDS_DA: dict[str, str] = {
    "accounts": "brugerkonti i strategistatus: rolle, skole, seneste login",
    "sign_ins": "logins i strategistatus med tidspunkt og konto",
}

WORDS: dict[str, dict[Lang, str]] = {
    "section": {"da": "Dansk", "en": "English"},
    "goal": {"da": "Mål", "en": "Goal"},
    "owner": {"da": "Ejer", "en": "Owner"},
    "no_owner": {"da": "ikke angivet", "en": "not given"},
    "indicators": {"da": "Indikatorer", "en": "Indicators"},
    "no_indicators": {"da": "Målet har endnu ingen indikatorer.",
                      "en": "The goal has no indicators yet."},
    "id": {"da": "Id (kode)", "en": "Id (code)"},
    "definition": {"da": "Definition", "en": "Definition"},
    "unit": {"da": "Enhed", "en": "Unit"},
    "kind": {"da": "Type", "en": "Kind"},
    "period": {"da": "Opgøres", "en": "Measured"},
    "uses": {"da": "Data (datasæt og kolonner)", "en": "Data (datasets and columns)"},
    "app": {"da": "strategistatus' egne data", "en": "strategistatus' own data"},
    "scope": {"da": "Afgrænsning", "en": "Scope"},
    "no_scope": {"da": "ikke afgrænset (alle)", "en": "not limited (all)"},
    "targets": {"da": "Målværdier", "en": "Targets"},
    "no_targets": {"da": "ingen, indikatoren er til orientering",
                   "en": "none, the indicator is informational"},
    "exceptions": {"da": "Besluttede undtagelser", "en": "Decided exceptions"},
    "no_exceptions": {"da": "ingen", "en": "none"},
    "applies_to": {"da": "Gælder", "en": "Applies to"},
    "whole_scope": {"da": "hele indikatorens afgrænsning", "en": "the indicator's whole scope"},
    "decision": {"da": "Beslutning", "en": "Decision"},
    "decided_by": {"da": "Besluttet af", "en": "Decided by"},
    "decided": {"da": "Besluttet den", "en": "Decided on"},
    "reference": {"da": "Reference", "en": "Reference"},
    "label": {"da": "Vises i rapporter som", "en": "Shown in reports as"},
    "milestone": {"da": "Milepæl (navn i datasættet milestones)",
                  "en": "Milestone (name in the milestones dataset)"},
    "parameters": {"da": "Parametre", "en": "Parameters"},
    "indicator_owner": {"da": "Ansvarlig for indikatoren", "en": "Responsible for the indicator"},
    "yes": {"da": "ja", "en": "yes"},
    "no": {"da": "nej", "en": "no"},
    "at_least": {"da": "mindst", "en": "at least"},
    "at_most": {"da": "højst", "en": "at most"},
    "deadline": {"da": "frist", "en": "deadline"},
    "no_deadline": {"da": "uden frist", "en": "no deadline"},
    "milestone_done": {"da": "milepælen er gennemført", "en": "the milestone is done"},
    "no_value": {"da": "ingen værdi", "en": "no value"},
    "danish_only": {"da": "", "en": " (in Danish only)"},
    "grades": {"da": "klasse", "en": "grades"},
    "school_kinds": {"da": "skoletyper", "en": "school kinds"},
    "all_goals": {"da": "Alle mål", "en": "All goals"},
    "datasets_doc": {"da": "om datasættene", "en": "about the datasets"},
    "decides": {"da": "Afgør målets status", "en": "Decides the goal's status"},
    "informs": {"da": "nej, til orientering", "en": "no, for information"},
    "not_measured": {"da": "Måles ikke (målejeren vurderer)",
                     "en": "Not measured (the goal's owner judges)"},
}


def goal_pages(strategy: Strategy) -> dict[str, str]:
    """The pages of ``strategy``: ``goal-<number>.md`` per goal and ``README.md`` as index."""
    pages = {_file_name(goal): _goal_page(strategy, goal) for goal in strategy.goals}
    pages[INDEX] = _index_page(strategy)
    return pages


def write_pages(strategy: Strategy, outdir: str | Path) -> list[Path]:
    """Write the pages to ``outdir`` and remove goal pages of goals no longer in the file."""
    folder = Path(outdir)
    folder.mkdir(parents=True, exist_ok=True)
    pages = goal_pages(strategy)
    for old in folder.glob("goal-*.md"):
        if old.name not in pages:
            old.unlink()
    written = []
    for name, text in pages.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


# --- the pages -------------------------------------------------------------------------


def _file_name(goal: Goal) -> str:
    return f"goal-{goal.number}.md"


def _generated_note(strategy: Strategy) -> list[str]:
    return [
        f"> Genereret fra strategifilen `{strategy.id}`. Ret i strategifilen og kør "
        f"`{COMMAND}`, ikke her.",
        f"> Generated from the strategy file `{strategy.id}`. Edit the strategy file and run "
        f"`{COMMAND}`, not this page.",
    ]


def _goal_page(strategy: Strategy, goal: Goal) -> str:
    lines = [
        f"# {WORDS['goal']['da']} {goal.number} / {WORDS['goal']['en']} {goal.number}",
        "",
        *_generated_note(strategy),
        "",
        f"[{WORDS['all_goals']['da']} / {WORDS['all_goals']['en']}]({INDEX})",
    ]
    for lang in LANGS:
        lines += ["", f"## {WORDS['section'][lang]}", ""]
        lines.append(f"**{WORDS['goal'][lang]} {goal.number}:** {_text(goal.title, lang)}")
        lines += ["", f"**{WORDS['owner'][lang]}:** {_md(goal.owner or WORDS['no_owner'][lang])}"]
        if goal.not_measured:
            parts = ", ".join(_text(part, lang) for part in goal.not_measured)
            lines += ["", f"**{WORDS['not_measured'][lang]}:** {parts}"]
        if not goal.indicators:
            lines += ["", WORDS["no_indicators"][lang]]
        for indicator in goal.indicators:
            lines += ["", *_indicator(indicator, lang)]
    return "\n".join(lines) + "\n"


def _indicator(indicator: Indicator, lang: Lang) -> list[str]:
    w = {key: words[lang] for key, words in WORDS.items()}
    lines = [
        f"### {_text(indicator.title, lang)}",
        "",
        f"- **{w['id']}:** `{indicator.id}`",
        f"- **{w['definition']}:** {_text(indicator.definition, lang)}",
        f"- **{w['unit']}:** {UNITS[indicator.unit][lang]}",
        f"- **{w['kind']}:** {KINDS[indicator.kind][lang]}",
        f"- **{w['period']}:** {PERIODS[indicator.period][lang]}",
    ]
    if indicator.owner:
        lines.append(f"- **{w['indicator_owner']}:** {_md(indicator.owner)}")
    lines.append(f"- **{w['decides']}:** {w['yes'] if indicator.deciding else w['informs']}")
    lines.append(f"- **{w['uses']}** ([{w['datasets_doc']}](../datasets.md)):")
    for dataset, columns in indicator.uses.items():
        lines.append(f"  - {_uses(dataset, columns, lang)}")
    scope = _scope(indicator.scope, lang) if indicator.scope else ""
    lines.append(f"- **{w['scope']}:** {scope or w['no_scope']}")
    if indicator.milestone is not None:
        lines.append(f"- **{w['milestone']}:** \"{_md(indicator.milestone)}\"")
    if indicator.targets:
        lines.append(f"- **{w['targets']}:**")
        lines += [f"  - {_target(t, indicator, lang)}" for t in indicator.targets]
    else:
        lines.append(f"- **{w['targets']}:** {w['no_targets']}")
    if indicator.exceptions:
        lines.append(f"- **{w['exceptions']}:**")
        for exception in indicator.exceptions:
            lines += _exception(exception, lang)
    else:
        lines.append(f"- **{w['exceptions']}:** {w['no_exceptions']}")
    if indicator.parameters:
        lines.append(f"- **{w['parameters']}:**")
        for name, value in indicator.parameters.items():
            meaning = PARAMETERS.get(name, {}).get(lang)
            shown = f"`{name}` ({meaning})" if meaning else f"`{name}`"
            lines.append(f"  - {shown}: {_parameter(value, lang)}")
    return lines


def _uses(dataset: str, columns: list[str], lang: Lang) -> str:
    if dataset != APP_SOURCE:
        return f"`{dataset}`: " + ", ".join(f"`{c}`" for c in columns)
    records = []
    for record in columns:
        meaning = (APP_RECORDS_DA if lang == "da" else APP_RECORDS).get(record)
        meaning = meaning or APP_RECORDS.get(record)
        records.append(f"`{record}` ({_md(meaning)})" if meaning else f"`{record}`")
    return f"`{APP_SOURCE}` ({WORDS['app'][lang]}): " + ", ".join(records)


def _target(target: Target, indicator: Indicator, lang: Lang) -> str:
    if target.value is None:
        what = WORDS["milestone_done" if indicator.kind == "milestone" else "no_value"][lang]
    else:
        what = f"{WORDS[target.direction][lang]} {_value(target.value, indicator.unit, lang)}"
    if target.deadline is None:
        return f"{what}, {WORDS['no_deadline'][lang]}"
    return f"{what}, {WORDS['deadline'][lang]} {_date(target.deadline, lang)}"


def _exception(exception: DecidedException, lang: Lang) -> list[str]:
    w = {key: words[lang] for key, words in WORDS.items()}
    scope = _scope(exception.scope, lang) or w["whole_scope"]
    lines = [
        f"  - **{w['applies_to']}:** {scope}",
        f"    - {w['decision']}: {_text(exception.decision, lang)}",
        f"    - {w['decided_by']}: {_md(exception.decided_by)}",
    ]
    if exception.decided is not None:
        lines.append(f"    - {w['decided']}: {_date(exception.decided, lang)}")
    if exception.reference:
        lines.append(f"    - {w['reference']}: {_md(exception.reference)}")
    if exception.label is not None:
        lines.append(f"    - {w['label']}: \"{_text(exception.label, lang)}\"")
    return lines


def _index_page(strategy: Strategy) -> str:
    lines = [
        f"# {_text(strategy.title, 'da')} / {_text(strategy.title, 'en')}",
        "",
        *_generated_note(strategy),
    ]
    for lang in LANGS:
        lines += ["", f"## {WORDS['section'][lang]}", "", *_about(strategy, lang)]
        lines += ["", f"### {_H_GOALS[lang]}", ""]
        for goal in strategy.goals:
            count = len(goal.indicators)
            lines.append(
                f"- [{WORDS['goal'][lang]} {goal.number}]({_file_name(goal)}): "
                f"{_text(goal.title, lang)} ({WORDS['owner'][lang].lower()}: "
                f"{_md(goal.owner or WORDS['no_owner'][lang])}; {_count(count, lang)})"
            )
        lines += ["", f"### {_H_STATUS[lang]}", "", _STATUS_INTRO[lang], ""]
        other: Lang = "en" if lang == "da" else "da"
        for _code, word, meaning in STATUS_WORDS:
            lines.append(f"- **{word[lang]}** ({word[other]}): {meaning[lang]}")
        lines += ["", f"### {_H_HOW[lang]}", "", *_HOW[lang]]
    return "\n".join(lines) + "\n"


def _about(strategy: Strategy, lang: Lang) -> list[str]:
    period = f"{_date(strategy.period.start, lang)} - {_date(strategy.period.end, lang)}"
    if lang == "da":
        lines = [f"Strategien `{strategy.id}` for kommune nr. {strategy.municipality}"
                 + (f", {_md(strategy.department)}" if strategy.department else "")
                 + f". Strategiperiode: {period}."]
        if strategy.adopted:
            lines[0] += f" Vedtaget {_date(strategy.adopted, lang)}."
        lines += ["", "Hver side viser et mål med dets indikatorer: hvad der tælles, ud fra "
                      "hvilke data, og hvilke målværdier og frister det holdes op imod."]
    else:
        lines = [f"The strategy `{strategy.id}` of municipality no. {strategy.municipality}"
                 + (f", {_md(strategy.department)}" if strategy.department else "")
                 + f". Strategy period: {period}."]
        if strategy.adopted:
            lines[0] += f" Adopted {_date(strategy.adopted, lang)}."
        lines += ["", "Each page shows one goal with its indicators: what is counted, from "
                      "which data, and the targets and deadlines it is held to."]
    return lines


_H_GOALS: dict[Lang, str] = {"da": "Målene", "en": "The goals"}
_H_STATUS: dict[Lang, str] = {"da": "Statusord", "en": "Status words"}
_H_HOW: dict[Lang, str] = {"da": "Prognose og målets status",
                           "en": "Forecast and the goal's status"}
_STATUS_INTRO: dict[Lang, str] = {
    "da": "Hver indikator får et statusord på opgørelsesdagen. Har en indikator flere "
          "målværdier, gælder den første med en frist på opgørelsesdagen eller senere; er "
          "alle frister passeret, gælder den sidste. Ordene står fra værst til bedst:",
    "en": "Each indicator gets a status word at the measurement date. When an indicator has "
          "several targets, the first with a deadline on or after the measurement date "
          "applies; when all deadlines have passed, the last one. The words are listed from "
          "worst to best:",
}
_HOW: dict[Lang, list[str]] = {
    "da": [
        "Prognosen er en ret linje lagt gennem de tidligere perioders værdier med mindste "
        "kvadraters metode og aflæst på fristen. Når linjen når målværdien ved fristen, er "
        "indikatoren \"på vej\"; ellers, eller med færre end to perioder, er den \"i fare\".",
        "",
        "Et måls status er den værste af dets indikatorers status (indikatorer til "
        "orientering tæller ikke med), medmindre målets ejer selv sætter status med en "
        "skriftlig begrundelse. Den del af en indikator, som en besluttet undtagelse "
        "dækker, vises stadig, men som undtaget efter beslutning og ikke som manglende "
        "opfyldelse.",
    ],
    "en": [
        "The forecast is a straight line fitted by least squares through the earlier "
        "periods' values and read at the deadline. When the line reaches the target at the "
        "deadline, the indicator is \"on track\"; otherwise, or with fewer than two periods, "
        "it is \"at risk\".",
        "",
        "A goal's status is the worst status of its indicators (informational indicators do "
        "not count), unless the goal's owner sets the status with a written reason. The part "
        "of an indicator that a decided exception covers is still shown, but as excepted by "
        "decision, not as a failure.",
    ],
}


# --- small formatting helpers ------------------------------------------------------------


def _count(count: int, lang: Lang) -> str:
    if lang == "da":
        return f"{count} indikator" + ("" if count == 1 else "er")
    return f"{count} indicator" + ("" if count == 1 else "s")


def _date(day: date, lang: Lang) -> str:
    """31. december 2017 (da) / 31 December 2017 (en)."""
    dot = "." if lang == "da" else ""
    return f"{day.day}{dot} {MONTHS[lang][day.month - 1]} {day.year}"


def _number(value: float, lang: Lang) -> str:
    """4492 -> 4.492 / 4,492; 12.5 -> 12,5 / 12.5."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    if lang == "da":
        text = text.replace(",", "X").replace(".", ",").replace("X", ".")
    return text


def _value(value: float, unit: str, lang: Lang) -> str:
    number = _number(value, lang)
    if unit == "percent":
        return f"{number} %" if lang == "da" else f"{number}%"
    return number


def _parameter(value: Parameter, lang: Lang) -> str:
    if isinstance(value, bool):
        return WORDS["yes" if value else "no"][lang]
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value)
    if isinstance(value, int | float):
        return _number(value, lang)
    return f"`{value}`"


def _grades(grades: tuple[int, ...], lang: Lang) -> str:
    """(0, ..., 7) -> "0.-7. klasse" / "grades 0-7"; (2, 4) -> "2. og 4. klasse"."""
    runs: list[tuple[int, int]] = []
    for grade in grades:
        if runs and grade == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], grade)
        else:
            runs.append((grade, grade))
    if lang == "da":
        parts = [f"{a}." if a == b else f"{a}.-{b}." for a, b in runs]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
        return f"{joined} klasse"
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    word = "grade" if len(grades) == 1 else "grades"
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{word} {joined}"


def _scope(scope: Scope, lang: Lang) -> str:
    parts = []
    if scope.grades:
        parts.append(_grades(scope.grades, lang))
    if scope.school_kinds:
        kinds = ", ".join(f"`{k}`" for k in scope.school_kinds)
        parts.append(f"{WORDS['school_kinds'][lang]}: {kinds}")
    return "; ".join(parts)


def _text(text: Text, lang: Lang) -> str:
    """The text in ``lang``; the Danish one, marked as such, when no translation is given."""
    shown = _md(text.get(lang))
    if lang == "en" and not text.en:
        shown += WORDS["danish_only"]["en"]
    return shown


_MARKUP = re.compile(r"([\\`*\[\]<]|(?<![0-9A-Za-zæøåÆØÅ])_|_(?![0-9A-Za-zæøåÆØÅ]))")


def _md(text: str) -> str:
    """Plain text safe inside Markdown (no accidental emphasis, code or links); line breaks
    become spaces so that a text stays within its list item."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


# --- command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Write one Markdown page per goal (Danish and English) and an index, "
        "generated from the strategy file.",
    )
    parser.add_argument("outdir", nargs="?", default=DEFAULT_OUTDIR,
                        help=f"the folder to write to (default: {DEFAULT_OUTDIR})")
    parser.add_argument("--strategy", default=None,
                        help="the strategy file (default: the shipped Aalborg 2017 strategy)")
    args = parser.parse_args(argv)
    strategy = load_strategy(args.strategy or shipped_strategy_path())
    written = write_pages(strategy, args.outdir)
    print(f"wrote {len(written)} pages to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
