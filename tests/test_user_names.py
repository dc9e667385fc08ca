"""User names (issue point 4): one normalisation everywhere (NFKC and case folding), and
names that look like an existing one, mix scripts or hold invisible characters refused, in
the store, the API, the users page and the command line. Danish æ, ø, å keep working."""

from __future__ import annotations

import pytest

from conftest import NOW
from strategistatus.errors import InputError
from strategistatus.store.names import display_name, name_key, name_problem, skeleton
from strategistatus.web.security import hash_password
from test_accounts import cli
from test_web import app_ws, client, sign_in  # noqa: F401 - fixtures

HASH = hash_password("korrekt-hest-batteri-42")


@pytest.mark.parametrize("a,b", [
    ("Anna", "ANNA"), ("straße", "STRASSE"), ("ﬁona", "fiona"), ("ａｎｎａ", "anna"),
    ("rene\u0301", "rené"), ("René", "RENE\u0301"), (" bo ", "BO"), ("Ωmega", "ωMEGA"),
    ("Åse", "åSE"), ("A\u030ase", "åse"), ("\u212bse", "åse"),  # Å as A + ring, Ångström sign
])
def test_one_key_for_every_spelling_of_a_name(a, b):
    assert name_key(a) == name_key(b)
    assert name_key(name_key(a)) == name_key(a)  # the key is itself normalised


@pytest.mark.parametrize("a,b", [
    ("İda", "ida"), ("kİm", "kim"), ("ıda", "ida"), ("søren", "soren"), ("åse", "ase"),
    ("æble", "aeble"), ("аnna", "anna"),
])
def test_different_names_have_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_the_stored_name_is_nfkc():
    assert display_name(" ﬁona ") == "fiona"
    assert display_name("ａｎｎａ") == "anna"
    assert display_name("rene\u0301") == "ren\u00e9"
    assert display_name("Søren") == "Søren"  # case is kept for showing


@pytest.mark.parametrize("a,b", [
    ("anna", "аnna"), ("anna", "аппа"), ("bob", "ΒΟΒ"), ("aeo", "аео"), ("ida", "İda"),
    ("ida", "ıda"), ("oliver", "0liver"), ("lisa", "1isa"), ("lisa", "Iisa"), ("martin", "rnartin"),
    ("willy", "vvilly"), ("rene", "rené"), ("rene", "rene\u0301"), ("anna", "an\u200dna"),
    ("mona", "ΜΟΝΑ"), ("kopa", "КОРА"),
])
def test_look_alikes_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize("a,b", [("søren", "soren"), ("åse", "ase"), ("æble", "aeble"),
                                 ("anna", "anne"), ("lars", "lasse"), ("bo", "bob")])
def test_different_looking_names_do_not(a, b):
    assert skeleton(a) != skeleton(b)


@pytest.mark.parametrize("name,why", [
    ("аnna", "mixes letters of different scripts (Cyrillic, Latin)"),
    ("bοb", "mixes letters of different scripts (Greek, Latin)"),
    ("an\u200dna", "invisible or format character (U+200D)"),
    ("an\u00adna", "invisible or format character (U+00AD)"),
    ("anna\u200b", "invisible or format character (U+200B)"),
    ("an\u202ena", "invisible or format character (U+202E)"),
    ("a b", "use 1 to 100 letters"), ("x\u0301y", "use 1 to 100 letters"), ("", "use 1 to"),
])
def test_bad_names_are_refused_with_the_reason(name, why):
    problem = name_problem(name)
    assert problem is not None and why in problem and "not a usable user name" in problem


@pytest.mark.parametrize("name", ["søren", "Åse", "æble", "Ørsted-Ærø", "kim.b@aalborg.dk",
                                  "ΒΟΒ", "аео", "李明", "rené", "ﬁona"])
def test_good_names_pass(name):
    assert name_problem(name) is None


# -- the store --------------------------------------------------------------------------------
@pytest.fixture
def accounts(ws):
    with ws.open_store() as store:
        for name in ("anna", "ida", "bob", "martin", "oliver", "rené", "søren", "straße"):
            store.accounts.create_user(name, role="central", school_id=None, password_hash=HASH,
                                       now=NOW)
        yield store.accounts


def add(accounts, name: str) -> None:
    accounts.create_user(name, role="central", school_id=None, password_hash=HASH, now=NOW)


@pytest.mark.parametrize("name", ["ANNA", "ａｎｎａ", "STRASSE", "strasse", "rene\u0301",
                                  "RENÉ", "SØREN"])
