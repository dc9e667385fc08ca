"""Corpus files of the other ten datasets: devices, enrolments, courses and their copies,
plans, messages, trainings, finances, results and milestones."""

from __future__ import annotations

import datetime as dt

from corpus.build import Case, cell, read, refused
from corpus.cases_rosters import DANISH, UNICODE, UTF8, table, without
from corpus.formats import Sheet, encrypted_workbook, excel_csv, mac_csv, unicode_text, xls, xlsx
from corpus.samples import cpr

TAB = "a school system's export: UTF-8, tab-separated, LF"
SCHOOLS_FIRST = ["schools/skoler_excel.csv"]


def _date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d-%m-%Y").date()


def devices() -> list[Case]:
    p = "devices/"
    english = [["device_id", "kind", "model", "ownership", "holder", "holder_kind",
                "school_id", "purchased", "issued", "returned", "price_dkk"]]
    for i in range(8):
        english.append([f"DMP{i:06d}", "tablet", "iPad Air 2", "municipality", cpr(i),
                        "pupil", "851901", "2015-06-15", f"2015-08-{10 + i}", "",
                        f"{3299 + 100 * i:,.2f}"])
    vague, nobuy, dup, back = (table("devices", 5) for _ in range(4))
    vague[2][10] = "1.234"
    nobuy[3][7] = ""
    dup[4][0], dup[4][7], dup[4][8] = dup[1][0], dup[1][7], dup[1][8]
    back[2][9] = "01-01-2015"
    head = table("devices", 1)[0]
    prices = (3299.0, 3499.5, 2999.95, 4100.0, 1234.5, 3299.0)
    cells = [[r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]), _date(r[7]), _date(r[8]),
              _date(r[9]) if r[9] else None, price]
             for r, price in zip(table("devices", 6)[1:], prices, strict=True)]
    return [
        Case(p + "enheder_en.csv", "devices", excel_csv(english, "utf-8", ",", "\n"), read(8),
             "an English system's CSV: UTF-8, ',', LF, 3,299.00", [1, 7]),
        Case(p + "enheder_excel.csv", "devices", excel_csv(table("devices", 8)), read(8),
             DANISH + ", prices as 3.299,00 kr.", [7]),
        Case(p + "enheder_tab_tvetydig.txt", "devices", excel_csv(vague, "utf-8", "\t", "\n"),
             refused(cell(3, "Pris"), exact=True), TAB + ", a price 1.234", [7, 13]),
        Case(p + "enheder_uden_indkoeb.csv", "devices", excel_csv(nobuy),
             refused(cell(4, "Indkøbt"), exact=True), DANISH, [13]),
        Case(p + "enheder_dublet.csv", "devices", excel_csv(dup), refused(cell(5, None, "2")),
             DANISH, [9]),
        Case(p + "enheder.xlsx", "devices", xlsx(Sheet("Enheder", [head, *cells])), read(6),
             "XLSX: prices as number cells, imported with --locale da", [6, 7],
             options={"locale": "da"},
             checks=[{"sql": "SELECT sum(price_dkk)::DOUBLE FROM devices",
                      "rows": [[sum(prices)]]}]),
        Case(p + "enheder_returneret_foer.csv", "devices", excel_csv(back),
             refused(cell(3, "Afleveret"), exact=True), DANISH, [13]),
    ]


