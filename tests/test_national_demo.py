"""The national demo: every Danish municipality's export folder, exactly as a real export
writes it, the same for the same seed, with no CPR number and no person in two
municipalities. A small fraction of the country (a few seconds per run)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import runpy
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from strategistatus.cli import app as cli_app
from strategistatus.demo import national
from strategistatus.demo.national import MARKER, NationalDemoError, write_country
from strategistatus.importer import import_files
from strategistatus.municipalities import municipalities
from strategistatus.national.export import MANIFEST, TABLES, export_parquet
from strategistatus.national.sources import find_exports
from strategistatus.status.dates import data_date
from strategistatus.store.migrations import SCHEMA_VERSION
from strategistatus.web.security import hash_password
from strategistatus.workspace import init_workspace

FRACTION = 0.02
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PERSONS = {"pupils": ("pupil",), "staff": ("employee",), "devices": ("holder",),
           "courses": ("author",), "course_copies": ("copier",), "pupil_plans": ("pupil",),
           "trainings": ("person",), "users": ("name",), "audit_log": ("user",)}
PSEUDONYM = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ACCOUNT = r"^[0-9a-f]{32}$"
# ten digits, DDMMYY-SSSS or DDMMYYSSSS, not inside a longer run of letters and digits
CPR = r"(^|[^0-9A-Za-z])\d{6}-?\d{4}([^0-9A-Za-z]|$)"


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national") / "dk"
    write_country(out, 2018, fraction=FRACTION)
    return out


@pytest.fixture(scope="module")
def manifests(country: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(country.glob(f"*/{MANIFEST}"))}


@pytest.fixture(scope="module")
def real_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real export of a small workspace: the sample exports, an account and a sign-in."""
    root = tmp_path_factory.mktemp("real")
    ws = init_workspace(root / "ws")
    for dataset, name in runpy.run_path(str(EXAMPLES / "make_examples.py"))["IMPORTS"]:
        report = import_files(ws, dataset, [EXAMPLES / "data" / name], user="tester")
        assert report.ok, (dataset, report.errors[:3])
    now = dt.datetime(2018, 1, 31, 12, 0)
    with ws.open_store() as store:
        school = store.table("schools").select("school_id").to_pyarrow().column(0)[0].as_py()
        store.accounts.create_user("Anna", role="leader", school_id=school,
                                   password_hash=hash_password("korrekt-hest-42"), now=now)
        store.accounts.audit(now, "Anna", "sign_in", "Anna", school, "from 10.0.0.7")
    out = root / "export"
    with ws.open_store(read_only=True) as store:
        export_parquet(store, out, code=ws.settings.municipality_code, secret=ws.secret(),
                       data_until=data_date(store))
    return out


