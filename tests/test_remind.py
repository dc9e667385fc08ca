"""strategistatus remind through a real SMTP server (aiosmtpd) started by the tests: the right
owners and goals, Danish text, no person-level data, nothing sent twice, the audit trail."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from engines import DemoCopy
from strategistatus.reminders import SENT
from strategistatus.strategy import Strategy, load_strategy
from strategistatus.workspace import Workspace, find_workspace
from test_cli import cli

ROUND = "Status 2018"
AT = "2018-01-31"
WRITTEN = {"1", "3"}
"""Goals given a status text before the reminders run."""
CPR = re.compile(r"\d{6}-?\d{4}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


class Inbox:
    """aiosmtpd's handler: every message received, as (recipients, parsed message)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = message_from_bytes(envelope.original_content or envelope.content,
                                 policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, demo_copy: DemoCopy) -> Path:
    return demo_copy(tmp_path_factory.mktemp("remind-demo") / "ws", "duckdb").root


def _workspace(built: Path, tmp_path: Path, port: int) -> Workspace:
    """A copy of the demo with mail settings and status texts for goals 1 and 3."""
    root = tmp_path / "ws"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("*.lock"))
    ws = find_workspace(root)
    mail = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
            "mail_from": "strategistatus@example.dk",
            "public_url": "https://strategistatus.example.dk/",
            "reminder_central": ["central@example.dk"]}
    ws.settings_path.write_text(ws.settings.model_copy(update=mail).to_toml(), encoding="utf-8")
    with ws.open_store() as store:
        for goal in sorted(WRITTEN):
            store.reports.add_narrative(goal, ROUND, "Målet følges.", author="tester",
                                        now=dt.datetime(2018, 1, 20))
    return ws


def _sent(ws: Workspace) -> list[str]:
    with ws.open_store(read_only=True) as store:
        return sorted(e["object"] for e in store.accounts.audit_entries(limit=10_000)
                      if e["action"] == SENT)


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _missing(strategy: Strategy) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for goal in strategy.goals:
        if goal.id not in WRITTEN and goal.owner_email:
            owners.setdefault(goal.owner_email, set()).add(goal.id)
    return owners


def test_owners_get_their_goals_without_text_once(built, tmp_path, smtp):
    inbox, port = smtp
    ws = _workspace(built, tmp_path, port)
    strategy = load_strategy(ws.strategy_path)
    done = cli("remind", "-w", str(ws.root), "--at", AT)
    assert done.returncode == 0, done.stdout + done.stderr
    wanted = _missing(strategy)
    assert {to for tos, _m in inbox.received for to in tos} == set(wanted)
    for tos, msg in inbox.received:
        (to,) = tos
        body = _body(msg)
        assert msg["Subject"] == f"Manglende statustekster til {ROUND}"
        assert msg["From"] == "strategistatus@example.dk"
        assert "Kære " in body and "mangler endnu en statustekst" in body
        assert "1. marts 2018" in body  # the round's due date, as the formatter writes it
        named = set(re.findall(r"^Mål (\d+): ", body, re.M))
        assert named == {str(strategy.goal(g).number) for g in wanted[to]}
        assert "https://strategistatus.example.dk/narratives" in body
        assert not CPR.search(body) and not UUID.search(body)
    assert "https://strategistatus.example.dk/goals/2" in _body(
        next(m for tos, m in inbox.received if tos == ["it-afdelingen@example.dk"]))
    assert _sent(ws) == sorted(f"round:{ROUND}/goal:{g}" for gs in wanted.values() for g in gs)
    again = cli("remind", "-w", str(ws.root), "--at", AT)
    assert again.returncode == 0 and "0 reminders sent" in again.stdout
    assert len(inbox.received) == len(wanted)  # nothing sent twice


def test_the_same_figures_as_the_status_command(built, tmp_path, smtp):
    inbox, port = smtp
    ws = _workspace(built, tmp_path, port)
    assert cli("remind", "-w", str(ws.root), "--at", AT).returncode == 0
    body = _body(next(m for tos, m in inbox.received if tos == ["kommunikation@example.dk"]))
    assert "Status: Opfyldt" in body  # goal 8 as 'strategistatus status' judges it
    assert "Digital skriftlig kommunikation: 100,0 % (mål 100 %, opfyldt)" in body


def test_stale_datasets_go_to_central_staff_once(built, tmp_path, smtp):
    inbox, port = smtp
    ws = _workspace(built, tmp_path, port)
    later = dt.date.today() + dt.timedelta(days=40)  # every import is older than a month
    done = cli("remind", "-w", str(ws.root), "--at", later.isoformat())
    assert done.returncode == 0, done.stdout + done.stderr
    (tos, msg), = inbox.received  # no round is coming: only the datasets
    assert tos == ["central@example.dk"] and msg["Subject"] == "Datasæt, der skal importeres"
    body = _body(msg)
    for name in ("pupils", "staff", "devices", "courses"):
        assert f"- {name}: senest importeret" in body
    assert "(skal importeres månedligt)" in body and "(skal importeres ugentligt)" in body
    assert not CPR.search(body) and not UUID.search(body)
    assert [k.split("/")[0] for k in _sent(ws)] == [
        "dataset:courses", "dataset:devices", "dataset:pupils", "dataset:staff"]
    assert cli("remind", "-w", str(ws.root), "--at", later.isoformat()).returncode == 0
    assert len(inbox.received) == 1


def test_dry_run_sends_and_records_nothing(built, tmp_path, smtp):
    inbox, port = smtp
    ws = _workspace(built, tmp_path, port)
    done = cli("remind", "-w", str(ws.root), "--at", AT, "--dry-run", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"kind": "goal"' in done.stdout and inbox.received == [] and _sent(ws) == []


def test_a_mail_server_that_is_down_is_a_clear_error_and_nothing_is_recorded(built, tmp_path):
    ws = _workspace(built, tmp_path, _free_port())  # nobody listens there
    done = cli("remind", "-w", str(ws.root), "--at", AT)
    assert done.returncode == 1
    assert "cannot send through the mail server 127.0.0.1" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    assert _sent(ws) == []


def test_the_strategy_file_refuses_an_unknown_dataset_and_a_round_twice():
    data = {"id": "x", "title": {"da": "X"}, "municipality": 851,
            "period": {"start": "2017-01-01", "end": "2018-12-31"},
            "goals": [{"id": "1", "number": 1, "title": {"da": "Mål"}}]}
    with pytest.raises(ValueError, match="unknown dataset pupil"):
        Strategy.model_validate({**data, "freshness": {"pupil": "month"}})
    with pytest.raises(ValueError, match="given twice"):
        Strategy.model_validate({**data, "rounds": [{"name": "A", "due": "2018-01-01"},
                                                    {"name": "A", "due": "2018-02-01"}]})
    with pytest.raises(ValueError, match="owner_email"):
        Strategy.model_validate({**data, "goals": [{**data["goals"][0], "owner_email": "x"}]})