def enrolments() -> list[Case]:
    p = "enrolments/"
    forms = table("enrolments", 6)
    for row, day in zip(forms[1:], ("05-09-2017", "5-9-2017", "05.09.2017", "2017-09-05",
                                    "05/09/2017", "05-09-2017 08:15"), strict=True):
        row[3] = day
    bad, dup, unknown = (table("enrolments", 6) for _ in range(3))
    bad[2][3], bad[4][3] = "31-02-2017", "12/31/2017"
    dup[5][0] = dup[2][0]
    unknown[3][4] = "280099"
    old = [table("enrolments", 1)[0],
           *[[r[0], r[1], r[2], r[3], float(r[4])] for r in table("enrolments", 5)[1:]]]
    return [
        Case(p + "indskrivninger_excel.csv", "enrolments", excel_csv(table("enrolments", 10)),
             read(10), DANISH + ", dates in several Danish forms", [1, 11]),
        Case(p + "indskrivninger_datoformer.csv", "enrolments", excel_csv(forms), read(6),
             DANISH + ", 05-09-2017, 5-9-2017, 05.09.2017, 2017-09-05, 05/09/2017", [11]),
        Case(p + "indskrivninger_umulig_dato.csv", "enrolments", excel_csv(bad),
             refused(cell(3, "Modtaget"), cell(5, "Modtaget"), exact=True),
             DANISH + ", 31-02-2017 and a US date 12/31/2017", [11, 13]),
        Case(p + "indskrivninger_dublet.csv", "enrolments", excel_csv(dup),
             refused(cell(6, "Ansøgnings ID", "3")), DANISH, [9]),
        Case(p + "indskrivninger.xls", "enrolments", xls("Indskrivninger", old), read(5),
             "Excel 97-2003 (.xls), school ids as number cells", [6]),
        Case(p + "indskrivninger_adgangskode.xlsx", "enrolments",
             encrypted_workbook(), refused(),
             "Excel: a workbook protected by a password", [6]),
        Case(p + "indskrivninger_ukendt_skole.csv", "enrolments", excel_csv(unknown),
             refused(cell(4, "Skole ID"), exact=True), DANISH, [12, 13], before=SCHOOLS_FIRST),
    ]


def courses() -> list[Case]:
    p = "courses/"
    missing, dup, order, author = (table("courses", 6) for _ in range(4))
    missing[2][0] = missing[4][0] = ""
    dup[3][0] = dup[1][0]
    order[2][3], order[2][4] = "10-10-2016", "01-10-2016"
    author[3][2] = "3102601234"
    mac = table("courses", 5)
    mac[2][5] = "Håndværk og design"
    lines = excel_csv(table("courses", 7)).split(b"\r\n")
    mixed = b"".join(line + (b"\n" if i % 2 else b"\r\n") for i, line in enumerate(lines[:-1]))
    head = table("courses", 1)[0]
    book = [[r[0], int(r[1]), r[2], dt.date(2016, 9, 1) + dt.timedelta(days=9 * i),
             dt.date(2016, 10, 1) + dt.timedelta(days=9 * i) if i % 2 else None, r[5], int(r[6])]
            for i, r in enumerate(table("courses", 7)[1:])]
    guide = Sheet("Vejledning", [["Forløb eksporteret fra læringsplatformen"],
                                 ["Kolonner", "Forløb ID, Skole ID, Forfatter, ..."]])
    return [
        Case(p + "forloeb_csv_utf8.csv", "courses", excel_csv(table("courses", 9), "utf-8-sig"),
             read(9), UTF8, [1]),
        Case(p + "forloeb_mangler_id.csv", "courses", excel_csv(missing),
             refused(cell(3, "Forløb ID"), cell(5, "Forløb ID"), exact=True),
             DANISH + ", two courses without an id", [4, 13]),
        Case(p + "forloeb_dublet.csv", "courses", excel_csv(dup),
             refused(cell(4, "Forløb ID", "2")), DANISH, [9]),
        Case(p + "forloeb_delt_foer_oprettet.csv", "courses", excel_csv(order),
             refused(cell(3, "Delt"), exact=True), DANISH, [13]),
        Case(p + "forloeb.xlsx", "courses", xlsx(guide, Sheet("Forløb", [head, *book])),
             read(7), "XLSX: a guide sheet first, number and date cells", [6]),
        Case(p + "forloeb_mac.csv", "courses", mac_csv(mac), refused(names=("CSV UTF-8",)),
             "Excel for Mac: CSV (Macintosh), MacRoman", [1]),
        Case(p + "forloeb_blandede_linjeskift.csv", "courses", mixed, read(7),
             "Windows-1252, CRLF and LF line ends row by row", [2]),
        Case(p + "forloeb_forfatter_cpr_fejl.csv", "courses", excel_csv(author),
             refused(cell(4, "Forfatter"), exact=True),
             DANISH + ", a ten-digit author that is no CPR number", [8, 13]),
    ]


