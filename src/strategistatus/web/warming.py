"""New data shown when its pages are ready: nobody waits for figures to be computed.

When an import or another write publishes new data, every page computed for the old data is
out of date at once. Were the next requests to compute them, every reader would wait for
that (about a second of indicator work, longer while the import still takes the CPU). So
the app goes on answering from the pages it has for the data it shows (one data state,
consistent) while one worker thread computes the recently asked pages for the new data;
then it shows the new data. A request for a page not computed for the shown data is
computed in a worker thread on the newest data as before (never half old, half new).

A write made by the app itself (an upload, a status text) computes the pages before it
answers, so whoever wrote sees the new figures on the next page they open. A write by
another process (``strategistatus import`` beside ``serve``) shows on the dashboard as soon
as the pages are computed, usually within a few seconds.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

RECENT = 48  # pages recomputed for new data: the most recently asked ones
Version = tuple[int, int]
log = logging.getLogger(__name__)


class Warmer:
    """Which data version the app shows, and the recently asked pages (their recipes)."""

    def __init__(self) -> None:
        self.shown: Version | None = None
        self._recipes: OrderedDict[tuple, Callable[[], Any]] = OrderedDict()
        self._guard = threading.Lock()
        self._running = False
        self._thread: threading.Thread | None = None
        self.stopping = threading.Event()
        """Set when the app stops: no new computing starts, a running one ends early (a
        database must not close under a query in flight)."""

    def note(self, key: tuple, make: Callable[[], Any]) -> None:
        """A page was computed: how to compute it again for new data."""
        with self._guard:
            self._recipes[key] = make
            self._recipes.move_to_end(key)
            while len(self._recipes) > RECENT:
                self._recipes.popitem(last=False)

    def recipes(self) -> list[tuple[tuple, Callable[[], Any]]]:
        with self._guard:
            return list(self._recipes.items())

    def version_shown(self, newest: Version, start: Callable[[], None]) -> Version:
        """The version answered from memory: ``newest`` once its pages are computed, until
        then the one shown before (``start`` begins computing them, once)."""
        shown = self.shown
        if shown is not None and newest <= shown:
            return shown  # (on PostgreSQL the app's own write may be shown before it is heard)
        if shown is None or not self._recipes:
            self.now_showing(newest)
            return newest
        with self._guard:
            if not self._running and not self.stopping.is_set():
                self._running = True
                self._thread = threading.Thread(target=self._run, args=(start, newest),
                                                name="warming", daemon=True)
                self._thread.start()
        return shown

    def stop(self, timeout: float = 60.0) -> None:
        """The app stops: wait for the page being computed, start no more."""
        self.stopping.set()
        with self._guard:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self, start: Callable[[], None], newest: Version) -> None:
        try:
            start()
        except Exception:  # noqa: BLE001 - the new data is shown anyway, computed on demand
            log.exception("computing the pages of new data failed")
            self.now_showing(newest)
        finally:
            with self._guard:
                self._running = False

    def now_showing(self, version: Version) -> None:
        with self._guard:
            if self.shown is None or version > self.shown:
                self.shown = version
