"""Columns for the national demo, made whole with numpy: texts of fixed width written straight
into Arrow buffers (no Python string per row), days as numbers, pseudonyms as random hex."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EPOCH = dt.date(1970, 1, 1)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_BASE36 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
_SCRAMBLE = (90_001, 89_999)  # odd, no factor 3: a bijection modulo 36**9 (no overflow)


def day(value: dt.date) -> int:
    """A date as days since 1970-01-01 (Arrow's date32)."""
    return (value - EPOCH).days


def month_start(year: int | np.ndarray, month: int | np.ndarray) -> np.ndarray:
    """The first day of each month, as days since 1970-01-01."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + np.asarray(month) - 1
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Days since 1970-01-01 as a date32 column; ``missing`` marks the empty cells."""
    values = pa.array(np.asarray(days, dtype=np.int32), type=pa.int32(),
                      mask=None if missing is None else np.asarray(missing, dtype=bool))
    return values.cast(pa.date32())


def between(rng: np.random.Generator, first: np.ndarray | int, last: np.ndarray | int,
            n: int | None = None) -> np.ndarray:
    """A random day from ``first`` to ``last`` (both included), as days."""
    first_a, last_a = np.asarray(first, dtype=np.int64), np.asarray(last, dtype=np.int64)
    size = n if n is not None else np.broadcast(first_a, last_a).shape
    return first_a + np.floor(rng.random(size) * (last_a - first_a + 1)).astype(np.int64)


def text(chars: np.ndarray) -> pa.Array:
    """Rows of a (n, width) byte matrix as n strings of that width."""
    chars = np.ascontiguousarray(chars, dtype=np.uint8)
    n, width = chars.shape
    offsets = np.arange(n + 1, dtype=np.int64) * width
    if offsets[-1] < 2**31:
        return pa.StringArray.from_buffers(n, pa.py_buffer(offsets.astype(np.int32)),
                                           pa.py_buffer(chars))
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets),
                                            pa.py_buffer(chars)).cast(pa.string())


