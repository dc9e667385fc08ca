"""Small exports with the edge cases the docs decide, in every file format the contracts allow.

Dates sit on the boundaries the rules name (issued, returned, published, received, shared on
the measurement dates 2018-01-31 and 2017-06-30 and on period ends), people are written as CPR
numbers with and without hyphen, with the leading zero dropped, and as local ids in mixed
case; choice values use their accepted spellings; the files are Danish ';' CSV in
Windows-1252 and UTF-8 with BOM, English ',' CSV, tab-separated files and XLSX.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

D = dt.date


def _csv(path: Path, rows: list[list[str]], *, delimiter: str = ";",
         encoding: str = "utf-8-sig") -> Path:
    def cell(value: str) -> str:
        return f'"{value}"' if delimiter in value or '"' in value else value

    text = "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for c in cells:
            if isinstance(c.value, dt.date):
                c.number_format = "dd-mm-yyyy"
    workbook.save(path)
    return path


def write(out: Path) -> list[tuple[str, Path]]:
    """The edge-case exports, (dataset, file) in import order."""
    out.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, Path]] = []

    files.append(("schools", _xlsx(out / "skoler.xlsx", [
        ["Skole ID", "Navn"], [100001, "Alfa Skole"], [100002, "Beta Skole"],
        [100003, "Gamma Skole"]])))

    # three snapshots; tab-separated UTF-8 without BOM. The first has only grades 0-1 in the
    # scope of pupil_devices_0_7 (all excepted); the last is taken on 31 January 2018 itself.
    pupils = [["Opgørelsesdato", "CPR", "Skolekode", "Trin"],
              ["15-05-2017", "010110-4001", "100001", "1. klasse"],
              ["15-05-2017", "0202104002", "100001", "bh.kl."],
              ["15-05-2017", "Elev.Nine", "100002", "9"],
              ["31/12/2017", "010110-4001", "100001", "2"],
              ["31/12/2017", "020210-4002", "100001", "1"],
              ["31/12/2017", "030311-4003", "100002", "7. kl."],
              ["31/12/2017", "elev.nine", "100002", "10"],
              ["31/12/2017", "040404-4004", "100003", "8"],
              ["2018-01-31", "010110-4001", "100001", "2"],
              ["2018-01-31", "020210-4002", "100001", "1"],
              ["2018-01-31", "030311-4003", "100002", "7"],
              ["2018-01-31", "ELEV.NINE", "100002", "10"],
              ["2018-01-31", "050512-4005", "100003", "børnehaveklasse"]]
    files.append(("pupils", _csv(out / "elever.txt", pupils, delimiter="\t",
                                 encoding="utf-8")))

    files.append(("staff", _xlsx(out / "personale.xlsx", [
        ["Dato", "Initialer", "Enhed", "Stilling"],
        [D(2017, 5, 15), "ABC", 100001, "Lærer"],
        [D(2017, 5, 15), "DEF", 100002, "Pædagog"],
        [D(2017, 5, 15), "110170-1234", 100001, "Skoleleder"],
        [D(2018, 1, 15), "ABC", 100001, "lærer"],
        [D(2018, 1, 15), "DEF", 100002, "Pædagogmedhjælper"],
        [D(2018, 1, 15), "GHI", 100003, "Underviser"],
        [D(2018, 1, 15), "110170-1234", 100001, "Viceskoleleder"],
        [D(2018, 1, 15), "JKL", 100002, "Sekretær"]])))

    # English CSV from a device management tool
    files.append(("devices", _csv(out / "devices.csv", [
        ["device_id", "kind", "ownership", "holder", "holder_kind", "school_id", "purchased",
         "issued", "returned", "price_dkk"],
        # bought exactly four years before 31 January 2018: not yet due then
        ["T1", "tablet", "municipality", "0101104001", "pupil", "100001", "2014-01-31",
         "2017-05-01", "", "3,299.00"],
        # issued on the measurement date (active), bought one day earlier than T1 (due);
        # the holder's CPR number lost its leading zero
        ["T2", "iPad", "kommune", "202104002", "elev", "100001", "2014-01-30", "2018-01-31",
         "", "3,299.00"],
        # issued on 30 June 2017, returned on 31 December 2017 (no longer active that day)
        ["T3", "tablet", "kommunal", "030311-4003", "student", "100002", "2016-01-01",
         "2017-06-30", "2017-12-31", "2,999.00"],
        # the holder leaves before 31 January 2018: to collect
        ["T4", "tablet", "municipality", "040404-4004", "pupil", "100003", "2013-06-30",
         "2017-08-15", "", ""],
        ["P1", "laptop", "byod", "Elev.NINE", "pupil", "100002", "", "2017-09-01", "", ""],
        ["L1", "laptop", "municipality", "abc", "staff", "100001", "2017-01-01", "2017-01-10",
         "", "7,495.00"],
        ["L2", "laptop", "municipality", "GHI", "employee", "100003", "2016-12-01",
         "2018-02-01", "", ""],
        # returned on the measurement date itself
        ["L3", "chromebook", "municipality", "DEF", "staff", "100002", "2017-01-01",
         "2017-03-01", "2018-01-31", ""]], delimiter=",", encoding="utf-8")))

    files.append(("enrolments", _csv(out / "indskrivninger.csv", [
        ["Ansøgnings ID", "Type", "Kanal", "Modtaget", "Skole ID"],
        ["E1", "Skolestart", "Selvbetjening", "31-01-2018 23:59", "100001"],
        ["E2", "SFO", "Blanket", "01.02.2018", "100001"],
        ["E3", "DUS I", "Mail", "30/06/2017", "100002"],
        ["E4", "Skoleskift", "Web", "01-03-2017", "100002"],
        ["E5", "Indskrivning", "Online", "2017-08-01", "100003"],
        ["E6", "skolestart", "papir", "31-12-2017", "100003"]], encoding="cp1252")))

    files.append(("courses", _xlsx(out / "forloeb.xlsx", [
        ["Forløb ID", "Skole ID", "Forfatter", "Oprettet", "Delt", "Klassetrin"],
        ["C1", 100001, "ABC", D(2017, 5, 1), D(2017, 12, 31), "3. kl."],
        ["C2", 100001, "abc", D(2017, 8, 1), D(2018, 1, 1), None],
        ["C3", 100002, "def", D(2018, 1, 31), D(2018, 1, 31), 5],
        ["C4", 100003, "ghi", D(2017, 7, 31), None, 7],
        ["C5", 100002, "xyz", D(2018, 2, 1), D(2018, 2, 2), 5],
        ["C6", 100001, "110170-1234", D(2017, 6, 30), D(2017, 6, 30), "bh.kl."]])))

    files.append(("course_copies", _csv(out / "kopier.csv", [
        ["Kopi ID", "Forløb ID", "Kopieret", "Skole ID", "Kopieret af"],
        ["", "C1", "31-12-2017", "100002", "def"],
        ["", "C1", "31-12-2017", "100003", "ghi"],
        ["K3", "C3", "31-01-2018", "100001", "abc"],
        ["K4", "C3", "01-02-2018", "100001", "abc"],
        ["K5", "C6", "30-06-2017", "100002", "DEF"]])))

    files.append(("pupil_plans", _csv(out / "elevplaner.csv", [
        ["Elev", "Skole ID", "Skoleår", "Type", "Platform", "Offentliggjort"],
        ["010110-4001", "100001", "2017/2018", "Elevplan", "Min Uddannelse", "31-01-2018"],
        ["0202104002", "100001", "2017/18", "Elevplan", "Papir", "2017-12-01"],
        ["030311-4003", "100002", "2017/18", "elevplaner", "MU", "01-02-2018"],
        ["elev.nine", "100002", "2016/17", "Elevplan", "MinUddannelse", "30-06-2017"],
        ["010110-4001", "100001", "2016/17", "Elevplan", "MinUddannelse", "01-08-2017"],
        ["010110-4001", "100001", "2017/18", "IUP", "Andet", "15-01-2018"],
        ["030311-4003", "100002", "2017/18", "Individuel undervisningsplan", "Papir",
         "01-09-2017"],
        ["elev.nine", "100002", "2016/17", "individual teaching plan", "MinUddannelse",
         "20-05-2017"],
        # a plan for the next school year, published before the measurement date
        ["040404-4004", "100003", "2018/19", "IUP", "MinUddannelse", "20-01-2018"]],
        encoding="cp1252")))

    files.append(("messages", _csv(out / "kommunikation.txt", [
        ["Måned", "Skole ID", "Kanal", "Modtager", "Antal"],
        ["2017-05", "100001", "SkoleIntra", "Forældre", "1.250"],
        ["05-2017", "100001", "Brev", "Forældre", "10"],
        ["2018-01", "100002", "Digital Post", "Elever", "250"],
        ["2018-02", "100002", "SMS", "Elever", "99"],
        ["2017-06", "100003", "Seddel", "Forældre", "5"],
        ["2017-06", "100003", "e-mail", "Medarbejdere", "2.500"]], delimiter="\t",
        encoding="cp1252")))

    files.append(("trainings", _csv(out / "uddannelser.csv", [
        ["Deltager", "Skole ID", "Rolle", "Kursus", "Gennemført"],
        ["110170-1234", "100001", "Viceskoleleder", "SUPERBRUGER Aula", "31-12-2017"],
        ["abc", "100002", "Lærer", "Superbruger MinUddannelse", "01-06-2017"],
        ["220280-1111", "100002", "Skoleleder", "Ledelse og IT", "01-06-2017"],
        ["220280-1111", "100002", "Skoleleder", "Superbruger MinUddannelse", "01-02-2018"]])))

    files.append(("milestones", _csv(out / "milepaele.csv", [
        ["Mål", "Milepæl", "Frist", "Opnået"],
        ["4", "drift", "31-12-2017", "31-01-2018"],
        ["8", "Aula i brug", "01-08-2019", ""]])))
    return files
