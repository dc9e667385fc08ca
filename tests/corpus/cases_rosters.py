"""Corpus files of the schools and the rosters (pupils, staff): who and where."""

from __future__ import annotations

import datetime as dt

from corpus.build import Case, cell, read, refused
from corpus.formats import Sheet, excel_csv, mac_csv, unicode_text, xlsx
from corpus.samples import SNAPSHOT, cpr, rows

# --snapshot-date as a clerk types it (decision D11: every Danish form is accepted)
SNAP = {"snapshot_date": f"{SNAPSHOT:%d-%m-%Y}"}
DANISH = "Danish Excel: CSV (semikolonsepareret), Windows-1252, CRLF"
UTF8 = "Danish Excel: CSV UTF-8 (kommasepareret), BOM, ';', CRLF"
UNICODE = "Excel: Unicode-tekst, UTF-16 LE with BOM, tab, CRLF"


def table(dataset: str, n: int, **kw: int) -> list[list[object]]:
    sample = rows(dataset, n, **kw)
    return [list(sample.header), *sample.rows]


def without(tab: list[list[object]], column: str) -> list[list[object]]:
    i = tab[0].index(column)
    return [r[:i] + r[i + 1:] for r in tab]


def crlf_lines(tab: list[list[object]], blanks: dict[int, str]) -> bytes:
    """``tab`` as Danish Excel CSV with extra lines put in: Excel row number -> the line."""
    lines = excel_csv(tab).decode("cp1252").split("\r\n")[:-1]
    for at in sorted(blanks):
        lines.insert(at - 1, blanks[at])
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def schools() -> list[Case]:
    six = table("schools", 6)
    mixed = excel_csv(six[:3], "utf-8") + excel_csv(six[3:4]) + excel_csv(six[4:], "utf-8")
    leaders = [["Institutionsnummer", "Navn", "Stilling", "CPR-nr."],
               [851901, "Birthe Hansen", "Skoleleder", cpr(3, child=False)],
               [851902, "Jens Ølgaard", "Skoleleder", cpr(4, child=False)],
               [851903, "Åse Nielsen", "Viceskoleleder", cpr(5, child=False)]]
    info = Sheet("Oplysninger", [["Udtræk fra skoleadministrationen"],
                                 ["Dato", dt.date(2017, 9, 5)], ["Kommune", "Aalborg"]])
    numbers = [six[0]] + [[int(r[0]), *r[1:3], 0, 9, r[5]] for r in six[1:]]
    p = "schools/"
    return [
        Case(p + "skoler_excel.csv", "schools", excel_csv(six), read(6), DANISH, [1]),
        Case(p + "skoler_uden_type.csv", "schools",
             excel_csv(without(six, "Skoletype")[:5], "utf-8-sig"), read(4), UTF8, [5],
             checks=[{"sql": "SELECT DISTINCT kind FROM schools", "rows": [["folkeskole"]]}]),
        Case(p + "skoler_unicode.txt", "schools", unicode_text(six), read(6), UNICODE, [1]),
        Case(p + "skoler_utf16_uden_bom.txt", "schools", unicode_text(six, bom=False), read(6),
             "UTF-16 LE without a BOM, tab (a school system's export)", [1]),
        Case(p + "skoler_utf16_be.txt", "schools", unicode_text(six, "utf-16-be"), read(6),
             "UTF-16 BE with BOM, tab", [1]),
        Case(p + "skoler_mac.csv", "schools", mac_csv(six), refused(names=("CSV UTF-8",)),
             "Excel for Mac: CSV (Macintosh), MacRoman, CR line ends", [1]),
        Case(p + "skoler_blandet_tegnsaet.csv", "schools", mixed, refused(cell(4)),
             "UTF-8 with one row pasted in from a Windows-1252 file", [1, 3]),
        Case(p + "skoleledere.xlsx", "schools", xlsx(Sheet("Ledere", leaders)),
             refused(sheet="Ledere", names=("CPR-nr.",)),
             "XLSX: a list of school leaders imported as schools", [5, 6]),
        Case(p + "skoler_uden_distrikt.csv", "schools", excel_csv(without(six, "Distrikt")),
             read(6, unchanged=6), DANISH + ", without the district column", [5],
             before=[p + "skoler_excel.csv"],
             checks=[{"sql": "SELECT count(*) FROM schools WHERE district IS NOT NULL",
                      "rows": [[6]]}]),
        Case(p + "skoler_dubletter.csv", "schools",
             excel_csv([*six[:3], ["851901", "Højvangskolen afd. Nord", "", "", "", "Nord"]]),
             refused(cell(4, "Institutionsnummer", "2")), DANISH, [9, 13]),
        Case(p + "skoler.xlsx", "schools", xlsx(info, Sheet("Skoler", numbers)), read(6),
             "XLSX: an info sheet first, the schools on the second, numbers as number cells",
             [6]),
        Case(p + "skoler_tomme_linjer.csv", "schools", crlf_lines(six, {4: "", 7: ";;;;;"}),
             read(6, empty=2), DANISH + ", an empty line and an empty Excel row", [3, 4]),
    ]


