"""Lighthouse on the dashboard's pages: accessibility, performance, best practices, page weight.

    npm ci --prefix benchmarks/lighthouse         # once: Lighthouse, pinned (package-lock.json)
    .venv/bin/python benchmarks/lighthouse.py [--workspace DIR] [--check] [--json FILE]

Builds the demo municipality (benchmarks/_work/demo-ws, as web_load.py; reused when it is
there, or --workspace DIR), adds its users (benchmarks/served.py), serves it with
`strategistatus serve` on a free loopback port and runs Lighthouse, with Debian's Chromium
(CHROME_PATH=/usr/bin/chromium), against the overview, a goal page (/goals/1) and a school
page, for the public and for a signed-in central user (the session cookie passed with
--extra-headers; the school page is not public, a 404, so it is measured signed in only),
in Lighthouse's mobile form factor (its default) and its desktop preset.

Prints per run the scores (0-100) and the page weight: the transfer bytes of the page's
network requests (Lighthouse's network-requests audit) by type, in KB of 1,024 bytes; then
the targets, each met or missed over all runs. The exit code is 0 unless a run failed
(2), or --check is given and a target was missed (1). Installs nothing; needs node and npm.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import machine
import served

HERE = Path(__file__).resolve().parent
NPM_DIR = HERE / "lighthouse"
LIGHTHOUSE = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
INSTALL = "npm ci --prefix benchmarks/lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]
CATEGORIES = {"accessibility": "accessibility", "performance": "performance",
              "best-practices": "best_practices"}
# Lighthouse's resourceType of a request -> the column it is counted in
KINDS = {"Document": "html", "Stylesheet": "css", "Script": "js", "Font": "fonts",
         "Image": "images"}
WEIGHT_COLUMNS = ("html", "css", "js", "fonts", "images", "total")
# the performance score's measures, kept in --json: audit -> key
METRICS = {"first-contentful-paint": "fcp_ms", "largest-contentful-paint": "lcp_ms",
           "total-blocking-time": "tbt_ms", "cumulative-layout-shift": "cls",
           "speed-index": "speed_index_ms", "server-response-time": "server_response_ms"}
FORM_FACTORS = ("mobile", "desktop")
USERS = ("public", "central")
CENTRAL = "carl"  # served.USERS: the central user
TARGET_SCORES = {"accessibility": 95, "performance": 90, "best_practices": 90}
TARGET_OVERVIEW_KB = 300.0


@dataclass
class Run:
    page: str
    path: str
    user: str
    form_factor: str
    scores: dict[str, int | None] = field(default_factory=dict)
    weight_kb: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)  # ms (CLS: a fraction)
    requests: int = 0
    seconds: float = 0.0
    benchmark_index: float | None = None
    error: str | None = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=None,
                        help="the demo workspace to serve (default: benchmarks/_work/demo-ws, "
                             "built when missing)")
    parser.add_argument("--school", help="the school page's school id (default: the first "
                                         "folkeskole with grades 0-9)")
    parser.add_argument("--form-factor", choices=FORM_FACTORS, action="append",
                        help="only this form factor (repeatable; default both)")
    parser.add_argument("--user", choices=USERS, action="append",
                        help="only this user (repeatable; default both)")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds a Lighthouse run may take (default 180)")
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH", CHROMIUM),
                        help=f"the browser (default $CHROME_PATH or {CHROMIUM})")
    parser.add_argument("--reports", type=Path,
                        help="keep each run's Lighthouse report (JSON and HTML) in this folder")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a target is missed")
    args = parser.parse_args()

    version = lighthouse_version()
    chromium = chromium_version(args.chromium)
    info = machine.machine(lighthouse=version, chromium=chromium,
                           node=_output(["node", "--version"]))
    root = served.demo_workspace(args.workspace)
    school_id, school_name = ((args.school, args.school) if args.school
                              else served.demo_school(root))
    served.ensure_users(root, school_id)
    pages = {"overview": "/", "goal": "/goals/1", "school": f"/schools/{school_id}"}
    users = args.user or list(USERS)
    form_factors = args.form_factor or list(FORM_FACTORS)
    count = sum(2 if u == "public" else 3 for u in users) * len(form_factors)
    print(f"Lighthouse {version}, {chromium}, node {info['node']}; workspace {root}, "
          f"school {school_id} ({school_name}); {count} runs of "
          f"at most {args.timeout:.0f} s", flush=True)

    runs: list[Run] = []
    with contextlib.ExitStack() as stack:
        # the reports until they are read, and the browsers' temporary files (TMPDIR)
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lighthouse-",
                                                                    dir=_workdir())))
        out = work
        if args.reports:
            args.reports.mkdir(parents=True, exist_ok=True)
            out = args.reports.resolve()
        base = stack.enter_context(served.serve(root))
        cookies = {"public": "", "central": served.sign_in(base, CENTRAL)}
        stack.callback(served.sign_out, base, cookies["central"])
        print(HEADER, flush=True)
        for user in users:
            for page, path in pages.items():
                if page == "school" and user == "public":
                    continue  # not public: a 404 to the public
                served.get(base, path, cookie=cookies[user])  # computed once, as in use
                for form_factor in form_factors:
                    run = Run(page, path, user, form_factor)
                    measure(run, base, cookies[user], out, work, args)
                    runs.append(run)
                    print(row(run), flush=True)
    info["load_average_end"] = machine.load_average()

    targets = evaluate(runs)
    if "public" in users:
        print("(the school page is not public, a 404 to the public: measured signed in only)")
    print()
    print("targets (over all runs):")
    for t in targets:
        print(f"  {t['target']:26} {t['found']:48} {'met' if t['met'] else 'MISSED'}")
    machine.print_machine(info, print, versions=f"Lighthouse {version}, {chromium}, ")
    if args.reports:
        print(f"reports: {args.reports}")
    if args.json:
        figures = {"date": dt.date.today().isoformat(), "workspace": str(root),
                   "school": {"id": school_id, "name": school_name}, "machine": info,
                   "runs": [asdict(r) for r in runs], "targets": targets}
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        print(f"figures: {args.json}")
    failed = [r for r in runs if r.error]
    if failed:
        print(f"{len(failed)} of {len(runs)} Lighthouse runs failed", file=sys.stderr)
        sys.exit(2)
    if args.check and not all(t["met"] for t in targets):
        sys.exit(1)


# -- what is installed ------------------------------------------------------------------------
def lighthouse_version() -> str:
    """The installed Lighthouse's version; exits with the command to install it when it is
    missing or not the version package.json pins."""
    if shutil.which("node") is None:
        sys.exit("node is missing: Lighthouse runs on Node.js (Debian's nodejs, or nodejs.org)")
    pinned = json.loads((NPM_DIR / "package.json").read_text())["dependencies"]["lighthouse"]
    installed = NPM_DIR / "node_modules" / "lighthouse" / "package.json"
    if not LIGHTHOUSE.exists() or not installed.exists():
        sys.exit(f"Lighthouse is not installed. From the repository's root run:\n    {INSTALL}")
    version = str(json.loads(installed.read_text())["version"])
    if version != pinned:
        sys.exit(f"Lighthouse {version} is installed, package.json pins {pinned}. Run:\n"
                 f"    {INSTALL}")
    return version


def chromium_version(path: str) -> str:
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        sys.exit(f"no browser at {path}: install Debian's chromium, or give --chromium PATH")
    return " ".join(_output([path, "--version"]).split()[:2]) or "Chromium (version unknown)"


def _output(cmd: list[str]) -> str:
    """The first line ``cmd`` prints on stdout (its stderr ignored), or ''."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout.strip().splitlines() or [""])[0]


