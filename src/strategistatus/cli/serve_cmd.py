"""strategistatus serve: the dashboard and API on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .output import WorkspaceOption, console, find_workspace


def serve(
    workspace: WorkspaceOption = Path("."),
    host: Annotated[str, typer.Option(help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the dashboard and the API (/api/v1, documented at /api/v1/openapi.json).

    The server holds the workspace's database while it runs: commands that write (import,
    override, narrative, round close, users) wait until it is stopped with Ctrl+C.
    Behind a reverse proxy, list its address in trusted_proxies in strategistatus.toml
    (docs/deployment.md); X-Forwarded-For from anybody else is ignored.
    """
    import uvicorn

    from strategistatus.web.app import create_app
    from strategistatus.web.proxy import parse_networks

    ws = find_workspace(workspace)
    parse_networks(ws.settings.trusted_proxies)  # a wrong entry stops here, with its name
    app = create_app(ws)
    console.print(f"strategistatus: http://{host}:{port}/  (Ctrl+C stops it)")
    # uvicorn's own proxy handling is off: it would believe X-Forwarded-For from 127.0.0.1
    # (any local program). web/proxy.py believes only the configured trusted_proxies.
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
