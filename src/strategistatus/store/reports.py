"""What the report keeps in the database: narratives, closed rounds, refused imports.

Every value (a goal owner's text, a round's name, a file name, a user name, a time) is a
bound parameter, never SQL text.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .dbtypes import Connection
from .engine import next_id, transaction


def _dicts(cur: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class ReportRecords:
    """Narratives, rounds and refused imports of one database connection."""

    def __init__(self, con: Connection) -> None:
        self.con = con

    def add_narrative(self, goal: str, round_name: str, text: str, *, author: str,
                      now: dt.datetime) -> int:
        with transaction(self.con):
            new_id = next_id(self.con, "narrative_ids")
            self.con.execute("INSERT INTO narratives VALUES (?, ?, ?, ?, ?, ?)",
                             [int(new_id), goal, round_name, text, author, now])
        return int(new_id)

    def narratives(self, round_name: str | None = None, goal: str | None = None
                   ) -> list[dict[str, Any]]:
        """Every version, oldest first (the history)."""
        return _dicts(self.con.execute(
            "SELECT * FROM narratives WHERE (CAST($round AS VARCHAR) IS NULL OR round = $round) "
            "AND (CAST($goal AS VARCHAR) IS NULL OR goal = $goal) ORDER BY narrative_id",
            {"round": round_name, "goal": goal}))

    def current_narratives(self, round_name: str) -> dict[str, str]:
        """Each goal's latest text for the round."""
        return {n["goal"]: n["text"] for n in self.narratives(round_name)}

    def close_round(self, round_name: str, at: dt.date, figures: dict[str, Any], *, user: str,
                    now: dt.datetime) -> None:
        with transaction(self.con):
            self.con.execute("INSERT INTO rounds VALUES (?, ?, ?, ?, ?)",
                             [round_name, at, now, user, json.dumps(figures, sort_keys=True)])

    def round(self, round_name: str) -> dict[str, Any] | None:
        rows = _dicts(self.con.execute("SELECT * FROM rounds WHERE round = ?", [round_name]))
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
            self.con.execute("INSERT INTO import_rejections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             [dataset, file_name, sha256, now, user, int(rows_read),
                              int(bad_rows), int(problems)])

    def rejections(self, since: dt.datetime | None = None) -> list[dict[str, Any]]:
        return _dicts(self.con.execute(
            "SELECT * FROM import_rejections WHERE CAST(? AS TIMESTAMP) IS NULL "
            "OR attempted_at >= ? ORDER BY attempted_at", [since, since]))
