"""Writing reports: figures now or of a closed round, worded per language, in every format."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import re
from pathlib import Path
from typing import Any

from strategistatus.errors import InputError, mask_cpr
from strategistatus.status import evaluate
from strategistatus.status.dates import measurement_date
from strategistatus.strategy import load_strategy
from strategistatus.text import clean_line, clean_text
from strategistatus.workspace import Workspace

from . import figures as figures_mod
from .build import build
from .model import Audience, Lang, Renderer

FORMATS = ("md", "html", "docx", "pdf")


def renderer(fmt: str) -> Renderer:
    if fmt == "md":
        from .render_md import MarkdownRenderer

        return MarkdownRenderer()
    if fmt == "html":
        from .render_html import HtmlRenderer

        return HtmlRenderer()
    if fmt == "docx":
        from .render_docx import DocxRenderer

        return DocxRenderer()
    if fmt == "pdf":
        from .render_pdf import PdfRenderer

        return PdfRenderer()
    raise InputError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")


def round_figures(store: Any, strategy: Any, ws: Workspace, round_name: str | None,
                  at: dt.date | None, school: str | None,
                  municipal: dict[str, dict[str, Any]] | None = None
                  ) -> tuple[dict[str, Any], dt.date]:
    """The figures of a closed round (frozen), or computed now at ``at`` (by default the
    date the data cover: ``status.dates.measurement_date``)."""
    if round_name:
        closed = store.reports.round(round_name)
        if closed is not None:
            frozen = closed["figures"]
            key = school or "_municipality"
            if key in frozen.get("by_school", {}):
                return frozen["by_school"][key], closed["measured_at"]
            if school is None:
                return frozen["municipality"], closed["measured_at"]
    day = measurement_date(store, at)
    return figures_mod.collect(store, strategy, ws.strategy_path, day, school=school,
                               municipal=municipal), day


def previous_round(store: Any, round_name: str | None, at: dt.date, school: str | None = None
                   ) -> tuple[str, dict[str, Any]] | None:
    """The latest closed round before ``at`` (not ``round_name``) and its figures: the
    municipality's, or the school's (None when that round kept none for the school)."""
    earlier = [r for r in store.reports.rounds() if r["round"] != round_name
               and r["measured_at"] < at]
    if not earlier:
        return None
    last = earlier[-1]["round"]
    frozen = store.reports.round(last)["figures"]
    if school is None:
        return last, frozen["municipality"]
    mine = frozen.get("by_school", {}).get(school)
    return (last, mine) if mine is not None else None


def _public(store: Any, strategy: Any, ws: Workspace, round_name: str | None,
            at: dt.date | None, school: str | None, today: dt.date | None
            ) -> tuple[dict[str, Any], tuple[str, dict[str, Any]] | None]:
    """The public version's figures and those of the round before, both public."""
    from strategistatus.disclosure import PublicRelease

    from .public import public_figures

    if school is not None:
        raise InputError("the public version is the municipality's only; leave out --school")
    closed = store.reports.round(round_name) if round_name else None
    day = closed["measured_at"] if closed else measurement_date(store, at)
    release = PublicRelease(store, strategy, today or dt.date.today())
    figures = public_figures(store, strategy, ws.strategy_path, day, release)
    before = previous_round(store, round_name, day)
    if before is None:
        return figures, None
    then = store.reports.round(before[0])["measured_at"]
    return figures, (before[0], public_figures(store, strategy, ws.strategy_path, then, release))


