"""Imports, narratives and reports through the web: staff only, CSRF, audited, all or nothing."""

from __future__ import annotations

import pytest

from test_web import PASSWORD, app_ws, client, sign_in  # noqa: F401 - fixtures

GOOD = "Forløb ID;Skole ID;Forfatter;Oprettet;Delt\nF1;280001;laerer1;01-09-2016;02-09-2016\n"
BAD = GOOD + "F2;280001;;31-02-2017;\n"


def upload(client, csrf, text, dataset="courses"):
    return client.post("/api/v1/imports", data={"dataset": dataset},
                       files={"file": ("forloeb.csv", text.encode("utf-8-sig"), "text/csv")},
                       headers={"X-CSRF-Token": csrf})


def test_upload_shows_every_error_and_writes_nothing_then_a_fixed_file_imports(client):
    csrf = sign_in(client, "carl")
    checked = upload(client, csrf, BAD).json()
    assert not checked["ok"] and [(e["row"], e["column"]) for e in checked["errors"]] == [
        (3, "Forfatter"), (3, "Oprettet")]
    refused = client.post(f"/api/v1/imports/{checked['upload_id']}/confirm",
                          headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 404  # a refused file is deleted at once: nothing to confirm
    fixed = upload(client, csrf, GOOD).json()
    assert fixed["ok"] and fixed["dry_run"] and fixed["inserted"] == 1 and not fixed["written"]
    done = client.post(f"/api/v1/imports/{fixed['upload_id']}/confirm",
                       headers={"X-CSRF-Token": csrf}).json()
    assert done["written"] and done["inserted"] == 1
    again = client.post(f"/api/v1/imports/{fixed['upload_id']}/confirm",
                        headers={"X-CSRF-Token": csrf})
    assert again.status_code == 404  # an upload is used once
    state = client.app.state.s
    with state.lock:
        actions = [e["action"] for e in state.store.accounts.audit_entries()]
    assert actions.count("import") == 1


@pytest.mark.parametrize("who", [None, "lea"])
def test_imports_narratives_and_reports_are_for_staff_only(client, who):
    csrf = sign_in(client, who) if who else ""
    assert upload(client, csrf, GOOD).status_code in (401, 403)
    for path in ("/imports", "/narratives", "/reports", "/api/v1/narratives?round=x"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code in (401, 403) or (
            who is None and r.status_code == 303 and r.headers["location"].startswith("/sign-in"))


def test_state_changes_need_the_csrf_token(client):
    sign_in(client, "carl")
    assert upload(client, "wrong", GOOD).status_code == 403
    assert client.post("/api/v1/reports", data={"at": "2018-01-31"}).status_code == 403


def test_upload_size_limit(client, app_ws):
    csrf = sign_in(client, "carl")
    text = app_ws.settings_path.read_text().replace("upload_limit_mb = 50", "upload_limit_mb = 0")
    app_ws.settings_path.write_text(text)
    assert upload(client, csrf, GOOD).status_code == 413


def test_narrative_and_report_through_the_api(client):
    csrf = sign_in(client, "anna")
    r = client.put("/api/v1/narratives/6", data={"round": "januar 2018", "text": "På vej."},
                   headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    assert next(g for g in r.json()["goals"] if g["id"] == "6")["text"] == "På vej.\n"
    made = client.post("/api/v1/reports", data={"at": "2018-01-31", "round": "januar 2018",
                                                "format": "md", "lang": "da"},
                       headers={"X-CSRF-Token": csrf}).json()
    text = client.get(made["url"]).text
    assert "Status for målene" in text and "På vej." in text
    assert client.get("/reports/files/..%2Fsecret.key").status_code == 404
