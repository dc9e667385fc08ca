"""Shared fixtures: real workspaces on disk, real files, a real DuckDB database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import pg_server as pg_server_module
from engines import ENGINES, SUITE_ENGINE, DemoCopy, copy_workspace, settings
from leakscan import Findings, LogScan, Recorder, scan_postgres, scan_temp, scan_tree
from pg_server import pg_server, pg_url  # noqa: F401 - fixtures for every test module
from strategistatus.importer import ImportReport, import_files
from strategistatus.workspace import Workspace, find_workspace, init_workspace

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2018, 1, 31, 12, 0)


@pytest.fixture
def ws(tmp_path: Path, request: pytest.FixtureRequest) -> Workspace:
    """A new, empty workspace with the shipped strategy, on the suite's engine
    (``STRATEGISTATUS_TEST_ENGINE``: duckdb, or postgres for the PostgreSQL pass); a test
    about the embedded database file itself (``@pytest.mark.embedded``) always gets DuckDB."""
    engine = "duckdb" if request.node.get_closest_marker("embedded") else SUITE_ENGINE
    return init_workspace(tmp_path / "ws", settings=settings(engine))


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn (``engines``): a test asking for it runs on both."""
    return str(request.param)


@pytest.fixture(scope="session")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> DemoCopy:
    """``demo_copy(folder, engine)``: the demo municipality (seed 2018) as a workspace of its
    own at ``folder`` on ``engine``. It is built once per test worker and engine
    (``create_demo``: writing and importing its exports takes 15-30 s) and copied for each
    module that asks (``engines.copy_workspace``, its PostgreSQL database too), never
    changed itself. ``test_demo`` builds it afresh: the building is its subject."""
    from strategistatus.demo import create_demo

    built: dict[str, Path] = {}

    def demo(folder: Path, engine: str) -> Workspace:
        if engine not in built:
            root = tmp_path_factory.mktemp(f"demo-{engine}") / "ws"
            built[engine] = create_demo(root, settings=settings(engine)).root
        return find_workspace(copy_workspace(built[engine], folder))

    return demo


def write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    """A CSV file with exact bytes: Danish Excel writes CRLF line ends."""
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def run_import(ws: Workspace, dataset: str, *paths: Path, **options) -> ImportReport:
    options.setdefault("now", NOW)
    options.setdefault("user", "tester")
    return import_files(ws, dataset, list(paths), **options)


def pseudonym(ws: Workspace, identity: str) -> str:
    """The pseudonym of a normalised identity, computed by plain Python (a separate path)."""
    digest = hmac.new(ws.secret(), identity.encode(), hashlib.sha256).hexdigest()
    h = digest[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def rows(ws: Workspace, sql: str) -> list[tuple]:
    """The rows of ``sql`` on a reader; a statement that is not a SELECT runs on the writer."""
    reading = sql.lstrip().upper().startswith(("SELECT", "WITH", "DESCRIBE", "SHOW"))
    with ws.open_store(read_only=reading) as store:
        return store.con.execute(sql).fetchall()


_skipped: list[str] = []
# Every HTTP answer, CLI output and log line of the session, searched for CPR numbers
RECORDER = Recorder()
_STARTED = time.time()


@pytest.fixture(autouse=True, scope="session")
def _sql_kept_by_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The SQL compiled by one run and read by the next (``indicators.compiled``) is kept in
    a folder of the test session's own (each worker's), never in the user's cache: every
    command a test runs after the first reads it, as a user's would."""
    folder = tmp_path_factory.mktemp("sql-kept")
    patch = pytest.MonkeyPatch()
    patch.setenv("STRATEGISTATUS_SQL_CACHE", str(folder))
    yield folder
    patch.undo()