def pupils() -> list[Case]:
    twelve = table("pupils", 12)
    p = "pupils/"
    school_a = [twelve[0], *[r for r in table("pupils", 12) if r[2] == "851901"]]
    school_b = [twelve[0], *[r for r in table("pupils", 12) if r[2] == "851902"][:3]]
    again = [*school_a[:4], [*school_a[1][:1], cpr(100), *school_a[1][2:]]]
    mac = [row[:] for row in twelve[:6]]
    mac[3][3] = "Børnehaveklasse"
    dashes = table("pupils", 6)
    for row, dash in zip(dashes[1:], "–—−–—‐", strict=True):
        row[1] = row[1].replace("-", dash)
    eleven, e09 = table("pupils", 5), table("pupils", 5)
    eleven[2][1] = eleven[2][1].replace("-", "") + "1"
    e09[1][1], e09[3][1] = "1,20608E+09", "1,01054E+09"
    dup, bad, empty, local, nine = (table("pupils", 6) for _ in range(5))
    dup[4][1] = dup[1][1]
    bad[2][1] = bad[4][1] = "310206-4123"
    empty[2][1] = empty[3][1] = ""
    local[2][1] = "12345"
    nine = [["Dato", "CPR", "Skole ID", "Klassetrin"],
            *[[r[0], r[1].replace("-", "")[1:], r[2], r[3]] for r in nine[1:5]]]
    bad_grade = table("pupils", 6)
    bad_grade[4][3] = "11"
    extra, quote, unknown = table("pupils", 6), table("pupils", 6), table("pupils", 6)
    unknown[2][2] = "999999"
    text = excel_csv(table("pupils", 7)).decode("cp1252").split("\r\n")
    crlf_lf = "\r\n".join(text[:2]) + "\r\n" + "\n".join(text[2:6]) + "\r\n" + text[6] + "\n"
    short = [twelve[0], *[r[:4] if i % 2 else r[:5] for i, r in enumerate(twelve[1:7])]]
    padded = excel_csv(twelve[:7]).replace(b"\r\n", b";;;;\r\n").replace(b";;;;\r\n", b"\r\n", 1)
    extra_lines = excel_csv(extra).split(b"\r\n")
    extra_lines[3] += b";bem\xe6rkning"
    quote_lines = excel_csv(quote).split(b"\r\n")
    klasse = f";{quote[4][4]};".encode()
    quote_lines[4] = quote_lines[4].replace(klasse, b';"' + klasse[1:])
    return [
        Case(p + "elevliste_excel.csv", "pupils", excel_csv(twelve), read(12), DANISH, [1]),
        Case(p + "elevliste_csv_utf8.csv", "pupils", excel_csv(twelve, "utf-8-sig"), read(12),
             UTF8, [1]),
        Case(p + "elevliste_unicode.txt", "pupils", unicode_text(twelve[:11]), read(10),
             UNICODE, [1]),
        Case(p + "elevliste_mac.csv", "pupils", mac_csv(mac, "\r\n"),
             refused(names=("CSV UTF-8",)), "Excel for Mac: CSV (Macintosh), MacRoman", [1]),
        Case(p + "elevliste_tom_raekke.csv", "pupils",
             crlf_lines(twelve[:11], {5: "", 8: ";;;;;", 10: "  ; ;\t;;; "}),
             read(10, empty=3), DANISH + ", empty lines and rows", [3, 4]),
        Case(p + "elevliste_tom_raekke_fejl.csv", "pupils", crlf_lines(bad_grade, {4: ""}),
             refused(cell(6, "Klassetrin"), exact=True), DANISH + ", an empty line", [3, 13]),
        Case(p + "elevliste_cpr_tankestreg.csv", "pupils", excel_csv(dashes, "utf-8-sig"),
             read(6), UTF8 + ", CPR numbers with en-dashes and other dashes", [8]),
        Case(p + "elevliste_cpr_11_cifre.csv", "pupils", excel_csv(eleven),
             refused(cell(3, "CPR-nr."), exact=True), DANISH, [8, 13]),
        Case(p + "elevliste_cpr_excel_e09.csv", "pupils", excel_csv(e09),
             refused(cell(2, "CPR-nr."), cell(4, "CPR-nr."), exact=True),
             DANISH + ", CPR numbers Excel turned into numbers (1,20608E+09)", [8]),
        Case(p + "elevliste_cpr_dublet.csv", "pupils", excel_csv(dup),
             refused(cell(5, "CPR-nr.", "2")), DANISH, [9]),
        Case(p + "elevliste_cpr_ugyldig_gentaget.csv", "pupils", excel_csv(bad),
             refused(cell(3, "CPR-nr."), cell(5, "CPR-nr."), exact=True),
             DANISH + ", one invalid CPR number twice", [4, 8]),
        Case(p + "elevliste_cpr_mangler.csv", "pupils", excel_csv(empty),
             refused(cell(3, "CPR-nr."), cell(4, "CPR-nr."), exact=True),
             DANISH + ", two pupils without a CPR number", [4]),
        Case(p + "elevliste_skole_a.csv", "pupils", excel_csv(school_a), read(4), DANISH, [10]),
        Case(p + "elevliste_skole_b.csv", "pupils", excel_csv(school_b), read(3), DANISH, [10],
             before=[p + "elevliste_skole_a.csv"],
             checks=[{"sql": "SELECT count(*) FROM pupils", "rows": [[7]]}]),
        Case(p + "elevliste_skole_a_igen.csv", "pupils", excel_csv(again),
             read(4, inserted=1, unchanged=3, removed=1), DANISH, [10],
             before=[p + "elevliste_skole_a.csv", p + "elevliste_skole_b.csv"],
             checks=[{"sql": "SELECT school_id, count(*) FROM pupils GROUP BY 1 ORDER BY 1",
                      "rows": [["851901", 4], ["851902", 3]]}]),
        Case(p + "elevliste_hele_datoen.csv", "pupils", excel_csv(school_a),
             read(4, unchanged=4, removed=3), DANISH + ", imported with --whole-date", [10],
             options={"whole_date": True},
             before=[p + "elevliste_skole_a.csv", p + "elevliste_skole_b.csv"]),
        Case(p + "elevliste_uden_dato.csv", "pupils", excel_csv(without(twelve, "Dato")[:6]),
             read(5), DANISH + ", the date given with --snapshot-date 5.9.2017", [11],
             options={"snapshot_date": "5.9.2017"}),
        Case(p + "elevliste_cpr_lokal_id.csv", "pupils", excel_csv(local),
             refused(cell(3, "CPR-nr."), exact=True), DANISH + ", a short number (a CPR number that lost digits) under CPR-nr.",
             [8]),
        Case(p + "elevliste_ni_cifre.csv", "pupils", excel_csv(nine), read(4),
             DANISH + ", CPR numbers whose leading zero Excel dropped", [8]),
        Case(p + "elevliste_crlf_lf.csv", "pupils", crlf_lf.encode("cp1252"), read(6),
             "Windows-1252, a CRLF header over LF rows (pasted together)", [2]),
        Case(p + "elevliste_korte_raekker.csv", "pupils", excel_csv(short), read(6),
             DANISH + ", rows without their empty last fields", [2]),
        Case(p + "elevliste_semikolon_fyld.csv", "pupils", padded, read(6),
             DANISH + ", ';;;;' padding on the data rows", [2]),
        Case(p + "elevliste_ekstra_felt.csv", "pupils", b"\r\n".join(extra_lines),
             refused(cell(4)), DANISH + ", a remark typed right of the table", [2]),
        Case(p + "elevliste_uafsluttet_citat.csv", "pupils", b"\r\n".join(quote_lines),
             refused(cell(5)), DANISH + ", a quote that is never closed", [2]),
        Case(p + "elevliste_ukendt_skole.csv", "pupils", excel_csv(unknown),
             refused(cell(3, "Institutionsnummer"), exact=True), DANISH, [12, 13],
             before=["schools/skoler_excel.csv"]),
        *pupil_workbooks(),
    ]


