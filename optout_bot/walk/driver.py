"""Playwright's driver, started while the command line is still being checked.

Playwright drives the browser through its driver, a Node.js process of its own (no browser, nothing on
screen) that takes about half a second to start. Checking what the person typed — reading the settings and
the ledger, loading the code of the walk — takes about as long in Python. One after the other, the person
waits for both; here the driver starts in this thread while the checking runs in another, whose time is
otherwise spent waiting for Node. A browser is only launched after the checks passed, so a mistake still
stops the command before anything opens (scripts/bench.py measures the difference: docs/benchmarks.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

T = TypeVar("T")


@contextmanager
def driver_while(prepare: Callable[[], T]) -> Iterator[tuple[Playwright, T]]:
    """Run `prepare()` in a thread while Playwright's driver starts here; yield both, stop the driver after.

    The checks come first: if `prepare` raises, that error is the one raised (after the driver stops), even
    when the driver could not start either — the person's mistake is what they can fix.
    """
    from playwright.sync_api import sync_playwright

    results: list[T] = []
    errors: list[BaseException] = []

    def check() -> None:
        try:
            results.append(prepare())
        except BaseException as exc:  # handed to the main thread, which raises it
            errors.append(exc)

    thread = threading.Thread(target=check, name="optout-bot-checks", daemon=True)
    thread.start()
    try:
        playwright = sync_playwright().start()
    except BaseException:
        thread.join()
        if errors:
            raise errors[0] from None
        raise
    try:
        thread.join()
        if errors:
            raise errors[0]
        yield playwright, results[0]
    finally:
        playwright.stop()
