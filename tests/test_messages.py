"""The message catalogue: every message of the code has a Danish text with the same blanks."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import pytest

from strategistatus import i18n
from strategistatus.i18n import _, count, language, ngettext
from strategistatus.sources.registry import DATASETS, dataset_title

ROOT = Path(__file__).resolve().parent.parent


def _update_messages():  # the script that extracts the messages (scripts/update-messages)
    spec = importlib.util.spec_from_loader("update_messages", loader=None)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    module.__file__ = str(ROOT / "scripts" / "update-messages")
    exec((ROOT / "scripts" / "update-messages").read_text(encoding="utf-8"), module.__dict__)
    return module


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_in_the_code_has_a_danish_text() -> None:
    catalogue = i18n.catalogue("da")
    missing = []
    for message in _update_messages().extracted():
        if not message.id:
            continue
        key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
        if key not in catalogue:
            missing.append(key)
    assert not missing, f"{len(missing)} messages without a Danish text " \
        f"(run scripts/update-messages and translate): {missing[:20]}"


def test_a_translation_has_the_same_blanks_as_its_message() -> None:
    for key, text in i18n.catalogue("da").items():
        ids = key if isinstance(key, tuple) else (key,)
        texts = text if isinstance(text, tuple) else (text,)
        wanted = set().union(*(_blanks(i) for i in ids))
        for t in texts:
            assert _blanks(t) <= wanted | {"n"}, (key, t)
            if not isinstance(key, tuple):
                assert _blanks(t) == wanted, (key, t)


def test_the_catalogue_is_up_to_date_with_the_code() -> None:
    """Nothing in the catalogue that the code no longer says (scripts/update-messages)."""
    in_code = {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id
               for m in _update_messages().extracted() if m.id}
    stale = [k for k in i18n.catalogue("da") if k not in in_code]
    assert not stale, stale[:20]


@pytest.mark.danish
def test_danish_by_default_english_on_request() -> None:
    assert _("{file}: no such file", file="x.csv") == "x.csv: filen findes ikke"
    with language("en"):
        assert _("{file}: no such file", file="x.csv") == "x.csv: no such file"
        assert count(4492) == "4,492"
    assert count(4492) == "4.492"
    assert ngettext("{n} row", "{n} rows", 2) in ("2 rækker", "2 rows")


@pytest.mark.danish
@pytest.mark.parametrize("name", sorted(DATASETS))
def test_a_dataset_is_named_as_the_docs_name_it(name: str) -> None:
    assert dataset_title(name) == DATASETS[name].title
    docs = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {name}: {re.escape(DATASETS[name].title)}$", docs, re.M)
    with language("en"):
        assert dataset_title(name) != DATASETS[name].title
