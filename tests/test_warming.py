"""New data is shown once its pages are computed (``web/warming.py``): after a write by
another process the app goes on answering from memory with the data it shows, one worker
thread computes the recently asked pages for the new data, then the new data is shown; a
write through the app itself is shown on the writer's very next page."""

from __future__ import annotations

import time

from conftest import run_import, write
from test_web import PASSWORD, SCHOOLS, app_ws, client, sign_in  # noqa: F401 - fixtures

MORE_SCHOOLS = SCHOOLS + "280003;Gandrup Skole\n"
PATHS = ("/api/v1/schools", "/api/v1/overview?at=2018-01-31", "/api/v1/goals/1?at=2018-01-31")


def ids(answer) -> list[str]:  # noqa: ANN001
    assert answer.status_code == 200, answer.text
    return sorted(s["school_id"] for s in answer.json())


def kept(state, version, path_key: str) -> bool:  # noqa: ANN001
    return any(slot[0] == version and path_key in slot[1] for slot in state._cache)


def heard(state, shown):  # noqa: ANN001, ANN201
    """The newest version once the app has heard of the write (PostgreSQL: notified)."""
    deadline = time.monotonic() + 30
    while state.readers.version() <= shown:
        assert time.monotonic() < deadline, "the write was never heard"
        time.sleep(0.02)
    return state.readers.version()


def test_another_process_write_is_shown_when_its_pages_are_computed(client, app_ws, tmp_path):  # noqa: F811
    state = client.app.state.s
    before = {p: client.get(p).content for p in PATHS}
    assert ids(client.get(PATHS[0])) == ["280001", "280002"]
    shown = state.warmer.shown

    assert run_import(app_ws, "schools", write(tmp_path / "skoler.csv", MORE_SCHOOLS)).ok
    newest = heard(state, shown)
    # the first request after the write is answered at once, from memory: the data shown
    assert client.get(PATHS[0]).content == before[PATHS[0]]
    deadline = time.monotonic() + 60
    while ids(client.get(PATHS[0])) != ["280001", "280002", "280003"]:
        assert time.monotonic() < deadline, "the new data was never shown"
        time.sleep(0.05)
    assert state.warmer.shown == newest
    # every recently asked page was computed for the new data before it was shown
    assert kept(state, newest, "overview") and kept(state, newest, "goal")
    for path in PATHS[1:]:
        assert client.get(path).status_code == 200


def test_every_answer_while_new_data_is_computed_is_one_data_state(client, app_ws, tmp_path):  # noqa: F811
    old = ids(client.get(PATHS[0]))
    client.get(PATHS[1])
    assert run_import(app_ws, "schools", write(tmp_path / "skoler.csv", MORE_SCHOOLS)).ok
    seen = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = tuple(ids(client.get(PATHS[0])))
        seen.add(answer)
        if len(answer) == 3:
            break
    assert seen <= {tuple(old), ("280001", "280002", "280003")}
    assert ("280001", "280002", "280003") in seen


def test_an_upload_through_the_app_is_shown_on_the_next_request(client):  # noqa: F811
    csrf = sign_in(client, "carl")
    assert ids(client.get(PATHS[0])) == ["280001", "280002"]
    client.get(PATHS[1])
    upload = client.post("/api/v1/imports", data={"dataset": "schools"},
                         files={"file": ("skoler.csv", MORE_SCHOOLS.encode(), "text/csv")},
                         headers={"X-CSRF-Token": csrf})
    assert upload.status_code == 200 and upload.json()["ok"], upload.text
    done = client.post(f"/api/v1/imports/{upload.json()['upload_id']}/confirm",
                       headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200 and done.json()["ok"], done.text
    assert ids(client.get(PATHS[0])) == ["280001", "280002", "280003"]  # no waiting, no lag


def test_a_failing_page_does_not_keep_new_data_from_being_shown(client, app_ws, tmp_path):  # noqa: F811
    state = client.app.state.s
    client.get(PATHS[0])

    def broken() -> None:
        raise RuntimeError("a page that cannot be computed")

    state.warmer.note(("broken",), broken)
    assert run_import(app_ws, "schools", write(tmp_path / "skoler.csv", MORE_SCHOOLS)).ok
    client.get(PATHS[0])
    deadline = time.monotonic() + 60
    while state.warmer.shown != state.readers.version():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert ids(client.get(PATHS[0])) == ["280001", "280002", "280003"]


def test_a_sign_in_shows_the_new_count_of_sign_ins_without_stopping_readers(client):  # noqa: F811
    state = client.app.state.s
    client.get(PATHS[1])
    before = state.readers.version()
    sign_in(client, "lea")  # goal 7 counts leaders' sign-ins: the accounts' epoch moves
    assert state.readers.version() > before
    assert client.get(PATHS[1]).status_code == 200
    deadline = time.monotonic() + 60
    while state.warmer.shown != state.readers.version():
        client.get(PATHS[1])
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert PASSWORD not in client.get(PATHS[1]).text


def test_the_app_stops_only_after_the_pages_being_computed(app_ws, tmp_path):  # noqa: F811
    """Stopping while new data's pages are computed waits for them: a database closed under a
    query in flight would abort the process (it did, once, in a test run)."""
    from fastapi.testclient import TestClient

    from strategistatus.web.app import create_app
    from test_web import NOW

    app = create_app(app_ws, clock=lambda: NOW)
    with TestClient(app) as c:
        state = c.app.state.s
        for path in PATHS:
            assert c.get(path).status_code == 200
        for n in range(8):  # more pages to compute: every school's, at several dates
            c.get(f"/api/v1/overview?at=2017-0{n + 1}-15")
        shown = state.warmer.shown
        assert run_import(app_ws, "schools", write(tmp_path / "skoler.csv", MORE_SCHOOLS)).ok
        heard(state, shown)
        c.get(PATHS[0])  # starts computing the new data's pages
        thread = state.warmer._thread
        assert thread is not None
    assert not thread.is_alive() and state.warmer.stopping.is_set()