def test_every_municipality_with_its_real_name_code_and_region(country: Path,
                                                               manifests: dict[str, dict]):
    known = municipalities()
    assert len(manifests) == len(known) == 98
    assert (country / MARKER).is_file()
    codes = set()
    for folder, manifest in manifests.items():
        m = manifest["municipality"]
        assert known[m["code"]] == (m["name"], m["region"])
        assert folder.startswith(f"{m['code']:04d}-")
        assert manifest["format"] == "strategistatus-export"
        assert manifest["schema_version"] == SCHEMA_VERSION
        assert manifest["data_until"] == "2018-01-31"
        assert manifest["roster_dates"] == [f"{y}-09-05" for y in range(2014, 2018)]
        assert manifest["schools"] and all(s.startswith(str(m["code"])) for s in manifest["schools"])
        assert set(manifest["datasets"]) == set(TABLES)
        for name, entry in manifest["datasets"].items():
            path = country / folder / entry["file"]
            assert entry["file"] == f"{name}.parquet"
            assert pq.ParquetFile(path).metadata.num_rows == entry["rows"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        codes.add(m["code"])
    assert codes == set(known)
    assert len({m["municipality"]["region"] for m in manifests.values()}) == 5
    assert "0851-aalborg" in manifests and "0101-koebenhavn" in manifests


def test_the_readers_accept_it(country: Path):
    exports = find_exports([country])
    assert len(exports) == 98 and len({e.code for e in exports}) == 98
    assert sum(len(e.schools) for e in exports) >= 98


def test_every_file_has_a_real_exports_columns_and_types(country: Path, real_export: Path,
                                                         manifests: dict[str, dict]):
    real = {name: pq.read_schema(real_export / f"{name}.parquet") for name in TABLES}
    assert pq.ParquetFile(real_export / "audit_log.parquet").metadata.num_rows == 1
    for folder in manifests:
        for name in TABLES:
            schema = pq.read_schema(country / folder / f"{name}.parquet")
            assert schema.equals(real[name], check_metadata=True), (folder, name, schema)


def test_persons_are_pseudonyms_of_one_municipality_only(country: Path,
                                                         manifests: dict[str, dict]):
    seen: set[str] = set()
    for folder in manifests:
        mine: set[str] = set()
        for name, columns in PERSONS.items():
            rows = pq.read_table(country / folder / f"{name}.parquet", columns=list(columns))
            for column in rows.columns:
                values = column.drop_null()
                shape = ACCOUNT if name in ("users", "audit_log") else PSEUDONYM
                assert pc.all(pc.match_substring_regex(values, shape)).as_py() in (True, None)
                assert not pc.any(pc.match_substring_regex(values, CPR)).as_py(), (folder, name)
                mine.update(pc.unique(values).to_pylist())
        assert not mine & seen, folder
        seen |= mine
    assert len(seen) > 10_000


def test_no_value_anywhere_looks_like_a_cpr_number(country: Path, manifests: dict[str, dict]):
    for folder in list(manifests)[:10]:
        for name in TABLES:
            rows = pq.read_table(country / folder / f"{name}.parquet")
            for column in rows.columns:
                if column.type == "string":
                    assert not pc.any(pc.match_substring_regex(column, CPR)).as_py(), (folder, name)


def test_the_rows_fit_together_and_follow_the_pace(country: Path, manifests: dict[str, dict]):
    total = sum(m["datasets"]["pupils"]["rows"] for m in manifests.values())
    assert 4 * 550_000 * FRACTION * 0.8 < total < 4 * 550_000 * FRACTION * 1.3
    aalborg = country / "0851-aalborg"
    courses = pq.read_table(aalborg / "courses.parquet")
    copies = pq.read_table(aalborg / "course_copies.parquet")
    assert pc.all(pc.is_in(copies["course_id"], courses["course_id"])).as_py()
    schools = pq.read_table(aalborg / "schools.parquet")["school_id"]
    for name in ("pupils", "staff", "devices", "courses", "messages", "finances"):
        used = pq.read_table(aalborg / f"{name}.parquet", columns=["school_id"])["school_id"]
        assert pc.all(pc.is_in(used, schools)).as_py(), name
    milestones = pq.read_table(aalborg / "milestones.parquet").to_pylist()
    assert [(r["goal"], r["milestone"]) for r in milestones][-1] == ("8", "Aula i brug")
    plan = {m.folder: m.speed for m in national.national_plan(2018, fraction=FRACTION)}
    fast, slow = max(plan, key=plan.__getitem__), min(plan, key=plan.__getitem__)
    assert _shared_share(country / fast) > _shared_share(country / slow)


def _shared_share(folder: Path) -> float:
    courses = pq.read_table(folder / "courses.parquet", columns=["shared"])["shared"]
    return 1 - courses.null_count / max(1, len(courses))


def test_the_same_seed_gives_the_same_bytes_and_another_seed_others(
        country: Path, manifests: dict[str, dict], tmp_path: Path):
    again = tmp_path / "again"
    write_country(again, 2018, fraction=FRACTION)
    assert {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
            for p in again.glob(f"*/{MANIFEST}")} == manifests
    assert (again / "0851-aalborg" / MANIFEST).read_bytes() == \
        (country / "0851-aalborg" / MANIFEST).read_bytes()
    other = write_country(again, 7, fraction=FRACTION)  # an earlier demo: replaced
    assert [p.name for p in tmp_path.iterdir()] == ["again"]
    for folder in other:
        shas = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["datasets"]
        first = manifests[folder.name]["datasets"]
        assert shas["pupils"]["sha256"] != first["pupils"]["sha256"]
        assert shas["courses"]["sha256"] != first["courses"]["sha256"]


def test_an_earlier_demo_is_replaced_anything_else_refused(tmp_path: Path):
    out = tmp_path / "dk"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NationalDemoError, match="not an earlier national demo"):
        write_country(out, fraction=FRACTION)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["dk"]  # nothing half-written beside it
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(NationalDemoError, match="is a file"):
        write_country(tmp_path / "file", fraction=FRACTION)
    with pytest.raises(ValueError, match="fraction"):
        write_country(tmp_path / "new", fraction=0)


def test_the_command_writes_the_country_and_says_what_next(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(national, "write_country",
                        functools.partial(write_country, fraction=FRACTION))
    out = tmp_path / "dk"
    done = CliRunner().invoke(cli_app, ["--lang", "en", "demo", "--scale", "national",
                                        "--out", str(out), "--seed", "5"])
    assert done.exit_code == 0, done.output
    assert len(find_exports([out])) == 98
    text = re.sub(r"\s+", " ", done.output)
    assert "98 municipalities" in text and "pupils" in text and "rows" in text
    assert f"strategistatus status --engine duckdb --data {out}" in text
    wrong = CliRunner().invoke(cli_app, ["--lang", "en", "demo", "--scale", "regional"])
    assert wrong.exit_code == 2
    assert "--scale must be municipality or national" in re.sub(r"[\s│]+", " ", wrong.output)
