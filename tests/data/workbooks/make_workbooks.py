"""The Excel 97-2003 and encrypted workbooks of tests/test_workbooks.py.

    pip install xlwt msoffcrypto-tool openpyxl
    python tests/data/workbooks/make_workbooks.py

Neither writer is a dependency of the project (xlwt writes .xls files as Excel 97-2003
did; msoffcrypto-tool encrypts an XLSX file as Excel does when a password is set), so the
small files are committed next to this script. The other workbooks of the tests are written
by the tests themselves with openpyxl. No file holds a CPR number: the pupils are UNI-Login
ids.

* ``elever.xls``: an information sheet, a hidden sheet with the roster's header and a stale
  pupil, and the roster ("Elever") with an empty row 3; 3 pupils.
* ``elever-fejl.xls``: the same roster with a grade "x" in row 5 (Excel's number).
* ``krypteret.xls``: an .xls file encrypted with a password (a FILEPASS record after its
  BOF, as Excel writes one; calamine stops there).
* ``krypteret.xlsx``: an XLSX file encrypted with the password "hemmelig" (an OLE2 file
  holding EncryptionInfo and EncryptedPackage).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

HERE = Path(__file__).parent
HEADER = ("Elev", "Skole ID", "Klassetrin")
PUPILS = (("ab12", 280001, 3), ("cd34", 280001, 4), ("ef56", 280002, 0))


def _roster_book(bad: bool = False):  # noqa: ANN202 - xlwt has no types
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    info = book.add_sheet("Info")
    info.write(0, 0, "Elevliste fra skolesystemet")
    info.write(1, 0, "Udtrukket 5. september 2017")
    hidden = book.add_sheet("Opslag")
    for col, name in enumerate(HEADER):
        hidden.write(0, col, name)
    for col, value in enumerate(("gh78", 280009, 9)):
        hidden.write(1, col, value)
    hidden.visibility = 1  # hidden
    roster = book.add_sheet("Elever")
    for col, name in enumerate(HEADER):
        roster.write(0, col, name)
    # row 2, an empty row 3, rows 4 and 5 (Excel's numbers)
    for row, pupil in zip((1, 3, 4), PUPILS, strict=True):
        for col, value in enumerate(pupil):
            roster.write(row, col, "x" if bad and row == 4 and col == 2 else value)
    return book


def _encrypted_xls(path: Path) -> None:
    """A FILEPASS record (RC4 CryptoAPI, the rest left zero) right after the first BOF."""
    from xlwt.CompoundDoc import XlsDoc

    stream = _roster_book().get_biff_data()
    _kind, length = struct.unpack_from("<HH", stream, 0)
    body = struct.pack("<HHH", 1, 4, 2) + bytes(48)
    filepass = struct.pack("<HH", 0x002F, len(body)) + body
    XlsDoc().save(str(path), stream[: 4 + length] + filepass + stream[4 + length:])


def _encrypted_xlsx(path: Path) -> None:
    import msoffcrypto.format.ooxml
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for pupil in PUPILS:
        sheet.append(pupil)
    plain = io.BytesIO()
    book.save(plain)
    plain.seek(0)
    with path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("hemmelig", out)


def main() -> None:
    _roster_book().save(str(HERE / "elever.xls"))
    _roster_book(bad=True).save(str(HERE / "elever-fejl.xls"))
    _encrypted_xls(HERE / "krypteret.xls")
    _encrypted_xlsx(HERE / "krypteret.xlsx")


if __name__ == "__main__":
    main()
