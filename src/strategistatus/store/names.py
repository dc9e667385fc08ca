"""User names: one way to compare them everywhere, and the checks that keep look-alikes out.

* ``display_name``: the name as it is stored and shown: Unicode NFKC, no surrounding spaces
  (a fullwidth ``ａｎｎａ`` is stored as ``anna``, the ligature ``ﬁ`` as ``fi``, an ``e``
  followed by a combining accent as one ``é``).
* ``name_key``: what names are compared by, everywhere (the account lookup, uniqueness, the
  sign-in throttle, "is this my own account"): NFKC, then Unicode case folding (``ß`` and
  ``ss`` are the same key, ``İ`` is ``i`` with a combining dot above, never a plain ``i``).
* ``name_problem``: why a new name is refused: characters outside letters, digits and
  ``. _ - @``; invisible or format characters (a zero-width joiner, a soft hyphen); letters
  of more than one script (Latin with Cyrillic or Greek).
* ``skeleton``: how a name looks, roughly: accents and invisible characters dropped, Cyrillic
  and Greek letters that look Latin replaced by the Latin letter, dotless ``ı``, ``0``/``o``,
  ``1``/``l``/``i``, ``rn``/``m`` and ``vv``/``w`` made the same. A new name with the skeleton
  of an existing one is refused. The Danish letters æ, ø and å are kept as they are: ``Åse``
  and ``Ase`` are different names.
"""

from __future__ import annotations

import re
import unicodedata

NAME = re.compile(r"\w[\w.@-]{0,99}")
MAX_LENGTH = 100
_KEEP = frozenset("æøåÆØÅ")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})
_MARKS = frozenset({"Mn", "Me"})
# Letters of other scripts that look like Latin letters (upper and lower case as they look)
_LOOKALIKE = str.maketrans({
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q",
    "Ԝ": "W", "Ү": "Y", "Ӏ": "l", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q",
    "ԝ": "w", "ү": "y", "ӏ": "l", "к": "k", "п": "n", "г": "r",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "α": "a",
    "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "υ": "u", "χ": "x", "γ": "y",
    "η": "n", "ϲ": "c", "ω": "w", "ε": "e", "τ": "t",
    # Latin look-alikes
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ǀ": "l",
})
# After case folding: digits and letters that are mistaken for one another
_SAME = str.maketrans({"0": "o", "1": "l", "i": "l", "ı": "l", "|": "l"})
_PAIRS = (("rn", "m"), ("vv", "w"))


def display_name(name: str) -> str:
    """The name as stored and shown: NFKC, without spaces around it."""
    return unicodedata.normalize("NFKC", name.strip()).strip()


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, case folded (and NFKC again, so the key is
    itself normalised). Used for every comparison of user names."""
    folded = unicodedata.normalize("NFKC", name.strip()).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def skeleton(name: str) -> str:
    """Roughly how the name looks: two names with the same skeleton are easily mistaken."""
    out: list[str] = []
    for ch in display_name(name):
        if ch in _KEEP:
            out.append(ch)
            continue
        for part in unicodedata.normalize("NFD", ch):
            if unicodedata.category(part) in _MARKS or unicodedata.category(part) in _INVISIBLE:
                continue
            out.append(part.translate(_LOOKALIKE))
    text = "".join(out).casefold().translate(_SAME)
    for pair, one in _PAIRS:
        text = text.replace(pair, one)
    return text


def script(ch: str) -> str | None:
    """The script of a letter or digit (the first word of its Unicode name: LATIN, CYRILLIC,
    GREEK, ...); None for ASCII digits and the signs . _ - @ that any script may use."""
    if ch.isascii():
        return "LATIN" if ch.isalpha() else None
    word = unicodedata.name(ch, "UNKNOWN").split(" ")[0].split("-")[0]
    return "CJK" if word in ("HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO") else word


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a new user name; None when it can."""
    raw = name.strip()
    hidden = [ch for ch in raw if unicodedata.category(ch) in _INVISIBLE and ch != " "]
    if hidden:
        return (f"{_shown(raw)} is not a usable user name: it holds an invisible or format "
                f"character ({', '.join(f'U+{ord(ch):04X}' for ch in hidden[:3])})")
    shown = display_name(name)
    if not NAME.fullmatch(shown):
        return (f"{_shown(shown)} is not a usable user name: use 1 to {MAX_LENGTH} letters, "
                "digits and . _ - @, starting with a letter or digit")
    scripts = sorted({s for ch in shown if (s := script(ch)) is not None})
    if len(scripts) > 1:
        return (f"{_shown(shown)} is not a usable user name: it mixes letters of different "
                f"scripts ({', '.join(s.title() for s in scripts)}); write it in one")
    return None


def _shown(text: str) -> str:
    """``text`` quoted for a message, with anything unprintable escaped."""
    return ascii(text) if any(not ch.isprintable() for ch in text) else repr(text)
