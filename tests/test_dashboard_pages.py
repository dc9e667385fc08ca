"""What the restyled pages say beyond their figures (issue 13): the overview's summary, the
narratives page's rounds and figures, finance accounts by name with overspending marked,
and a count's "I alt". The figures themselves are checked in test_web_truth.py."""

from __future__ import annotations

import re

from test_web import PASSWORD, app_ws, client, sign_in  # noqa: F401 - fixtures


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_overview_counts_the_goals_per_status(client):  # noqa: F811
    answer = client.get("/api/v1/overview").json()
    met = sum(1 for g in answer["goals"] if g["status"] == "met")
    page = text(client.get("/").text)
    assert f"{met} af {len(answer['goals'])} mål er opfyldt" in page
    english = text(client.get("/?lang=en").text)
    assert f"{met} of {len(answer['goals'])} goals met" in english


def test_overspending_is_marked_and_accounts_have_names(client):  # noqa: F811
    sign_in(client, "carl")
    over = client.get("/schools/280002?at=2018-01-31").text
    assert "Forbruget er over budgettet på: IT." in text(over)
    assert "105,0 % (over budget)" in text(over) and 'class="bar-fill bar-over"' in over
    under = client.get("/schools/280001?at=2018-01-31").text
    assert "over budget" not in text(under) and "bar-over" not in under
    assert ">IT<" in under and ">it<" not in under
    english = text(client.get("/schools/280002?at=2018-01-31&lang=en").text)
    assert "Spending is over the budget on: IT." in english
    api = client.get("/api/v1/schools/280002?at=2018-01-31").json()
    assert api["finances"][0]["over"] is True


def test_the_narratives_page_lists_rounds_and_shows_the_figures(client):  # noqa: F811
    csrf = sign_in(client, "carl")
    first = client.get("/narratives").text
    assert "Tal for mål 1" in first  # the figures beside the text boxes
    chosen = re.search(r'id="round" name="round" value="([^"]*)"', first).group(1)
    assert chosen  # a new round is proposed: never a blank page
    assert f"Opgørelsen {chosen} er ny" in text(first)
    saved = client.post("/narratives", data={"round": "marts 2018", "goal": "1",
                                             "text": "På vej.", "csrf_token": csrf},
                        follow_redirects=False)
    assert saved.status_code == 303
    page = client.get("/narratives").text  # the open round is chosen now
    assert 'value="marts 2018"' in page and "1 af 8" in text(page)
    assert "På vej." in page


def test_a_count_has_its_total_under_the_schools(client):  # noqa: F811
    sign_in(client, "carl")
    answer = client.get("/api/v1/goals/1?at=2018-01-31").json()
    counts = [i for i in answer["indicators"] if i["unit"] == "count" and i["per_school"]]
    assert counts
    page = client.get("/goals/1?at=2018-01-31").text
    for row in counts:
        total = sum(s["value"] or 0 for s in row["per_school"])
        assert re.search(rf"I alt</th><td class=\"num\">{total}</td>", page), row["id"]


def test_a_kept_page_is_each_persons_own(app_ws):  # noqa: F811
    """Pages are rendered once per view and kept (``web/rendered.py``): two people of the
    same view get the same page with their own name and CSRF token, a leader never gets
    the administration's page, and a language is never served for the other."""
    from fastapi.testclient import TestClient

    from strategistatus.web.app import create_app
    from test_web import NOW

    app = create_app(app_ws, clock=lambda: NOW)
    with TestClient(app) as carl:
        anna, lea = TestClient(app), TestClient(app)  # more browsers, one app running
        tokens = {c: sign_in(c, n) for c, n in ((carl, "carl"), (anna, "anna"), (lea, "lea"))}
        first = carl.get("/goals/1?at=2018-01-31").text
        second = anna.get("/goals/1?at=2018-01-31").text
        assert "Log ud (carl)" in first and tokens[carl] in first and "anna" not in first
        assert "Log ud (anna)" in second and tokens[anna] in second and "carl" not in second
        def main(html: str) -> str:
            return html[html.index("<main"):html.index("</main>")]

        assert main(first) == main(second)  # the same figures for the same view
        again = TestClient(app)  # carl in another browser: another session (one app running)
        token = sign_in(again, "carl")
        kept = again.get("/goals/1?at=2018-01-31").text
        assert token != tokens[carl] and token in kept and tokens[carl] not in kept
        assert kept.replace(token, "T") == first.replace(tokens[carl], "T")
        leader = lea.get("/goals/1?at=2018-01-31").text
        assert "Vodskov Skole" in leader and "Vestbjerg Skole" not in leader
        assert "Vestbjerg Skole" in carl.get("/goals/1?at=2018-01-31").text
        lea.cookies.set("strategistatus_lang", "en")
        english = lea.get("/goals/1?at=2018-01-31", params={"lang": "en"}).text
        assert '<html lang="en">' in english
        assert '<html lang="da">' in lea.get("/goals/1?at=2018-01-31&lang=da").text
