"""strategistatus users: the web app's accounts (add, list, disable); every change audited."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from strategistatus import formatting
from strategistatus.errors import InputError

from .output import WorkspaceOption, console, err_console, find_workspace

app = typer.Typer(help="Manage the web app's accounts and roles (every change is audited).")


class Role(StrEnum):
    admin = "admin"
    central = "central"
    leader = "leader"


def cli_user() -> str:
    """Who made a change from the command line, as the audit log names them."""
    return f"cli:{getpass.getuser()}"


def _password_from_stdin() -> str:
    from strategistatus.web.security import password_problem

    password = sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(password)
    if problem:
        raise InputError(f"the password read from standard input is refused: {problem}")
    return password


@app.command("add")
def add(name: Annotated[str, typer.Argument(
            help="The user name to sign in with: letters, digits and . _ - @ in one script; "
            "refused if it looks like an existing name.")],
        role: Annotated[Role, typer.Option("--role", help="admin (everything, users), central "
                                           "(all schools), or leader (one school).")],
        school: Annotated[str | None, typer.Option(
            "--school", help="The leader's school id (leaders only).")] = None,
        password_stdin: Annotated[bool, typer.Option(
            "--password-stdin", help="Read the password from standard input instead of "
            "generating one.")] = False,
        workspace: WorkspaceOption = Path(".")) -> None:
    """Add an account; without --password-stdin a password is generated and shown once."""
    from strategistatus.web.security import generate_password, hash_password

    ws = find_workspace(workspace)
    password = _password_from_stdin() if password_stdin else generate_password()
    now = dt.datetime.now()
    with ws.open_store(read_only=True) as store:  # the accounts file, not the figures
        accounts = store.accounts
        if school is not None and role is Role.leader and school.strip():
            known = accounts.known_school(school.strip())
            if known is False:
                raise InputError(f"there is no school {school.strip()!r} in the imported "
                                 "schools; check the id against the schools export")
            if known is None:
                err_console.print("Note: no schools are imported yet, so the school id "
                                  "could not be checked.")
        accounts.create_user(name, role=role.value, school_id=school,
                             password_hash=hash_password(password), now=now)
        user = accounts.user(name)
        assert user is not None
        accounts.audit(now, cli_user(), "user_add", user["name"], user["school_id"],
                       f"role {user['role']}")
    where = f", school {user['school_id']}" if user["school_id"] else ""
    console.print(f"User {user['name']} added (role {user['role']}{where}).", highlight=False,
                  markup=False)
    if not password_stdin:
        console.print(f"Password (shown once; give it to the user): {password}",
                      highlight=False, markup=False)


@app.command("list")
def list_(workspace: WorkspaceOption = Path(".")) -> None:
    """Every account: name, role, school, disabled, last sign-in (never a password)."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        users = store.accounts.users()
    table = Table(title="Users")
    for head in ("name", "role", "school", "disabled", "last sign-in"):
        table.add_column(head, overflow="fold")
    for u in users:
        last = formatting.date_time(u["last_sign_in"]) if u["last_sign_in"] else "never"
        table.add_row(Text(u["name"]), u["role"], Text(u["school_id"] or ""),
                      "yes" if u["disabled"] else "", last)
    console.print(table)
    if not users:
        console.print("No users yet; add one with 'strategistatus users add NAME --role admin'.")


@app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="The user name.")],
            workspace: WorkspaceOption = Path(".")) -> None:
    """Disable an account: it can no longer sign in, and its sessions end now."""
    ws = find_workspace(workspace)
    now = dt.datetime.now()
    with ws.open_store(read_only=True) as store:  # the accounts file, not the figures
        accounts = store.accounts
        user = accounts.user(name)
        if user is None:
            raise InputError(f"there is no user called {name!r}")
        if user["disabled"]:
            accounts.delete_sessions_of(user["user_id"])
            console.print(f"User {user['name']} was already disabled.", highlight=False,
                          markup=False)
            return
        accounts.set_disabled(user["name"], True, now)
        accounts.audit(now, cli_user(), "user_disable", user["name"], user["school_id"])
    console.print(f"User {user['name']} disabled; their sessions have ended.", highlight=False,
                  markup=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="users")