def course_copies() -> list[Case]:
    p = "course_copies/"
    again, dup, mixed = (table("course_copies", 6) for _ in range(3))
    again[4][0] = again[2][0]
    no_id = without(table("course_copies", 3), "Kopi ID")
    for row in dup[1:]:
        row[0] = ""
    dup[3][1:] = dup[1][1:]
    for row in mixed[1::2]:
        row[0] = ""
    return [
        Case(p + "kopier_excel.csv", "course_copies", excel_csv(table("course_copies", 8)),
             read(8), DANISH, [1]),
        Case(p + "kopier_gentaget_id.csv", "course_copies", excel_csv(again),
             refused(cell(5, "Kopi ID", "3")), DANISH + ", one copy id twice", [9, 13]),
        Case(p + "kopier_uden_id.csv", "course_copies", excel_csv(no_id), read(3),
             DANISH + ", no copy id column", [9]),
        Case(p + "kopier_uden_id_igen.csv", "course_copies", excel_csv(no_id),
             read(3, unchanged=3), DANISH + ", the same rows again", [9],
             before=[p + "kopier_uden_id.csv"],
             checks=[{"sql": "SELECT count(*) FROM course_copies", "rows": [[3]]}]),
        Case(p + "kopier_uden_id_dubletter.csv", "course_copies", excel_csv(dup),
             refused(cell(4, None, "2")), DANISH + ", empty copy ids, one copy twice", [9]),
        Case(p + "kopier_blandet.csv", "course_copies", excel_csv(mixed), read(6),
             DANISH + ", copy ids in some rows", [9]),
    ]


def pupil_plans() -> list[Case]:
    p = "pupil_plans/"
    year, dup, local = (table("pupil_plans", 6) for _ in range(3))
    year[2][2] = "2016/18"
    dup[4][0], dup[4][2], dup[4][3] = dup[1][0], dup[1][2], dup[1][3]
    local[0][0] = "CPR-nr."
    local[1][0] = "4711"
    head = table("pupil_plans", 1)[0]
    book = [[*r[:5], dt.date(2016, 2, 1) + dt.timedelta(days=5 * i)]
            for i, r in enumerate(table("pupil_plans", 6)[1:])]
    return [
        Case(p + "elevplaner_excel.csv", "pupil_plans", excel_csv(table("pupil_plans", 8)),
             read(8), DANISH, [1]),
        Case(p + "elevplaner_skoleaar_fejl.csv", "pupil_plans", excel_csv(year),
             refused(cell(3, "Skoleår"), exact=True), DANISH + ", a school year 2016/18", [13]),
        Case(p + "elevplaner_dublet.csv", "pupil_plans", excel_csv(dup),
             refused(cell(5, None, "2")), DANISH, [9]),
        Case(p + "elevplaner.xlsx", "pupil_plans", xlsx(Sheet("Elevplaner", [head, *book])),
             read(6), "XLSX: date cells", [6]),
        Case(p + "elevplaner_cpr_kolonne.csv", "pupil_plans", excel_csv(local),
             refused(cell(2, "CPR-nr."), exact=True), DANISH + ", a short number (a CPR number that lost digits) under CPR-nr.",
             [8]),
    ]


def messages() -> list[Case]:
    p = "messages/"
    dup, negative, channel = (table("messages", 6) for _ in range(3))
    dup[3][:4] = dup[1][:4]
    negative[2][4] = "-5"
    channel[4][2] = "Facebook"
    return [
        Case(p + "kommunikation_excel.csv", "messages", excel_csv(table("messages", 12)),
             read(12), DANISH + ", counts as 4.492", [7]),
        Case(p + "kommunikation_dublet.csv", "messages", excel_csv(dup),
             refused(cell(4, None, "2")), DANISH, [9]),
        Case(p + "kommunikation_negativ.csv", "messages", excel_csv(negative),
             refused(cell(3, "Antal"), exact=True), DANISH, [7, 13]),
        Case(p + "kommunikation_unicode.txt", "messages", unicode_text(table("messages", 12)),
             read(12), UNICODE + ", counts as 4.492", [1, 7]),
        Case(p + "kommunikation_ukendt_kanal.csv", "messages", excel_csv(channel),
             refused(cell(5, "Kanal"), exact=True), DANISH, [13]),
    ]