def const(prefix: str, n: int) -> np.ndarray:
    """The same text on every row, as a (n, width) byte matrix."""
    raw = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    return np.broadcast_to(raw, (n, raw.size))


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Numbers as zero-padded decimal digits, a (n, width) byte matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (48 + (np.asarray(values, dtype=np.int64)[:, None] // powers) % 10).astype(np.uint8)


def numbered(prefix: str, values: np.ndarray, width: int) -> pa.Array:
    """'851-0000001': a prefix and a zero-padded number."""
    values = np.asarray(values)
    return text(np.hstack([const(prefix, values.size), digits(values, width)]))


def serials(prefix: str, key: int, numbers: np.ndarray) -> pa.Array:
    """Serial numbers such as 'DMP4K2Q9ZC1W': the prefix and nine base-36 characters, a
    bijection of (key, number), so unique for every key and number below 2**24."""
    value = (np.int64(key) << 24) + np.asarray(numbers, dtype=np.int64)
    for factor in _SCRAMBLE:
        value = (value % 36 ** 9) * factor % 36 ** 9
    powers = 36 ** np.arange(8, -1, -1, dtype=np.int64)
    chars = _BASE36[(value[:, None] // powers) % 36]
    return text(np.hstack([const(prefix, value.size), chars]))


def hex_ids(rng: np.random.Generator, n: int, *, dashes: bool) -> pa.Array:
    """``n`` distinct random 128-bit pseudonyms: 'c2a0eef6-f14a-41fc-1a30-ef9eee31ac7a'
    (the workspace's person pseudonym) or 32 hex digits (an account's)."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    while n:
        first = raw[:, :8].copy().view(np.uint64).ravel()
        _, where = np.unique(first, return_index=True)
        if where.size == n:
            break
        again = np.setdiff1d(np.arange(n), where)
        raw[again] = rng.integers(0, 256, size=(again.size, 16), dtype=np.uint8)
    chars = np.empty((n, 32), dtype=np.uint8)
    chars[:, 0::2] = _HEX[raw >> 4]
    chars[:, 1::2] = _HEX[raw & 15]
    if not dashes:
        return text(chars)
    dash = const("-", n)
    return text(np.hstack([chars[:, :8], dash, chars[:, 8:12], dash, chars[:, 12:16], dash,
                           chars[:, 16:20], dash, chars[:, 20:]]))


def pick(values: Sequence[str] | pa.Array, index: np.ndarray,
         missing: np.ndarray | None = None) -> pa.Array:
    """``values[index]`` for each row, as a string column (``missing``: empty cells)."""
    source = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    taken = source.take(pa.array(np.asarray(index, dtype=np.int64)))
    if missing is None or not np.any(missing):
        return taken
    return pc.if_else(pa.array(np.asarray(missing, dtype=bool)),
                              pa.nulls(len(taken), pa.string()), taken)


def weighted(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` indices drawn with the weights given (with replacement)."""
    cum = np.cumsum(weights, dtype=np.float64)
    if n == 0 or cum.size == 0 or cum[-1] <= 0:
        return np.zeros(0, dtype=np.int64)
    found = np.searchsorted(cum, rng.random(n) * cum[-1], side="right")
    return np.minimum(found, cum.size - 1).astype(np.int64)


_S, _D, _I = pa.string(), pa.date32(), pa.int32()
SCHEMAS: dict[str, pa.Schema] = {name: pa.schema(fields) for name, fields in {
    "schools": [("school_id", _S), ("name", _S), ("kind", _S), ("grade_from", _I),
                ("grade_to", _I), ("district", _S)],
    "pupils": [("snapshot_date", _D), ("pupil", _S), ("school_id", _S), ("grade", _I),
               ("class_name", _S), ("dus", pa.bool_())],
    "staff": [("snapshot_date", _D), ("employee", _S), ("school_id", _S), ("role", _S)],
    "devices": [("device_id", _S), ("kind", _S), ("model", _S), ("ownership", _S),
                ("holder", _S), ("holder_kind", _S), ("school_id", _S), ("purchased", _D),
                ("issued", _D), ("returned", _D), ("price_dkk", pa.float64())],
    "enrolments": [("application_id", _S), ("kind", _S), ("channel", _S), ("received", _D),
                   ("school_id", _S)],
    "courses": [("course_id", _S), ("school_id", _S), ("author", _S), ("created", _D),
                ("shared", _D), ("subject", _S), ("grade", _I)],
    "course_copies": [("copy_id", _S), ("course_id", _S), ("copied", _D), ("school_id", _S),
                      ("copier", _S)],
    "pupil_plans": [("pupil", _S), ("school_id", _S), ("school_year", _S), ("plan_kind", _S),
                    ("platform", _S), ("published", _D)],
    "messages": [("month", _D), ("school_id", _S), ("channel", _S), ("audience", _S),
                 ("count", pa.int64()), ("digital", pa.bool_())],
    "trainings": [("person", _S), ("school_id", _S), ("role", _S), ("programme", _S),
                  ("completed", _D)],
    "finances": [("school_id", _S), ("year", pa.int64()), ("month", pa.int64()),
                 ("account", _S), ("budget_dkk", pa.float64()), ("actual_dkk", pa.float64())],
    "results": [("school_id", _S), ("school_year", _S), ("grade", _I), ("measure", _S),
                ("value", pa.float64()), ("pupils", pa.int64())],
    "milestones": [("goal", _S), ("milestone", _S), ("due", _D), ("done", _D), ("note", _S)],
    "users": [("name", _S), ("role", _S), ("school_id", _S)],
    "audit_log": [("time", pa.timestamp("us")), ("user", _S), ("action", _S),
                  ("school_id", _S)],
}.items()}
"""Every dataset's columns and Arrow types, as ``strategistatus export`` writes them."""


def table(name: str, columns: dict[str, pa.Array | np.ndarray]) -> pa.Table:
    """The dataset's table with exactly its schema (numpy columns converted)."""
    schema = SCHEMAS[name]
    arrays = []
    for field in schema:
        value = columns[field.name]
        if not isinstance(value, (pa.Array, pa.ChunkedArray)):
            value = pa.array(value, type=field.type)
        arrays.append(value if value.type == field.type else value.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
