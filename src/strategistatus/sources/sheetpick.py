"""Which sheet of a workbook holds the data: found by its header among the visible sheets.

Exports often put an information sheet first, or keep a hidden sheet of lookups; a clerk
sees neither as the data. So hidden sheets (and chart, macro and dialog sheets) are never
read, and the data is the first visible sheet of cells whose row 1 has the dataset's
required columns. When none has, the first visible sheet of cells is taken, so that the
message about the missing columns names a sheet the clerk can see. ``--sheet`` (or the
mapping file's ``sheet``) names a sheet outright; a hidden one is refused, saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from strategistatus.errors import InputError
from strategistatus.i18n import _

from .columns import Dataset
from .headers import Mapping, normalise

Wanted = Callable[[Sequence[str]], bool]


def required_columns(dataset: Dataset, mapping: Mapping | None) -> Wanted:
    """Whether a header (row 1) has every required column of ``dataset``, spelled as
    ``headers.match_header`` accepts them (the roster's date may come from the command)."""
    lookup: dict[str, str] = {}
    for column in dataset.columns:
        for spelling in (column.name, *column.aliases):
            lookup.setdefault(normalise(spelling), column.name)
    renames = {normalise(k): v for k, v in (mapping.columns if mapping else {}).items()}
    required = {c.name for c in dataset.columns if c.required and c.name != "snapshot_date"}

    def wanted(header: Sequence[str]) -> bool:
        found = {renames.get(key) or lookup.get(key) for key in map(normalise, header)}
        return required <= found

    return wanted


def _kind(meta: Any) -> str:
    return str(meta.typ).rsplit(".", 1)[-1]


def _visible(meta: Any) -> bool:
    return str(meta.visible).rsplit(".", 1)[-1] == "Visible"


def choose_sheet(workbook: Any, label: str, sheet: str | None, wanted: Wanted | None,
                 header_of: Callable[[Any], tuple[str, ...] | None]) -> tuple[str, Any]:
    """The name of the sheet to read, and the sheet when it was read to judge its header
    (else None). ``header_of`` gives a sheet's row 1 (None when row 1 is empty)."""
    sheets = list(workbook.sheets_metadata)
    if sheet is not None:
        return _named(sheets, label, sheet), None
    cells = [m for m in sheets if _visible(m) and _kind(m) == "WorkSheet"]
    if not cells:
        if not sheets:
            raise InputError(_("{file}: the workbook has no sheets", file=label))
        shown = [m for m in sheets if _visible(m)]
        if shown:
            raise InputError(_(
                "{file}: the workbook's visible sheets ({sheets}) hold no cells (they are "
                "charts or other kinds of sheet); show the sheet with the data in Excel "
                "(right-click a sheet tab > Vis) and save again",
                file=label, sheets=", ".join(m.name for m in shown)))
        raise InputError(_(
            "{file}: every sheet of the workbook is hidden, and hidden sheets are not read; "
            "show the sheet with the data in Excel (right-click a sheet tab > Vis) and save "
            "again", file=label))
    if wanted is not None and len(cells) > 1:
        for meta in cells:
            data = workbook.get_sheet_by_name(meta.name)
            header = header_of(data)
            if header is not None and wanted(header):
                return str(meta.name), data
            del data  # one sheet in memory at a time
    return str(cells[0].name), None


def _named(sheets: list[Any], label: str, sheet: str) -> str:
    """The sheet named with --sheet, if it can be read."""
    meta = next((m for m in sheets if m.name == sheet), None)
    if meta is None:
        visible = [m.name for m in sheets if _visible(m) and _kind(m) == "WorkSheet"]
        raise InputError(_("{file}: no sheet named {sheet}; the sheets are {sheets}",
                           file=label, sheet=repr(sheet), sheets=", ".join(visible) or "-"))
    if not _visible(meta):
        raise InputError(_(
            "{file}: the sheet {sheet} is hidden, and hidden sheets are not read. Show it in "
            "Excel (right-click a sheet tab > Vis) and save, or name another sheet",
            file=label, sheet=repr(sheet)))
    if _kind(meta) != "WorkSheet":
        raise InputError(_("{file}: the sheet {sheet} is not a sheet of cells (it is a chart "
                           "or another kind of sheet); name the sheet with the data",
                           file=label, sheet=repr(sheet)))
    return sheet