def trainings() -> list[Case]:
    p = "trainings/"
    dup = table("trainings", 6)
    dup[3][0], dup[3][3], dup[3][4] = dup[1][0], dup[1][3], dup[1][4]
    dashes = table("trainings", 4)
    for i, row in enumerate(dashes[1:]):
        row[0] = cpr(40 + i, child=False, dash="–")
    head = table("trainings", 1)[0]
    book = [[*r[:4], dt.date(2016, 3, 1) + dt.timedelta(days=11 * i)]
            for i, r in enumerate(table("trainings", 6)[1:])]
    return [
        Case(p + "uddannelser_excel.csv", "trainings", excel_csv(table("trainings", 8)),
             read(8), DANISH, [1]),
        Case(p + "uddannelser_dublet.csv", "trainings", excel_csv(dup),
             refused(cell(4, None, "2")), DANISH, [9]),
        Case(p + "uddannelser.xlsx", "trainings", xlsx(Sheet("Kurser", [head, *book])), read(6),
             "XLSX: date cells", [6]),
        Case(p + "uddannelser_cpr_tankestreg.csv", "trainings", excel_csv(dashes), read(4),
             DANISH + ", CPR numbers with en-dashes (Windows-1252 0x96)", [8]),
    ]


def finances() -> list[Case]:
    p = "finances/"
    kr = table("finances", 6)
    for row, (budget, actual) in zip(kr[1:], (
            ("3.083.600,00 kr.", "3.385.409,46 kr."), ("106.700 kr.", "98.648,42 kr"),
            ("56.300,00 DKK", "60.085,12 DKK"), ("3 083 600,00", "-1.234,50"),
            ("12.500,00 kr.", "11.250,5"), ("0,00", "1.234.567")), strict=True):
        row[4:6] = [budget, actual]
    dup, month, vague = (table("finances", 6) for _ in range(3))
    dup[4][:4] = dup[1][:4]
    month[2][2] = "13"
    vague[1][4] = "106.700"
    head = table("finances", 1)[0]
    amounts = ((3083600.5, 3385409.46), (106700.0, 98648.42), (56300.0, 3.875),
               (1234.5, 1234.567), (0.5, 12.0), (4492.0, 4.492))
    book = [[int(r[0]), int(r[1]), int(r[2]), r[3], *money]
            for r, money in zip(table("finances", 6)[1:], amounts, strict=True)]
    formulas = [[*r[:5], f"=E{i + 2}*0.9"] for i, r in enumerate(book)]
    english = [head, *[[*r[:4], f"{b:,.2f}", f"{a:,.2f}"] for r, (b, a) in
                       zip(table("finances", 6)[1:], amounts, strict=True)]]
    total = round(sum(a for _, a in amounts), 3)
    return [
        Case(p + "oekonomi_excel.csv", "finances", excel_csv(table("finances", 12)), read(12),
             DANISH + ", 3.083.600,00", [7]),
        Case(p + "oekonomi_kr.csv", "finances", excel_csv(kr), read(6),
             DANISH + ", kr. and DKK, spaces between thousands", [7]),
        Case(p + "oekonomi.xlsx", "finances", xlsx(Sheet("Budget", [head, *book])), read(6),
             "XLSX: amounts as number cells (3.875), imported with --locale da", [6, 7],
             options={"locale": "da"},
             checks=[{"sql": "SELECT round(sum(actual_dkk), 3)::DOUBLE FROM finances",
                      "rows": [[total]]}]),
        Case(p + "oekonomi_formel.xlsx", "finances", xlsx(Sheet("Budget", [head, *formulas])),
             refused(cell(2, "Forbrug"), sheet="Budget"),
             "XLSX written by a program other than Excel: formulas without saved values", [6]),
        Case(p + "oekonomi_dublet.csv", "finances", excel_csv(dup), refused(cell(5, None, "2")),
             DANISH, [9]),
        Case(p + "oekonomi_maaned_13.csv", "finances", excel_csv(month),
             refused(cell(3, "Måned"), exact=True), DANISH, [13]),
        Case(p + "oekonomi_en.csv", "finances", excel_csv(english, "utf-8", ","), read(6),
             "an English system's CSV: ',', 3,083,600.50", [7],
             checks=[{"sql": "SELECT round(sum(actual_dkk), 2)::DOUBLE FROM finances",
                      "rows": [[round(sum(round(a, 2) for _, a in amounts), 2)]]}]),
        Case(p + "oekonomi_tab_tvetydig.txt", "finances", excel_csv(vague, "utf-8", "\t", "\n"),
             refused(cell(2, "Budget"), exact=True), TAB + ", a budget 106.700", [7, 13]),
    ]