def test_the_same_name_in_another_form_is_refused(accounts, name):
    with pytest.raises(InputError, match="already a user called"):
        add(accounts, name)
    assert len(accounts.users()) == 8


@pytest.mark.parametrize("name", ["İda", "IDA\u0307", "ıda", "1da", "ΒΟΒ", "rnartin", "0liver",
                                  "rene", "René\u0301", "аnna", "аппа", "an\u200dna"])
def test_a_name_like_an_existing_one_is_refused(accounts, name):
    with pytest.raises(InputError, match="looks too much like|not a usable user name"):
        add(accounts, name)
    assert len(accounts.users()) == 8


def test_danish_letters_keep_working(accounts):
    for name in ("Åse", "ase", "æble", "aeble", "Ørsted", "soren2", "Søs"):
        add(accounts, name)
    for name in ("åse", "ÅSE", "A\u030ase", "\u212bse"):
        assert accounts.user(name)["name"] == "Åse"
    assert accounts.user("ase")["name"] == "ase" and accounts.user("SØREN")["name"] == "søren"
    assert accounts.user("STRASSE")["name"] == "straße"


def test_names_are_stored_nfkc_and_found_by_any_spelling(ws):
    with ws.open_store() as store:
        add(store.accounts, "ﬁona")
        add(store.accounts, "Ｋｉｒｓｔｅｎ")
        add(store.accounts, "Jose\u0301")
        assert [u["name"] for u in store.accounts.users()] == ["fiona", "José", "Kirsten"]
        for typed, stored in (("FIONA", "fiona"), ("ﬁona", "fiona"), ("kirsten", "Kirsten"),
                              ("ＫＩＲＳＴＥＮ", "Kirsten"), ("josé", "José"),
                              ("JOSE\u0301", "José")):
            assert store.accounts.user(typed)["name"] == stored, typed
        assert store.accounts.user("jose") is None  # looks alike, but is not the name
        assert store.accounts.user("\u200b") is None and store.accounts.user("") is None


# -- the API, the page and the command line ----------------------------------------------------
@pytest.mark.parametrize("name,message", [
    ("lеa", "mixes letters"),  # Cyrillic е
    ("ΙΕΟ", "looks too much like"),  # Greek capitals, like leo
    ("LEA", "already a user"), ("ｌｅａ", "already a user"), ("1ea", "looks too much like"),
    ("le\u200da", "invisible"), ("саrl", "mixes letters"), ("сarl", "mixes letters"),
])
def test_the_api_refuses_look_alikes(client, name, message):  # noqa: F811
    csrf = sign_in(client, "anna")
    r = client.post("/api/v1/users", json={"name": name, "role": "central"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and message in r.json()["detail"], r.text
    page = client.post("/users", data={"name": name, "role": "central", "csrf_token": csrf})
    assert page.status_code == 422 and message in page.text
    listed = {u["name"] for u in client.get("/api/v1/users").json()}
    assert listed == {"anna", "carl", "lea", "leo"}


def test_the_api_finds_accounts_by_any_spelling(client):  # noqa: F811
    csrf = sign_in(client, "anna")
    made = client.post("/api/v1/users", json={"name": "ﬁona", "role": "central"},
                       headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201 and made.json()["name"] == "fiona"
    off = client.post("/api/v1/users/%EF%BC%A6IONA/disable", headers={"X-CSRF-Token": csrf})
    assert off.status_code == 200 and off.json()["name"] == "fiona"  # fullwidth Ｆ
    mine = client.post("/api/v1/users/%EF%BD%81NNA/disable", headers={"X-CSRF-Token": csrf})
    assert mine.status_code == 409  # ａNNA is anna: your own account


def test_the_cli_refuses_look_alikes(ws):
    w = ("-w", str(ws.root))
    assert cli("users", "add", "ida", "--role", "central", *w).returncode == 0
    for name, message in (("İda", "looks too much like"), ("IDA", "already a user"),
                          ("ｉｄａ", "already a user"), ("іda", "mixes letters"),
                          ("i\u200dda", "invisible")):
        done = cli("users", "add", name, "--role", "central", *w)
        assert done.returncode == 1 and message in done.stderr, (name, done.stderr)
    done = cli("users", "disable", "ＩＤＡ", *w)
    assert done.returncode == 0 and "User ida disabled" in done.stdout
    done = cli("users", "add", "Søren", "--role", "central", *w)
    assert done.returncode == 0 and "User Søren added" in done.stdout
    with ws.open_store(read_only=True) as store:
        assert [u["name"] for u in store.accounts.users()] == ["ida", "Søren"]