def pupil_workbooks() -> list[Case]:
    p = "pupils/"
    cells = [[dt.date(2017, 9, 5), r[1], int(r[2]), int(r[3]), r[4], r[5] or None]
             for r in table("pupils", 8)[1:]]
    head = list(table("pupils", 1)[0])
    old = [[dt.date(2016, 9, 5), r[1], int(r[2]), int(r[3]), r[4], r[5]]
           for r in table("pupils", 3, start=50)[1:]]
    gaps = [head, *cells[:2], [None] * 6, *cells[2:4], [], *cells[4:]]
    bad = [head, *[r[:] for r in cells]]
    bad[4][3] = 12
    info = Sheet("Info", [["Elevliste pr. 5. september 2017"], ["Udtrukket af", "Skolekontoret"]])
    other = Sheet("Oversigt", [["Skole", "Antal elever"], [851901, 212], [851902, 180]])
    return [
        Case(p + "elevliste.xlsx", "pupils",
             xlsx(Sheet("Gammel", [head, *old], hidden=True), Sheet("Elever", [head, *cells])),
             read(8), "XLSX: a hidden sheet of last year's list first, date cells", [6],
             checks=[{"sql": "SELECT DISTINCT snapshot_date::VARCHAR FROM pupils",
                      "rows": [["2017-09-05"]]}]),
        Case(p + "elevliste_tomme_raekker.xlsx", "pupils", xlsx(Sheet("Ark1", gaps)),
             read(8, empty=2), "XLSX: empty rows in the table", [4, 6]),
        Case(p + "elevliste_fejl.xlsx", "pupils", xlsx(Sheet("Elever", bad)),
             refused(cell(5, "Klassetrin"), sheet="Elever", exact=True),
             "XLSX: a grade 12", [6, 13]),
        Case(p + "elevliste_info_foerst.xlsx", "pupils",
             xlsx(info, Sheet("Elevliste", [head, *cells[:5]])), read(5),
             "XLSX: an info sheet first, the list on the second", [6]),
        Case(p + "elevliste_ingen_kolonner.xlsx", "pupils",
             xlsx(Sheet("Skjult", [head, *cells[:2]], hidden=True), other,
                  Sheet("Noter", [["Husk at opdatere listen"]])),
             refused(cell(1), sheet="Oversigt"),
             "XLSX: no visible sheet has the columns (the hidden one has)", [6]),
    ]


