"""The pages' errors speak the page's language and lead somewhere (issue 13): a visitor who
is not signed in is asked to sign in and comes back to the page asked for (never to another
site); error pages say what happened in Danish or English, never the API's English detail
or the framework's JSON; a new user's role starts at the least privilege."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from strategistatus.web.routes.session import back_to
from strategistatus.web.words import WORDS
from test_web import PASSWORD, app_ws, client, sign_in  # noqa: F401 - fixtures

ENGLISH_DETAILS = ("no such goal", "no such school", "not allowed", "Not Found", "detail",
                   "CSRF", "field required", "msg")


def form_token(html: str) -> str:
    start = html.index('name="form_token" value="') + len('name="form_token" value="')
    return html[start:html.index('"', start)]


@pytest.mark.parametrize("path", ["/users", "/imports", "/narratives?round=r",
                                  "/reports", "/schools/280001?at=2018-01-31"])
def test_a_visitor_is_asked_to_sign_in_and_comes_back(client, path):  # noqa: F811
    r = client.get(path, follow_redirects=False)
    if path.startswith("/schools/"):  # a school's detail is not for the public: not found
        assert r.status_code == 404
        return
    assert r.status_code == 303
    target = urlsplit(r.headers["location"])
    assert target.path == "/sign-in" and parse_qs(target.query)["next"] == [path]
    page = client.get(r.headers["location"])
    assert WORDS["da"]["sign_in_first"] in page.text
    assert f'name="next" value="{path}"' in page.text
    done = client.post("/sign-in", data={"name": "anna", "password": PASSWORD, "next": path,
                                         "form_token": form_token(page.text)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == path
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                  "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1", "", "x",
                                  "/" + "a" * 3000, "\\\\evil.example"])
def test_a_sign_in_never_leads_to_another_site(client, evil):  # noqa: F811
    assert back_to(evil) == "/"
    page = client.get("/sign-in")
    done = client.post("/sign-in", data={"name": "carl", "password": PASSWORD, "next": evil,
                                         "form_token": form_token(page.text)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_a_wrong_password_keeps_the_page_asked_for(client):  # noqa: F811
    page = client.get("/sign-in?next=/users")
    done = client.post("/sign-in", data={"name": "carl", "password": "forkert", "next": "/users",
                                         "form_token": form_token(page.text)},
                       follow_redirects=False)
    query = parse_qs(urlsplit(done.headers["location"]).query)
    assert query["next"] == ["/users"] and query["error"] == ["1"]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("who,path,status", [
    (None, "/goals/99", 404), (None, "/nowhere", 404), (None, "/?at=31-02-2018", 422),
    (None, "/goals/1?at=i%20morgen", 422), ("lea", "/schools/280002?at=2018-01-31", 404),
    ("lea", "/users", 403), ("lea", "/imports", 403), ("carl", "/schools/999999", 404),
    ("carl", "/reports/files/ikke-her.pdf", 404), ("carl", "/?at=1800-01-01", 422)])
def test_error_pages_speak_the_pages_language(client, lang, who, path, status):  # noqa: F811
    if who:
        sign_in(client, who)
    joiner = "&" if "?" in path else "?"
    r = client.get(f"{path}{joiner}lang={lang}", follow_redirects=False)
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    text = r.text
    other = WORDS["en" if lang == "da" else "da"]
    assert WORDS[lang]["to_overview"] in text and other["to_overview"] not in text
    expected = WORDS[lang].get(f"e_{status}")
    assert expected in text
    assert not any(d in text for d in ENGLISH_DETAILS), text
    assert "Traceback" not in text and '{"' not in text


def test_a_wrong_date_says_what_to_write_in_danish(client):  # noqa: F811
    text = client.get("/?at=31-02-2018").text
    assert "at" in text and ("dato" in text.lower())


def test_the_api_keeps_its_json_errors(client):  # noqa: F811
    r = client.get("/api/v1/goals/99")
    assert r.status_code == 404 and r.json() == {"detail": "no such goal"}
    r = client.get("/api/v1/users")
    assert r.status_code == 401 and "detail" in r.json()


def test_a_new_user_starts_at_the_least_privilege(client):  # noqa: F811
    sign_in(client, "anna")
    page = client.get("/users").text
    select = page[page.index('id="role"'):page.index("</select>", page.index('id="role"'))]
    assert '<option value="leader" selected>' in select
    assert select.count("selected") == 1
