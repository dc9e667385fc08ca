"""Nothing of a child's data left behind (issue 9, points 1, 2 and 8).

* No object in the database refers to a file, after any kind of import: written, checked
  (dry run), refused, broken off by an unreadable file, or checked on the web page; and no
  staging table or key outlives an import in a connection that stays open (the server's).
* Workspace folders are 0700 and files 0600, by the library and by the command line.
* Uploads that are not confirmed are deleted: refused, cancelled, expired, at start-up.
* A name a user gives (a file, a round) never becomes a path or an address unencoded, and
  CPR-shaped text in a file's name is masked in answers, the audit log and batch records.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from conftest import run_import, write
from strategistatus.errors import InputError
from strategistatus.store.accounts import INDICATOR_VIEWS
from strategistatus.web.app import create_app
from test_web import NOW, app_ws, client, sign_in  # noqa: F401 - fixtures

CPR_FILE = "elever 0102031234.csv"  # a clerk names the file after a child
PUPILS = "Dato;CPR;Skole ID;Klassetrin\n05-09-2017;0102031234;280001;3\n"
BAD_PUPILS = PUPILS + "05-09-2017;3102031234;280001;3\n"  # 31 February: refused
COURSES = "Forløb ID;Skole ID;Forfatter;Oprettet\nF1;280001;l1;01-09-2016\n"


def _objects(con) -> list[tuple]:  # noqa: ANN001
    """Every object of an import that could outlive it: views, staging tables, variables."""
    views = [v for v in con.execute("SELECT view_name, temporary, sql FROM duckdb_views() "
                                    "WHERE NOT internal").fetchall()
             if v[0] not in INDICATOR_VIEWS]  # the accounts goal 7 reads, registered
    tables = con.execute("SELECT table_name FROM duckdb_tables() "
                         "WHERE table_name LIKE '\\_stg\\_%' ESCAPE '\\'").fetchall()
    variables = con.execute("SELECT name FROM duckdb_variables()").fetchall()
    return views + tables + variables


@pytest.mark.parametrize("how", ["written", "dry_run", "refused", "broken_off"])
def test_no_import_leaves_an_object_that_refers_to_a_file(ws, tmp_path, how):
    text = {"written": PUPILS, "dry_run": PUPILS, "refused": BAD_PUPILS,
            "broken_off": PUPILS.replace("\n05", "\n\"05", 1)}[how]  # an unclosed quote
    path = write(tmp_path / "elever.csv", text)
    try:
        run_import(ws, "pupils", path, dry_run=how == "dry_run")
    except InputError:
        assert how == "broken_off"
    with ws.open_store() as store:
        assert _objects(store.con) == []
        views = store.con.execute("SELECT count(*) FROM duckdb_views() "
                                  "WHERE sql ILIKE '%read_csv%'").fetchone()
        assert views == (0,)


@pytest.mark.embedded  # a view in the DuckDB file of an older version
def test_a_view_left_by_an_older_version_is_dropped_when_the_database_is_opened(ws, tmp_path):
    path = write(tmp_path / "elever.csv", PUPILS)
    with ws.open_store() as store:  # what an older version left: a view reading the file
        store.con.execute(f"CREATE VIEW _stg_src_1 AS SELECT * FROM read_csv('{path}')")
    with ws.open_store() as store:
        assert _objects(store.con) == []


def test_the_servers_open_connection_keeps_nothing_of_a_check(client):  # noqa: F811
    csrf = sign_in(client, "carl")
    for text in (PUPILS, BAD_PUPILS, "not a csv file at all"):
        checked = client.post("/api/v1/imports", data={"dataset": "pupils"},
                              files={"file": ("elever.csv", text.encode(), "text/csv")},
                              headers={"X-CSRF-Token": csrf})
        if text == PUPILS:  # kept to be confirmed: the clerk cancels it instead
            assert client.delete(f"/api/v1/imports/{checked.json()['upload_id']}",
                                 headers={"X-CSRF-Token": csrf}).status_code == 200
        state = client.app.state.s
        with state.lock:
            temporary = state.store.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL "
                "SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal "
                "UNION ALL SELECT name FROM duckdb_variables()").fetchall()
        assert [t for t in temporary if t[0] not in INDICATOR_VIEWS] == []
    assert not any(state.ws.uploads.iterdir())  # refused and cancelled checks are gone


def _modes(root: Path) -> list[str]:
    """Every folder and file under ``root`` that others than the owner may use."""
    loose = []
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            if stat.S_IMODE((Path(folder) / name).stat().st_mode) != 0o700:
                loose.append(f"{folder}/{name}/")
        for name in files:
            if stat.S_IMODE((Path(folder) / name).stat().st_mode) != 0o600:
                loose.append(f"{folder}/{name}")
    if stat.S_IMODE(root.stat().st_mode) != 0o700:
        loose.append(str(root))
    return loose


def test_workspace_folders_are_0700_and_files_0600_through_the_library(ws, tmp_path):
    old = os.umask(0o022)  # a usual shell's umask
    try:
        assert run_import(ws, "pupils", write(tmp_path / "elever.csv", BAD_PUPILS)).error_log
        assert run_import(ws, "pupils", write(tmp_path / "elever.csv", PUPILS)).ok
        ws.uploads, ws.reports  # noqa: B018 - made on first use
        with ws.open_store():
            pass
    finally:
        os.umask(old)
    assert _modes(ws.root) == []


def test_workspace_folders_are_0700_and_files_0600_through_the_command_line(tmp_path):
    cli = [sys.executable, "-c", "from strategistatus.cli import main; main()"]
    data = write(tmp_path / "elever.csv", PUPILS)
    ws = tmp_path / "ws"

    def run(*args: str) -> None:
        subprocess.run([*cli, *args], check=True, capture_output=True,
                       preexec_fn=lambda: os.umask(0o022))

    run("init", str(ws))
    run("import", "pupils", str(data), "-w", str(ws))
    run("report", "-w", str(ws), "--at", "2018-01-31", "--format", "md", "--out",
        str(ws / "reports"))
    assert _modes(ws) == []


def _check(client: TestClient, csrf: str, text: str, name: str = "elever.csv") -> dict:
    r = client.post("/api/v1/imports", data={"dataset": "pupils"},
                    files={"file": (name, text.encode(), "text/csv")},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    return r.json()


def _uploads(ws) -> list[Path]:  # noqa: ANN001
    return [p for p in ws.uploads.rglob("*") if p.is_file()]


def test_an_upload_waits_private_until_confirmed_and_a_refused_one_is_deleted(client, app_ws):  # noqa: F811
    csrf = sign_in(client, "carl")
    checked = _check(client, csrf, PUPILS)
    assert checked["ok"] and len(_uploads(app_ws)) == 2  # the file and its upload.json
    assert _modes(app_ws.uploads) == []
    refused = _check(client, csrf, BAD_PUPILS)
    assert not refused["ok"] and len(_uploads(app_ws)) == 2  # the refused one is gone
    unreadable = _check(client, csrf, "\x00\x01\x02")
    assert not unreadable["ok"] and len(_uploads(app_ws)) == 2
    done = client.post(f"/api/v1/imports/{checked['upload_id']}/confirm",
                       headers={"X-CSRF-Token": csrf})
    assert done.json()["written"] and _uploads(app_ws) == []


def test_a_cancelled_upload_is_deleted_through_the_api_and_the_page(client, app_ws):  # noqa: F811
    csrf = sign_in(client, "carl")
    first = _check(client, csrf, PUPILS)["upload_id"]
    r = client.delete(f"/api/v1/imports/{first}", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json() == {"upload_id": first, "cancelled": True}
    second = _check(client, csrf, PUPILS)["upload_id"]
    r = client.post(f"/imports/{second}/cancel", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and _uploads(app_ws) == []
    assert client.delete(f"/api/v1/imports/{first}",
                         headers={"X-CSRF-Token": csrf}).status_code == 404
    state = client.app.state.s
    with state.lock:
        actions = [e["action"] for e in state.store.accounts.audit_entries()]
    assert actions.count("import_cancel") == 2


def test_an_upload_not_confirmed_in_time_is_deleted_and_every_upload_at_start_up(app_ws):  # noqa: F811
    now = [NOW]
    with TestClient(create_app(app_ws, clock=lambda: now[0])) as c:
        csrf = sign_in(c, "carl")
        waiting = _check(c, csrf, PUPILS)["upload_id"]
        now[0] = NOW + dt.timedelta(minutes=59)
        csrf = sign_in(c, "carl")  # the session ended after 30 minutes idle
        _check(c, csrf, PUPILS)  # a second one, an hour younger
        assert len(_uploads(app_ws)) == 4
        now[0] = NOW + dt.timedelta(minutes=61)
        late = c.post(f"/api/v1/imports/{waiting}/confirm", headers={"X-CSRF-Token": csrf})
        assert late.status_code == 404 and len(_uploads(app_ws)) == 2
    with TestClient(create_app(app_ws, clock=lambda: now[0])):
        assert _uploads(app_ws) == []  # a new start: nobody can confirm the old ones
    with app_ws.open_store() as store:
        actions = [e["action"] for e in store.accounts.audit_entries()]
    assert "upload_expired" in actions


@pytest.mark.parametrize("name", ["upload.json", "dataset.json", "..", "../../secret.key",
                                  "a\x0bb\u202e.csv", CPR_FILE, " ", "æøå" * 100 + ".csv"])
def test_no_file_name_reaches_the_uploads_metadata_or_leaves_its_folder(client, app_ws, name):  # noqa: F811
    csrf = sign_in(client, "carl")
    checked = _check(client, csrf, PUPILS, name)
    assert checked["ok"], checked
    done = client.post(f"/api/v1/imports/{checked['upload_id']}/confirm",
                       headers={"X-CSRF-Token": csrf}).json()
    assert done["written"]
    assert app_ws.secret_path.read_text().strip()  # untouched
    assert _uploads(app_ws) == []


def test_a_cpr_number_in_a_files_name_is_masked_everywhere(client, app_ws, tmp_path):  # noqa: F811
    csrf = sign_in(client, "carl")
    bad = _check(client, csrf, BAD_PUPILS, CPR_FILE)
    good = _check(client, csrf, PUPILS, CPR_FILE)
    confirmed = client.post(f"/api/v1/imports/{good['upload_id']}/confirm",
                            headers={"X-CSRF-Token": csrf})
    page = client.post("/imports", data={"dataset": "pupils", "csrf_token": csrf},
                       files={"file": (CPR_FILE, BAD_PUPILS.encode(), "text/csv")})
    cli_report = run_import(app_ws, "pupils", write(tmp_path / CPR_FILE, BAD_PUPILS))
    with pytest.raises(InputError) as refused:
        run_import(app_ws, "pupils", write(tmp_path / "0102031234.csv", "no header\n"))
    shown = [str(bad), str(good), confirmed.text, page.text, str(cli_report.errors),
             str(refused.value)]
    with app_ws.open_store() as store:
        shown += [str(store.accounts.audit_entries()), str(store.batches()),
                  str(store.reports.rejections())]
    text = "\n".join(shown)
    assert "0102031234" not in text and "010203-****" in text
    for path in app_ws.root.rglob("*"):
        assert "1234" not in path.name, path


def test_a_refused_request_never_echoes_what_was_sent(client):  # noqa: F811
    """FastAPI's 422 repeats the input; a file sent as a plain form field (no file name)
    would come back with every CPR number in it."""
    csrf = sign_in(client, "carl")
    r = client.post("/api/v1/imports", data={"dataset": "pupils"},
                    files={"file": ("", PUPILS.encode(), "text/csv")},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "0102031234" not in r.text and "Dato" not in r.text
    r = client.get("/api/v1/overview", params={"at": "0102031234"})
    assert r.status_code == 422 and "0102031234" not in r.text


def test_a_round_name_with_markup_gives_a_report_that_downloads(client):  # noqa: F811
    csrf = sign_in(client, "anna")
    for round_name in ('a<b>"c', "2018/19 ../../x", "æøå?#%", "   x   "):
        made = client.post("/api/v1/reports", data={"at": "2018-01-31", "round": round_name,
                                                     "format": "md", "lang": "da"},
                           headers={"X-CSRF-Token": csrf})
        assert made.status_code == 200, made.text
        body = made.json()
        assert "/" not in body["file"] and ".." not in body["file"].rsplit(".", 1)[0]
        assert client.get(body["url"]).status_code == 200
        listed = client.get("/reports").text
        assert f'href="/reports/files/{quote(body["file"])}"' in listed


def test_the_narrative_forms_redirect_encodes_the_round(client):  # noqa: F811
    csrf = sign_in(client, "anna")
    r = client.post("/narratives", data={"round": "jan & feb?x=1#y", "goal": "6",
                                         "text": "På vej.", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/narratives?round=jan+%26+feb%3Fx%3D1%23y"
    assert "På vej." in client.get(r.headers["location"]).text