def staff() -> list[Case]:
    p = "staff/"
    nine = table("staff", 10)
    undated = without(nine, "Dato")
    book = [["Dato", "Medarbejdernummer", "Skole ID", "Stilling"],
            *[[dt.date(2017, 9, 5), 1000 + i, 851901 + i % 3, r[2]]
              for i, r in enumerate(undated[1:7])]]
    names, dup, role, e09 = (table("staff", 6) for _ in range(4))
    names[2][1] = "Anne Hansen"
    dup[3][1] = dup[2][1]
    role[3][3] = "Rektor"
    e09[0][1] = "Cpr nr"
    for i, r in enumerate(e09[1:]):
        r[1] = cpr(20 + i, child=False)
    e09[3][1] = "1,01061E+09"
    return [
        Case(p + "personale_excel.csv", "staff", excel_csv(undated), read(10), DANISH, [1, 11],
             options=SNAP),
        Case(p + "personale.xlsx", "staff", xlsx(Sheet("Personale", book)), read(6),
             "XLSX: employee numbers and school ids as number cells, date cells", [6, 7]),
        Case(p + "personale_navne.csv", "staff", excel_csv(names),
             refused(cell(3, "Medarbejder"), exact=True), DANISH + ", a name as the id", [8]),
        Case(p + "personale_dublet.csv", "staff", excel_csv(dup),
             refused(cell(4, "Medarbejder", "3")), DANISH, [9]),
        Case(p + "personale_unicode.txt", "staff", unicode_text(undated[:7]), read(6), UNICODE,
             [1, 11], options={"snapshot_date": "05/09/2017"}),
        Case(p + "personale_ukendt_rolle.csv", "staff", excel_csv(role),
             refused(cell(4, "Stilling"), exact=True), DANISH, [13]),
        Case(p + "personale_cpr_excel_e09.csv", "staff", excel_csv(e09),
             refused(cell(4, "Cpr nr"), exact=True), DANISH + ", Excel's 1,01061E+09", [8]),
    ]


def cases() -> list[Case]:
    return schools() + pupils() + staff()