def write_reports(ws: Workspace, out: Path, *, at: dt.date | None, round_name: str | None = None,
                  formats: tuple[str, ...], langs: tuple[Lang, ...], audience: Audience = "committee",
                  schools: tuple[str | None, ...] = (None,),
                  today: dt.date | None = None) -> list[Path]:
    """Write the report files; returns their paths. The public version is made from the
    current data at the month-end on or before the date (or the round's date), through the
    disclosure rule (``today`` limits the public's dates; default: today)."""
    renderers = {fmt: renderer(fmt) for fmt in formats}  # fails early on an unknown format
    strategy = load_strategy(ws.strategy_path)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with ws.open_store(read_only=True) as store:
        closed = store.reports.round(round_name) if round_name else None
        narratives = (closed["figures"].get("narratives", {}) if closed
                      else store.reports.current_narratives(round_name) if round_name else {})
        municipal: dict[str, dict[str, Any]] | None = None  # the same beside every school
        for school in schools:
            if school is not None and municipal is None and closed is None \
                    and audience != "public":
                municipal = figures_mod.headlines(
                    evaluate(store, strategy, measurement_date(store, at)))
            if audience == "public":
                figures, previous = _public(store, strategy, ws, round_name, at, school, today)
                day = dt.date.fromisoformat(figures["at"])
            else:
                figures, day = round_figures(store, strategy, ws, round_name, at, school,
                                             municipal)
                previous = previous_round(store, round_name, day, school)
            stem = _stem(round_name, day, school, audience)
            for lang in langs:
                model = build(figures, strategy, lang=lang, audience=audience,
                              round_name=round_name, narratives=narratives, previous=previous)
                for fmt in formats:
                    path = out / f"{stem}-{lang}.{fmt}"
                    path.write_bytes(renderers[fmt].render(model))
                    written.append(path)
    return written


def _stem(round_name: str | None, day: dt.date, school: str | None, audience: str) -> str:
    parts = ["status", _slug(round_name) if round_name else day.isoformat()]
    if school:
        parts.append(f"skole-{_slug(school)}")
    if audience == "public":
        parts.append("offentlig")
    return "-".join(parts)


def _slug(name: str) -> str:
    """A round's or school's name as part of a file name: letters (Danish too), digits and
    '-' only, at most 60 characters. When that loses more than spaces, a short hash of the
    exact name is added, so two rounds never share a file ("a/b" and "a-b")."""
    slug = re.sub(r"[\W_]+", "-", name, flags=re.UNICODE).strip("-")[:60].strip("-")
    if not slug or slug != name.strip().replace(" ", "-"):
        slug = f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}".lstrip("-")
    return slug


def clean_round_name(name: str) -> str:
    """A round's name as it is stored and looked up: one clean line (``text.clean_line``)."""
    cleaned = mask_cpr(clean_line(name))
    if not cleaned:
        raise InputError("the round has no name")
    return cleaned


def set_narrative(ws: Workspace, goal: str, round_name: str, text: str, *,
                  now: dt.datetime | None = None) -> int:
    """Store a goal owner's text for a round (the earlier versions are kept). The text is
    cleaned first (``text.clean_text``): no control characters or direction overrides, and
    anything shaped like a CPR number is masked (``DDMMYY-****``): a narrative is shown to
    the committee and the public, and no CPR number is ever stored."""
    strategy = load_strategy(ws.strategy_path)
    if goal not in [g.id for g in strategy.goals]:
        raise InputError(f"no goal {goal!r}; goals: {', '.join(g.id for g in strategy.goals)}")
    round_name = clean_round_name(round_name)
    text = mask_cpr(clean_text(text))
    if not text.strip():
        raise InputError("the text is empty")
    with ws.open_store() as store:
        if store.reports.round(round_name) is not None:
            raise InputError(f"the round {round_name!r} is closed; its texts cannot change")
        return store.reports.add_narrative(goal, round_name, text.strip() + "\n",
                                           author=getpass.getuser(), now=now or dt.datetime.now())


def close_round(ws: Workspace, round_name: str, at: dt.date, *, schools: bool = True,
                now: dt.datetime | None = None) -> None:
    """Freeze a round: its figures (municipality and each school) and narratives are kept."""
    round_name = clean_round_name(round_name)
    strategy = load_strategy(ws.strategy_path)
    with ws.open_store() as store:
        if store.reports.round(round_name) is not None:
            raise InputError(f"the round {round_name!r} is closed already")
        municipality = figures_mod.collect(store, strategy, ws.strategy_path, at)
        frozen: dict[str, Any] = {"municipality": municipality, "by_school": {}}
        if schools:
            headlines = figures_mod.headlines(evaluate(store, strategy, at))
            for school_id in _school_ids(store):
                frozen["by_school"][school_id] = figures_mod.collect(
                    store, strategy, ws.strategy_path, at, school=school_id,
                    municipal=headlines)
        frozen["narratives"] = store.reports.current_narratives(round_name)
        store.reports.close_round(round_name, at, frozen, user=getpass.getuser(),
                                  now=now or dt.datetime.now())


def _school_ids(store: Any) -> list[str]:
    t = store.table("schools")
    return [r["school_id"] for r in t.select("school_id").order_by("school_id").to_pyarrow().to_pylist()]
