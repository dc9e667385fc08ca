"""Load on the dashboard and API: 50 concurrent clients on loopback, p95 latencies.

    python benchmarks/web_load.py [--seconds 20] [--connections 50] [--workdir DIR]
    python benchmarks/web_load.py --postgres     # the same on PostgreSQL (a throwaway server)

Starts `strategistatus serve` on the demo municipality (built into benchmarks/_work/demo-ws
when missing), signs in a central user, and runs wrk (Debian's package) against two groups
of URLs, each for --seconds with --connections open connections:
* API aggregates: /api/v1/overview, /api/v1/goals/N, /api/v1/schools/ID (rotating);
* full pages: /, /goals/N, /schools/ID (rotating).
Targets on this 2-core machine: API p95 under 100 ms, pages p95 under 300 ms, no errors.
Traffic goes to 127.0.0.1 only; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import engine_choice

HERE = Path(__file__).resolve().parent
EXE = Path(sys.executable).parent / "strategistatus"
AT = "2018-01-31"
PASSWORD = "belastning-test-2018"

LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Cookie"] = "%s"})
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f, \\"requests\\": %%d, \\"errors\\": %%d, \\"non2xx\\": %%d, \\"seconds\\": %%f}\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "_work")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    engine_choice.add_arguments(parser)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    with engine_choice.database(args) as url:
        run(args, url)


def run(args: argparse.Namespace, url: str | None) -> None:
    from strategistatus.demo import create_demo
    from strategistatus.settings import Settings
    from strategistatus.web.security import hash_password
    from strategistatus.workspace import Workspace

    if url:  # a new database each run: the demo is built on it
        root = args.workdir / "demo-ws-postgres"
        ws = create_demo(root, settings=Settings(database=url))
    else:
        root = args.workdir / "demo-ws"
        ws = Workspace(root) if (root / "strategistatus.toml").exists() else create_demo(root)
    with ws.open_store() as store:
        if store.accounts.user("belastning") is None:
            import datetime as dt
            store.accounts.create_user("belastning", role="central", school_id=None,
                                       password_hash=hash_password(PASSWORD),
                                       now=dt.datetime.now())
        schools = [r["school_id"] for r in store.table("schools").select("school_id")
                   .to_pyarrow().to_pylist()][:10]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(EXE), "serve", "-w", str(root), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/schools", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        body = json.dumps({"name": "belastning", "password": PASSWORD}).encode()
        req = urllib.request.Request(base + "/api/v1/session", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as resp:
            cookie = resp.headers["Set-Cookie"].split(";")[0]
        groups = {
            "api": [f"/api/v1/overview?at={AT}"] + [f"/api/v1/goals/{g}?at={AT}" for g in range(1, 9)]
                   + [f"/api/v1/schools/{s}?at={AT}" for s in schools],
            "pages": [f"/?at={AT}"] + [f"/goals/{g}?at={AT}" for g in range(1, 9)]
                     + [f"/schools/{s}?at={AT}" for s in schools],
        }
        for paths in groups.values():  # warm the caches: every URL once
            for p in paths:
                urllib.request.urlopen(urllib.request.Request(base + p, headers={"Cookie": cookie}))
        results = {}
        for name, paths in groups.items():
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
                fh.write(LUA % (", ".join(f'"{p}"' for p in paths), cookie))
                script = fh.name
            done = subprocess.run(["wrk", "-t", "2", "-c", str(args.connections), "-d",
                                   f"{args.seconds}s", "--timeout", "10s", "-s", script, base],
                                  capture_output=True, text=True, timeout=args.seconds + 60)
            os.unlink(script)
            line = next(x for x in done.stdout.splitlines() if x.startswith("JSON "))
            results[name] = json.loads(line[5:])
    finally:
        server.terminate()
        server.wait(timeout=10)
    targets = {"api": 100.0, "pages": 300.0}
    print(f"machine: {os.cpu_count()} cores; engine: {engine_choice.engine_name(url)}; "
          f"{args.connections} connections, {args.seconds} s each")
    for name, r in results.items():
        ok = r["p95"] < targets[name] and r["errors"] == 0 and r["non2xx"] == 0
        print(f"{name:6} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
              f"{r['requests'] / r['seconds']:7.1f} req/s  errors {r['errors']}  non-2xx "
              f"{r['non2xx']}   target p95 < {targets[name]:.0f} ms  {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
