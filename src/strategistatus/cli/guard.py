"""No traceback reaches a user: every failure of a command ends in one message and exit 1.

* a problem the user can fix (StrategistatusError: a missing workspace, a locked database,
  a wrong id; StrategyError: the strategy file's errors with their lines; a file that
  cannot be written) is said as it is;
* anything unexpected is said in one sentence naming the command and the kind of failure,
  and its details (the traceback, CPR-shaped text masked) are written to a file in the
  workspace's ``logs/`` folder (or the system's temporary folder when there is no
  workspace), whose path the message gives.

typer's own usage errors (exit 2) and ``typer.Exit`` pass through unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.markup import escape

from strategistatus.errors import StrategistatusError, mask_cpr
from strategistatus.i18n import _, ngettext

from .output import err_console


def run(app: Callable[[], object]) -> None:
    """Run the command line ``app``; exit 1 with one message on any failure."""
    try:
        app()
    except StrategistatusError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        err_console.print(_("interrupted; nothing was written"))
        sys.exit(130)
    except BrokenPipeError:  # the output went to a program that stopped reading (| head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        _fail(str(_no_room(exc) or _os_message(exc)))
    except Exception as exc:  # noqa: BLE001 - the one place that catches everything
        if _strategy_error(exc):
            _fail(_strategy_message(exc))
        room = _no_room(exc)
        _fail(str(room) if room is not None else _unexpected(exc))


def _strategy_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the strategy file's errors (``strategy.StrategyError``). Its module
    is not imported for the check (the strategy's package took a tenth of a second of every
    command's start): a StrategyError can only have been raised once it was imported."""
    findings = sys.modules.get("strategistatus.strategy.findings")
    return findings is not None and isinstance(exc, findings.StrategyError)


def _no_room(exc: BaseException) -> Exception | None:
    """A full disk (or file size limit) in the database engine: a plain message."""
    from strategistatus.store.engine import out_of_room

    return out_of_room(exc)


def _fail(message: str) -> None:
    err_console.print("[bold red]" + escape(_("Error:")) + "[/] " + escape(message),
                      highlight=False)
    sys.exit(1)


def _strategy_message(exc: Any) -> str:
    """A ``strategy.StrategyError``'s errors, each on a line of its own."""
    errors = exc.errors or exc.findings
    head = ngettext("the strategy file has {n} error ('strategistatus check' lists every "
                    "problem):", "the strategy file has {n} errors ('strategistatus check' "
                    "lists every problem):", len(errors))
    return "\n".join([head, *(mask_cpr(str(f)) for f in errors)])


def _os_message(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or exc.__class__.__name__
    if where:
        return _("{file}: {reason}", file=mask_cpr(str(where)), reason=reason)
    return mask_cpr(reason)


def _unexpected(exc: BaseException) -> str:
    command = _command()
    path = _write_details(exc, command)
    kind = exc.__class__.__name__
    if path is None:
        return _("strategistatus {command} stopped on an unexpected problem ({kind}); nothing "
                 "more was done.", command=command, kind=kind)
    return _("strategistatus {command} stopped on an unexpected problem ({kind}); nothing "
             "more was done. The details are in {path}: send that file to whoever looks "
             "after strategistatus.", command=command, kind=kind, path=str(path))


def _command() -> str:
    """The command as typed, without its options and values (``round close``)."""
    words = []
    for word in sys.argv[1:]:
        if word.startswith("-"):
            break
        words.append(word)
    return " ".join(words[:2]) or "strategistatus"


def _write_details(exc: BaseException, command: str) -> Path | None:
    """The traceback in a private file (CPR-shaped text masked); None when none can be
    written."""
    text = "\n".join([
        f"strategistatus {package_version()}, {dt.datetime.now():%Y-%m-%d %H:%M:%S}",
        f"command: strategistatus {command}",
        "",
        "".join(traceback.format_exception(exc)),
    ])
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    for folder in (_logs_folder(), Path(tempfile.gettempdir())):
        if folder is None:
            continue
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f"strategistatus-error-{stamp}-",
                                            suffix=".txt", dir=folder)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(mask_cpr(text))
            return Path(name)
        except OSError:
            continue
    return None


def _logs_folder() -> Path | None:
    """The logs/ folder of the workspace the command was given (-w, the environment or the
    current folder), when that is a workspace."""
    root = os.environ.get("STRATEGISTATUS_WORKSPACE") or "."
    args = sys.argv[1:]
    for n, word in enumerate(args):
        if word in ("-w", "--workspace") and n + 1 < len(args):
            root = args[n + 1]
        elif word.startswith("--workspace="):
            root = word.split("=", 1)[1]
    folder = Path(root)
    return folder / "logs" if (folder / "strategistatus.toml").is_file() else None


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("strategistatus")
    except PackageNotFoundError:
        from strategistatus import __version__

        return __version__
