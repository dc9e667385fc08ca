"""The sections after the goals: the appendix per school, changes since the previous round,
data quality and sources."""

from __future__ import annotations

from typing import Any

from strategistatus import formatting as fmt
from strategistatus.i18n import language
from strategistatus.sources.registry import dataset_title

from .model import Lang, Section, Table
from .words import TEXT, grades, lit

HASH_SHOWN = 12
"""The characters of a file's SHA-256 shown in the sources (enough to find the file)."""


def per_school(figures: dict[str, Any], strategy: Any, lang: Lang) -> list[Section]:
    """The appendix per school (the administration's version only): pupils counted, with a
    municipal device, without, and the share, in the headline period; a note when all have
    one."""
    w = TEXT[lang]
    out = []
    for indicator_id, rows in figures.get("per_school", {}).items():
        if not rows:
            continue
        indicator = strategy.indicator(indicator_id)
        title, counted = _appendix_title(indicator, lang)
        body = [[str(r["name"]), fmt.count(r["denominator"], lang),
                 fmt.count(r["numerator"], lang),
                 fmt.count(r["denominator"] - r["numerator"], lang),
                 fmt.percent(100 * r["numerator"] / r["denominator"] if r["denominator"]
                             else None, lang)] for r in rows]
        pupils = sum(r["denominator"] for r in rows)
        with_one = sum(r["numerator"] for r in rows)
        total = [w["total"], fmt.count(pupils, lang), fmt.count(with_one, lang),
                 fmt.count(pupils - with_one, lang),
                 fmt.percent(100 * with_one / pupils if pupils else None, lang)]
        note = (w["all_have_one"].format(pupils=fmt.count(pupils, lang), grades=counted,
                                         schools=fmt.count(len(rows), lang))
                if pupils and with_one == pupils else None)
        table = Table(title, [w["school"], w["pupils"], w["with"], w["without"], w["share_with"]],
                      body, total=total, numeric=[False, True, True, True, True], note=note)
        out.append(Section(w["per_school"].format(title=title), tables=[table]))
    return out


def _appendix_title(indicator: Any, lang: Lang) -> tuple[str, str]:
    """The appendix's title, naming the grades it counts (the excepted ones said so), and
    those grades as read ("2.-7. klasse")."""
    w = TEXT[lang]
    scope = list(indicator.scope.grades or ()) if indicator.scope else []
    excepted = sorted({g for e in indicator.exceptions for g in (e.scope.grades or ())})
    counted = [g for g in scope if g not in excepted] or scope
    if indicator.id != "pupil_devices_0_7" or not counted:
        return indicator.title.get(lang), ""
    title = w["per_school_devices"].format(grades=grades(counted, lang))
    if excepted and scope:
        title += " " + w["excepted_by_decision"].format(grades=grades(excepted, lang))
    return title, grades(counted, lang)


def changes(figures: dict[str, Any], previous: tuple[str, dict[str, Any]] | None,
            strategy: Any, lang: Lang) -> Section:
    """Each indicator then and now: a share's difference in percentage points, a count's
    signed."""
    w = TEXT[lang]
    if previous is None:
        return Section(w["changes"], [w["changes_first"]])
    name, before = previous
    then = {i["indicator"]: i for g in before["goals"] for i in g["indicators"]}
    rows = []
    for g in figures["goals"]:
        for i in g["indicators"]:
            old = then.get(i["indicator"])
            if i["unit"] == "milestone" or old is None:
                continue
            diff = (None if i["value"] is None or old["value"] is None
                    else i["value"] - old["value"])
            shown = (fmt.signed(round(diff) if diff is not None else None, lang)
                     if i["unit"] == "count" else fmt.points(diff, lang))
            rows.append([strategy.indicator(i["indicator"]).title.get(lang),
                         fmt.value(old["value"], i["unit"], lang),
                         fmt.value(i["value"], i["unit"], lang), shown])
    heading = w["changes_since"].format(round=name)
    table = Table(heading, w["changes_head"], rows, numeric=[False, True, True, True])
    intro = [w["changes_school"]] if figures.get("school") else []
    return Section(heading, intro, tables=[table])


def quality(figures: dict[str, Any], lang: Lang) -> Section:
    """The strategy file's findings, empty and stale datasets, refused imports, unknown
    schools, devices to collect."""
    w = TEXT[lang]
    q = figures["quality"]
    lines = [w["q_strategy"].format(finding=lit(f)) for f in q["strategy"]]
    if q["empty"]:
        lines.append(w["q_empty"].format(names=", ".join(_title(n, lang) for n in q["empty"])))
    if q["stale"]:
        lines.append(w["q_stale"].format(names=", ".join(_title(n, lang) for n in q["stale"])))
    lines += [w["q_rejected"].format(file=lit(r["file_name"]), dataset=_title(r["dataset"], lang),
                                     date=fmt.date(r["attempted_at"], lang),
                                     bad=fmt.count(r["bad_rows"], lang),
                                     rows=fmt.count(r["rows_read"], lang))
              for r in q["rejections"]]
    lines += [w["q_unknown"].format(dataset=_title(name, lang), ids=", ".join(lit(i) for i in ids))
              for name, ids in q["unknown_schools"].items()]
    collect = next((i for g in figures["goals"] for i in g["indicators"]
                    if i["indicator"] == "devices_to_collect"), None)
    if collect and collect["value"]:
        lines.append(w["q_collect"].format(n=fmt.count(collect["value"], lang)))
    return Section(w["quality"], lines or [w["quality_ok"]])


def _title(dataset: str, lang: Lang) -> str:
    """A dataset's title in the report's language ("Elevlister" / "Pupils (roster)")."""
    with language(lang):
        return lit(dataset_title(dataset))


def sources(figures: dict[str, Any], lang: Lang) -> Section:
    """Every import batch behind the figures: dataset, the file's own name, date, rows and
    the first characters of its SHA-256; and the last day the data cover."""
    w = TEXT[lang]
    with language(lang):
        rows = [[dataset_title(s["dataset"]), s["file_name"], fmt.date(s["imported_at"], lang),
                 fmt.count(s["rows_read"], lang), str(s["sha256"])[:HASH_SHOWN]]
                for s in figures["sources"]]
    table = Table(w["sources_table"], w["sources_head"], rows,
                  numeric=[False, False, False, True, False])
    lines = [w["sources_intro"]]
    if figures.get("data_date"):
        lines.append(w["data_until"].format(date=fmt.date(figures["data_date"], lang)))
    return Section(w["sources"], lines, [table])