def results() -> list[Case]:
    p = "results/"
    dup = table("results", 6)
    dup[5][:4] = dup[2][:4]
    tab = table("results", 4)
    tab[1][5], tab[2][4] = "1.234", "12,5"
    head = table("results", 1)[0]
    book = [[int(r[0]), r[1], int(r[2]), r[3], 1.5 + i / 4, int(r[5])]
            for i, r in enumerate(table("results", 6)[1:])]
    return [
        Case(p + "resultater_excel.csv", "results", excel_csv(table("results", 12)), read(12),
             DANISH + ", values as 3,45", [7]),
        Case(p + "resultater.xlsx", "results", xlsx(Sheet("Resultater", [head, *book])),
             read(6), "XLSX: number cells", [6, 7]),
        Case(p + "resultater_dublet.csv", "results", excel_csv(dup), refused(cell(6, None, "3")),
             DANISH, [9]),
        Case(p + "resultater_tab.txt", "results", excel_csv(tab, "utf-8", "\t", "\n"), read(4),
             TAB + ", a count 1.234 and a value 12,5", [7],
             checks=[{"sql": "SELECT max(pupils) FROM results", "rows": [[1234]]}]),
    ]


def milestones() -> list[Case]:
    p = "milestones/"
    ninety, text, dup = (table("milestones", 6) for _ in range(3))
    ninety[2][0] = "99"
    text[1][0] = "mål 1"
    dup[3][:2] = dup[1][:2]
    broken = table("milestones", 5)
    broken[2][4] = "kontrakt underskrevet\r\nfire pilotskoler"
    broken[3][2] = "31-04-2016"
    head = table("milestones", 1)[0]
    book = [[r[0], r[1], dt.date(2015, 3, 31) + dt.timedelta(days=60 * i), None, r[4] or None]
            for i, r in enumerate(table("milestones", 5)[1:])]
    return [
        Case(p + "milepaele_excel.csv", "milestones", excel_csv(table("milestones", 8)),
             read(8), DANISH + ", a remark with ';' in quotes", [1]),
        Case(p + "milepaele_maal_99.csv", "milestones", excel_csv(ninety),
             refused(cell(3, "Mål"), exact=True), DANISH + ", a goal 99", [12, 13]),
        Case(p + "milepaele_maal_tekst.csv", "milestones", excel_csv(text),
             refused(cell(2, "Mål"), exact=True), DANISH + ", a goal 'mål 1'", [12, 13]),
        Case(p + "milepaele_linjeskift.csv", "milestones", excel_csv(broken),
             refused(cell(4, "Frist"), exact=True),
             DANISH + ", a remark of two lines (one Excel row), then 31-04-2016", [3, 11]),
        Case(p + "milepaele_dublet.csv", "milestones", excel_csv(dup), refused(cell(4, None, "2")),
             DANISH, [9]),
        Case(p + "milepaele.xlsx", "milestones", xlsx(Sheet("Milepæle", [head, *book])),
             read(5), "XLSX: date cells", [6]),
    ]


def cases() -> list[Case]:
    return (devices() + enrolments() + courses() + course_copies() + pupil_plans()
            + messages() + trainings() + finances() + results() + milestones())
