"""What the report keeps in the database: narratives, closed rounds, refused imports."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb

from .engine import transaction
from .parsing import lit


def _ts(now: dt.datetime) -> str:
    return f"TIMESTAMP {lit(now.isoformat(sep=' '))}"


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class ReportRecords:
    """Narratives, rounds and refused imports of one database connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def add_narrative(self, goal: str, round_name: str, text: str, *, author: str,
                      now: dt.datetime) -> int:
        with transaction(self.con):
            (new_id,) = self.con.execute("SELECT nextval('narrative_ids')").fetchone()  # type: ignore[misc]
            self.con.execute(f"INSERT INTO narratives VALUES ({int(new_id)}, {lit(goal)}, "
                             f"{lit(round_name)}, {lit(text)}, {lit(author)}, {_ts(now)})")
        return int(new_id)

    def narratives(self, round_name: str | None = None, goal: str | None = None
                   ) -> list[dict[str, Any]]:
        """Every version, oldest first (the history)."""
        where = []
        if round_name is not None:
            where.append(f"round = {lit(round_name)}")
        if goal is not None:
            where.append(f"goal = {lit(goal)}")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return _dicts(self.con.execute(f"SELECT * FROM narratives{clause} ORDER BY narrative_id"))

    def current_narratives(self, round_name: str) -> dict[str, str]:
        """Each goal's latest text for the round."""
        return {n["goal"]: n["text"] for n in self.narratives(round_name)}

    def close_round(self, round_name: str, at: dt.date, figures: dict[str, Any], *, user: str,
                    now: dt.datetime) -> None:
        with transaction(self.con):
            self.con.execute(f"INSERT INTO rounds VALUES ({lit(round_name)}, DATE {lit(at.isoformat())}, "
                             f"{_ts(now)}, {lit(user)}, {lit(json.dumps(figures, sort_keys=True))})")

    def round(self, round_name: str) -> dict[str, Any] | None:
        rows = _dicts(self.con.execute(f"SELECT * FROM rounds WHERE round = {lit(round_name)}"))
        if not rows:
            return None
        row = rows[0]
        row["figures"] = json.loads(row["figures"])
        return row

    def rounds(self) -> list[dict[str, Any]]:
        return _dicts(self.con.execute("SELECT round, measured_at, closed_at, closed_by FROM rounds "
                                       "ORDER BY measured_at, closed_at"))

    def record_rejection(self, dataset: str, file_name: str, sha256: str, *, user: str,
                         now: dt.datetime, rows_read: int, bad_rows: int, problems: int) -> None:
        with transaction(self.con):
            self.con.execute(f"INSERT INTO import_rejections VALUES ({lit(dataset)}, {lit(file_name)}, "
                             f"{lit(sha256)}, {_ts(now)}, {lit(user)}, {int(rows_read)}, "
                             f"{int(bad_rows)}, {int(problems)})")

    def rejections(self, since: dt.datetime | None = None) -> list[dict[str, Any]]:
        clause = f" WHERE attempted_at >= {_ts(since)}" if since else ""
        return _dicts(self.con.execute(f"SELECT * FROM import_rejections{clause} "
                                       "ORDER BY attempted_at"))
