"""The real server (`strategistatus serve`) answers everyone else while a large upload is
checked: the file is read and checked off the event loop, so a clerk's 30 MB export does not
make a school leader or the public wait."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from conftest import NOW, write
from strategistatus.importer import read_files, stage_and_write
from test_proxy_and_throttle import SERVED, serving
from test_web import PASSWORD, app_ws  # noqa: F401 - fixture

AT = "2018-01-31"


def _big_pupils(rows: int) -> bytes:
    lines = ["Dato;Elev;Skole ID;Klassetrin"]
    lines += [f"05-09-2017;e{i};{'280001' if i % 2 else '280002'};{i % 10}" for i in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _signed_in(url: str, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=120)
    answer = client.post("/api/v1/session", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client, answer.json()["csrf_token"]


def test_others_are_answered_while_a_large_upload_is_checked(app_ws):  # noqa: F811
    data = _big_pupils(1_200_000)  # about 30 MB, under the 50 MB upload limit
    with serving(app_ws) as url:
        clerk, csrf = _signed_in(url, "carl")
        leader, _ = _signed_in(url, "lea")
        public = httpx.Client(base_url=url, timeout=30)
        paths = [f"/api/v1/overview?at={AT}", "/api/v1/schools/280001?at=" + AT, f"/?at={AT}",
                 "/api/v1/goals/3"]
        asks = ((leader, paths[1]), (public, paths[0]), (public, paths[2]), (leader, paths[3]))
        for c, path in asks:  # pages computed once before (a new page takes ~1 s to compute)
            assert c.get(path).status_code == 200
        result: dict[str, object] = {}

        def upload() -> None:
            started = time.monotonic()
            answer = clerk.post("/api/v1/imports", data={"dataset": "pupils"},
                                files={"file": ("elever.csv", data, "text/csv")},
                                headers={"X-CSRF-Token": csrf})
            result.update(status=answer.status_code, seconds=time.monotonic() - started,
                          body=answer.json())

        worker = threading.Thread(target=upload)
        worker.start()
        waits: list[float] = []
        while worker.is_alive():
            for c, path in asks:
                started = time.monotonic()
                assert c.get(path).status_code == 200, path
                waits.append(time.monotonic() - started)
            time.sleep(0.05)
        worker.join()
        assert result["status"] == 200, result
        body = result["body"]
        print({k: v for k, v in body.items() if k != "errors"})
        assert isinstance(body, dict) and body["ok"], body
        clerk.delete(f"/api/v1/imports/{body['upload_id']}", headers={"X-CSRF-Token": csrf})
    seconds = float(result["seconds"])  # type: ignore[arg-type]
    print(f"upload checked in {seconds:.1f} s; {len(waits)} other answers meanwhile, "
          f"slowest {max(waits):.2f} s")
    assert seconds > 2 and len(waits) >= 20  # the answers really overlapped the check
    assert max(waits) < 1.0


def test_a_check_overtaken_by_another_import_is_checked_again_before_it_is_written(
        ws, tmp_path):
    """The web app checks an upload on a reader, without the writer; when another import is
    written meanwhile, the rows are checked again on the writer, so the plan written is
    never one made against data that has since changed."""
    first = write(tmp_path / "a.csv", "Dato;Elev;Skole ID;Klassetrin\n"
                  "05-09-2017;e1;280001;1\n05-09-2017;e2;280001;2\n")
    second = write(tmp_path / "b.csv", "Dato;Elev;Skole ID;Klassetrin\n"
                   "05-09-2017;e1;280001;3\n")

    @contextmanager
    def writer() -> Iterator[object]:  # the other import takes the writer first
        with read_files(ws, "pupils", [second]) as other:
            assert stage_and_write(ws, other, now=NOW).written
        with ws.open_store() as store:
            yield store

    with read_files(ws, "pupils", [first]) as read, ws.open_store(read_only=True) as checker:
        report = stage_and_write(ws, read, store=checker, writer=writer, now=NOW)
    assert report.ok and report.written
    totals = report.totals()  # against the other import's row
    assert (totals["inserted"], totals["updated"]) == (1, 1), totals
    with ws.open_store(read_only=True) as store:
        grades = store.con.execute("SELECT grade FROM pupils ORDER BY grade").fetchall()
    assert grades == [(1,), (2,)]


def _corpus(names: tuple[str, ...], folder: Path) -> list[Path]:
    """Files of the hostile corpus (tests/data/hostile), the large ones built into ``folder``."""
    sys.path.insert(0, str(HOSTILE))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(HOSTILE))
    cases = {c.name: c for c in make_corpus.CASES}
    return [HOSTILE / n if not cases[n].large else cases[n].build(folder / n) for n in names]


HOSTILE = Path(__file__).parent / "data" / "hostile"


def test_hostile_workbooks_uploaded_to_the_server_are_refused_while_others_are_answered(
        app_ws, tmp_path):  # noqa: F811
    files = _corpus(("bomb-ratio-32.xlsx", "bomb-ratio-1000.xlsx", "sparse-cell-ax1000000.xlsx",
                     "billion-laughs.xlsx", "old-xls-renamed.xlsx"), tmp_path)
    with serving(app_ws) as url:
        server = psutil.Process(SERVED[url])
        clerk, csrf = _signed_in(url, "carl")
        public = httpx.Client(base_url=url, timeout=30)
        assert public.get(f"/api/v1/overview?at={AT}").status_code == 200
        before = server.memory_info().rss
        for path in files:
            answers: dict[str, object] = {}

            def upload(path: Path = path, answers: dict[str, object] = answers) -> None:
                started = time.monotonic()
                answer = clerk.post("/api/v1/imports", data={"dataset": "pupils"},
                                    files={"file": (path.name, path.read_bytes())},
                                    headers={"X-CSRF-Token": csrf})
                answers.update(seconds=time.monotonic() - started, answer=answer)

            worker = threading.Thread(target=upload)
            worker.start()
            waits, peak = [], 0
            while worker.is_alive():
                started = time.monotonic()
                assert public.get(f"/api/v1/overview?at={AT}").status_code == 200
                waits.append(time.monotonic() - started)
                peak = max(peak, server.memory_info().rss)
                time.sleep(0.02)
            worker.join()
            answer = answers["answer"]
            assert isinstance(answer, httpx.Response) and answer.status_code == 200
            body = answer.json()
            assert not body["ok"] and path.name in body["errors"][0]["reason"], body
            print(f"{path.name}: {path.stat().st_size / 1e6:,.1f} MB refused in "
                  f"{answers['seconds']:.2f} s, server +{max(0, peak - before) / 1e6:,.0f} MB, "
                  f"{len(waits)} other answers, slowest {max(waits, default=0):.2f} s")
            assert float(answers["seconds"]) < 5  # type: ignore[arg-type]
            assert max(waits, default=0) < 1.0
            assert max(0, peak - before) < 256e6
        assert not any(app_ws.uploads.iterdir())  # refused uploads are deleted at once