def _workdir() -> Path:
    """Where the reports of a run are kept until the end: benchmarks/_work (git-ignored)."""
    work = HERE / "_work"
    work.mkdir(parents=True, exist_ok=True)
    return work


# -- one Lighthouse run -------------------------------------------------------------------------
def measure(run: Run, base: str, cookie: str, out: Path, work: Path,
            args: argparse.Namespace) -> None:
    """Run Lighthouse once and fill ``run`` in (its error, if it failed). The report is
    written to ``out``, the session cookie's value blotted out of it."""
    name = f"{run.page}-{run.user}-{run.form_factor}"
    cmd = [str(LIGHTHOUSE), base + run.path, "--quiet", "--output=json", "--output=html",
           f"--output-path={out / name}",
           f"--only-categories={','.join(CATEGORIES)}",
           f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
    if run.form_factor == "desktop":
        cmd.append("--preset=desktop")
    if cookie:
        cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": args.chromium, "TMPDIR": str(work)}
    report = out / f"{name}.report.json"
    report.unlink(missing_ok=True)
    start = time.monotonic()
    process = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = process.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        run.error = f"timed out after {args.timeout:.0f} s"
        return
    finally:
        end(process)
        run.seconds = round(time.monotonic() - start, 1)
    if not report.exists():
        last = stderr.strip().splitlines()[-3:] if stderr else []
        run.error = (f"Lighthouse exited {process.returncode} without a report: "
                     + (" | ".join(last) or "no message"))
        return
    if cookie:
        secret = cookie.split("=", 1)[1]
        for kept in (report, report.with_name(f"{name}.report.html")):
            with contextlib.suppress(OSError):
                kept.write_text(kept.read_text(encoding="utf-8").replace(secret, "(session)"),
                                encoding="utf-8")
    read_report(run, json.loads(report.read_text(encoding="utf-8")))


def read_report(run: Run, lhr: dict[str, Any]) -> None:
    """The scores and the page weight of a Lighthouse result (its JSON)."""
    if lhr.get("runtimeError"):
        run.error = f"{lhr['runtimeError'].get('code')}: {lhr['runtimeError'].get('message')}"
    for category, key in CATEGORIES.items():
        score = lhr["categories"].get(category, {}).get("score")
        run.scores[key] = None if score is None else round(score * 100)
    items = (lhr["audits"].get("network-requests", {}).get("details") or {}).get("items", [])
    weight = dict.fromkeys(WEIGHT_COLUMNS, 0.0)
    for item in items:
        size = float(item.get("transferSize") or 0)
        kind = KINDS.get(item.get("resourceType", ""))
        if kind:
            weight[kind] += size
        weight["total"] += size
    run.weight_kb = {k: round(v / 1024, 1) for k, v in weight.items()}
    run.requests = len(items)
    for audit, key in METRICS.items():
        value = lhr["audits"].get(audit, {}).get("numericValue")
        if value is not None:
            run.metrics[key] = round(float(value), 3 if key == "cls" else 0)
    run.benchmark_index = lhr.get("environment", {}).get("benchmarkIndex")


def end(process: subprocess.Popen) -> None:
    """Stop a Lighthouse run still going (a timeout, Ctrl+C, SIGTERM) and the Chromium it
    started: SIGINT first (chrome-launcher then closes its browsers), after 10 s SIGKILL to
    the run and to the process groups of the browsers it had started (they are detached)."""
    if process.poll() is not None:
        return
    browsers = _children(process.pid)
    process.send_signal(signal.SIGINT)
    try:
        process.communicate(timeout=10)
        return
    except subprocess.TimeoutExpired:
        pass
    process.kill()
    process.communicate()
    for pid in browsers:
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


# -- the table and the targets ------------------------------------------------------------------
HEADER = (f"{'':26} {'scores (0-100)':^22}  {'transfer KB (1,024 bytes)':^47}\n"
          f"{'page':8} {'user':8} {'form':8} {'access.':>7} {'perf.':>5} {'best pr.':>8}  "
          + " ".join(f"{c:>7}" for c in ("HTML", "CSS", "JS", "fonts", "images", "total"))
          + f" {'seconds':>8}")


def row(run: Run) -> str:
    head = f"{run.page:8} {run.user:8} {run.form_factor:8}"
    if run.error and not run.scores:
        return f"{head} FAILED: {run.error}"

    def score(key: str) -> str:
        value = run.scores.get(key)
        return "-" if value is None else str(value)

    text = (f"{head} {score('accessibility'):>7} {score('performance'):>5} "
            f"{score('best_practices'):>8}  "
            + " ".join(f"{run.weight_kb.get(c, 0):7.1f}" for c in WEIGHT_COLUMNS)
            + f" {run.seconds:8.1f}")
    return text + (f"  ({run.error})" if run.error else "")


def evaluate(runs: list[Run]) -> list[dict[str, Any]]:
    """Each target over all runs: its worst figure, where, and whether it is met (a run
    without the figure, a failed run, misses it)."""
    targets = []
    for key, minimum in TARGET_SCORES.items():
        label = f"{key.replace('_', ' ')} >= {minimum}"
        found = [(r.scores.get(key), r) for r in runs]
        missing = [r for s, r in found if s is None]
        if missing or not found:
            where = (f"no score in {len(missing)} of {len(runs)} runs (first: "
                     f"{_where(missing[0])})" if missing else "no runs")
            targets.append({"target": label, "found": where, "met": False, "worst": None})
            continue
        worst, at = min(((s, r) for s, r in found if s is not None), key=lambda x: x[0])
        targets.append({"target": label, "found": f"lowest {worst} ({_where(at)})",
                        "met": worst >= minimum, "worst": worst})
    label = f"overview total < {TARGET_OVERVIEW_KB:.0f} KB"
    overview = [r for r in runs if r.page == "overview" and r.weight_kb]
    if overview:
        top = max(overview, key=lambda r: r.weight_kb["total"])
        kb = top.weight_kb["total"]
        targets.append({"target": label, "found": f"largest {kb:.1f} KB ({_where(top)})",
                        "met": kb < TARGET_OVERVIEW_KB, "worst": kb})
    else:
        targets.append({"target": label, "found": "not measured", "met": False, "worst": None})
    return targets


def _where(run: Run) -> str:
    return f"{run.page}, {run.user}, {run.form_factor}"


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted")