@pytest.fixture(autouse=True, scope="session")
def _record_answers():
    """Search every HTTP answer a test client gets (bodies and headers) and every log line."""
    import logging

    import httpx

    send = httpx.Client.send

    def recording_send(self, request, **kwargs):
        response = send(self, request, **kwargs)
        where = f"HTTP {request.method} {request.url.path}"
        RECORDER.record(where, str(response.headers))
        if not kwargs.get("stream"):
            RECORDER.record(where, response.content)
        return response

    handler = LogScan(RECORDER)
    logging.getLogger().addHandler(handler)
    httpx.Client.send = recording_send  # type: ignore[method-assign]
    yield
    httpx.Client.send = send  # type: ignore[method-assign]
    logging.getLogger().removeHandler(handler)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass (``STRATEGISTATUS_TEST_ENGINE=postgres``, after the DuckDB pass)
    runs every test whose workspace follows the suite's engine: those using the ``ws``
    fixture (also through another fixture) and those of modules making workspaces with
    ``engines.suite_settings``. Deselected, as they ran in full in the DuckDB pass: tests
    about the DuckDB file (``embedded``), tests that run on both engines anyway (the
    ``engine`` fixture), tests without a database of the suite's engine, and the files whose
    subject does not depend on the engine (``ENGINE_FREE``)."""
    _unique_node_ids(items)
    _heavy_first(items)
    if SUITE_ENGINE != "postgres" or config.getoption("keyword") or config.getoption("markexpr"):
        return
    keep, drop = [], []
    for item in items:
        module = getattr(item, "module", None)
        follows = "ws" in getattr(item, "fixturenames", ()) or any(
            hasattr(module, name) for name in ("suite_settings", "SUITE_ENGINE"))
        both = "engine" in getattr(item, "fixturenames", ())
        once = item.path.stem in ENGINE_FREE
        (keep if follows and not both and not once and not item.get_closest_marker("embedded")
         else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


ENGINE_FREE = frozenset({
    "test_page_errors", "test_web_pages", "test_browser", "test_api_schema", "test_web_models",
    "test_web_limits", "test_proxy_and_throttle", "test_report", "test_report_rendered",
    "test_corpus", "test_csv_shapes", "test_damaged_files", "test_typed_dates",
    "test_cli_dates", "test_user_names"})
"""Test files the PostgreSQL pass leaves out though they use a workspace: their subject is
the same code on either engine (the readers of files, the words and look of pages and
errors, the API's schema and models, request limits, the sign-in throttle, typed dates, the
report's formats), and the store's side of it is tested on PostgreSQL elsewhere (imports
all or nothing, figures on every surface, accounts and users, privacy of the database).
Both passes in full took over 80 minutes on CI's two cores, past its 90 with the set-up."""

HEAVY_FIRST = (
    "test_kill_import", "test_postgres", "test_web_truth", "test_national", "test_damaged_files",
    "test_batches", "test_migrations", "test_one_truth", "test_hostile_workbooks",
    "test_cli_truth", "test_service_concurrency", "test_cli_dates", "test_web_models",
    "test_demo", "test_backup", "test_export", "test_page_errors", "test_api_schema",
    "test_fuzz_readers", "test_dry_run_equals_import", "test_national_spark_files",
    "test_browser_matrix", "test_prepared", "test_browser", "test_remind")
"""Test files by their measured time (``--durations``, both passes), most first."""


def _heavy_first(items: list[pytest.Item]) -> None:
    """The longest test files first: pytest-xdist hands out whole files (``--dist loadfile``
    with ``--no-loadscope-reorder``, Makefile) in this order, so no long file is left to run
    alone on one core at the end while the other core is idle."""
    rank = {name: n for n, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: order kept


def _unique_node_ids(items: list[pytest.Item]) -> None:
    """Schemathesis gives its tests one node id per test function, not per API operation
    (the operation is only in the name); pytest-xdist keys the tests by node id, so in a
    parallel run all but one operation's tests would silently not run. The operation goes
    into the node id."""
    from _pytest.nodes import coerce_node_id  # pytest 9 keeps the node id as a NodeId

    for item in items:
        name = item.name
        if "[" in name and not item.nodeid.endswith("]"):
            item._id = coerce_node_id(item.nodeid + name[name.index("["):])
    seen: set[str] = set()
    twice = {i.nodeid for i in items if i.nodeid in seen or seen.add(i.nodeid)}
    if twice:  # a parallel run would run one of them only
        raise pytest.UsageError(f"tests share a node id: {sorted(twice)[:5]}")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def _expire_uploads(root: Path) -> int:
    """As the server does an hour after a check: unconfirmed uploads go (a test may end
    with an upload waiting to be confirmed, as a clerk may leave one)."""
    from strategistatus.web.uploads import UploadArea
    from strategistatus.workspace import find_workspace

    expired = 0
    for settings_file in root.rglob("strategistatus.toml"):
        try:
            ws = find_workspace(settings_file.parent)
            keep = dt.timedelta(minutes=ws.settings.upload_keep_minutes)
        except Exception:  # a workspace a test broke on purpose
            continue
        if (settings_file.parent / "uploads").is_dir():
            area = UploadArea(settings_file.parent / "uploads", keep)
            expired += len(area.sweep(now=dt.datetime.now() + keep + dt.timedelta(minutes=1)))
    return expired


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (CI=true) a skipped test is a failure: whatever it needs must be installed.
    Then the leak scan (``leakscan``): a CPR number in anything the tests made fails the run.

    Run in parallel (``pytest -n``, pytest-xdist), each worker scans its own folders, answers
    and PostgreSQL server and hands its findings to the controller, which scans the system's
    temporary folder once every worker is done and fails the run on any finding."""
    import os

    config = session.config
    worker = getattr(config, "workeroutput", None)
    if os.environ.get("CI") == "true" and _skipped and worker is None:
        print(f"\nCI=true: {len(_skipped)} test(s) were skipped: {', '.join(_skipped[:10])}")
        session.exitstatus = 1
    findings = RECORDER.findings
    if worker is not None or not _WORKERS_FINDINGS:
        factory = getattr(config, "_tmp_path_factory", None)
        basetemp = getattr(factory, "_basetemp", None)
        if basetemp is not None:
            expired = _expire_uploads(Path(basetemp))
            if worker is None:
                print(f"\n{expired} unconfirmed uploads expired")
            findings = scan_tree(Path(basetemp), findings)
        server = pg_server_module.running()
        if server is not None:
            scan_postgres(server, findings)
    if worker is not None:  # the controller reports (pytest_testnodedown)
        worker["leak_findings"] = dataclasses.asdict(findings)
        return
    for found in _WORKERS_FINDINGS:
        findings = findings.merged(Findings(**found))
    scan_temp(Path(tempfile.gettempdir()), _STARTED, findings,
              skip=("pytest-of-", "leakscan-", "hypothesis"))
    print("\n" + findings.summary())
    if findings.hits:
        print("\n".join(findings.hits[:50]))
        session.exitstatus = 1


_WORKERS_FINDINGS: list[dict] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # noqa: ANN001 - pytest-xdist's hook
    """A worker is done: keep its leak scan's findings for the controller's summary."""
    found = getattr(node, "workeroutput", {}).get("leak_findings")
    if found is not None:
        _WORKERS_FINDINGS.append(found)
    elif error is None:  # a worker that ran to its end must have scanned
        _WORKERS_FINDINGS.append(dataclasses.asdict(
            Findings(hits=[f"worker {node.gateway.id}: no leak scan reported"])))


@pytest.fixture(autouse=True)
def _messages_in_english(request: pytest.FixtureRequest,
                         monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In-process tests read messages in English, as if chosen with --lang en (so their
    assertions read as the code's message ids), and so does the command line they start
    (STRATEGISTATUS_LANG=en); a test marked ``danish`` starts in Danish with no language
    chosen, as a user does. Each test starts afresh: a choice never leaks to the next."""
    from strategistatus import i18n

    danish = request.node.get_closest_marker("danish") is not None
    if danish:
        monkeypatch.delenv("STRATEGISTATUS_LANG", raising=False)
    else:  # the command line run as a subprocess, too
        monkeypatch.setenv("STRATEGISTATUS_LANG", "en")
    language = i18n._language.set("da" if danish else "en")
    chosen = i18n._chosen.set(not danish)
    yield
    try:
        i18n._language.reset(language)
        i18n._chosen.reset(chosen)
    except ValueError:  # set in another context: start over
        i18n._language.set("da")
        i18n._chosen.set(False)
