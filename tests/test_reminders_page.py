"""The "Påmindelser" page: central staff and admins see what will be sent and what was."""

from __future__ import annotations

import datetime as dt

from strategistatus.reminders import SENT
from test_web import app_ws, client, sign_in  # noqa: F401 - the fixtures


def test_leaders_and_the_public_are_refused(client):  # noqa: F811
    assert client.get("/reminders", follow_redirects=False).status_code in (303, 401, 403)
    sign_in(client, "lea")
    r = client.get("/reminders", follow_redirects=False)
    assert r.status_code in (303, 403, 404) and "example.dk" not in r.text


def test_central_staff_see_the_plan_and_what_was_sent(client, app_ws):  # noqa: F811
    with app_ws.open_store(read_only=True) as store:
        store.accounts.audit(dt.datetime(2018, 1, 30, 7, 0), "cli:cron", SENT,
                             "round:Status 2018/goal:1", None, "to it-afdelingen@example.dk")
    sign_in(client, "carl")
    r = client.get("/reminders")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    page = r.text
    assert "<h1>Påmindelser</h1>" in page and 'href="/reminders"' in page
    assert "Næste afrapportering: Status 2018, frist 1. marts 2018." in page
    assert "round:Status 2018/goal:2" in page  # planned: goal 2 has no text
    assert "30.01.2018" in page or "30. januar 2018" in page  # sent, a Danish date
    planned = page.split("Sendes ved næste kørsel")[1].split("<h2")[0]
    assert "round:Status 2018/goal:1" not in planned  # already sent: not again
