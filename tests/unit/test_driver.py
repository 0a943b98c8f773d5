"""Playwright's driver starts while the command line is checked in another thread (optout_bot.walk.driver).

Each case runs in a thread of its own, as the command does in its main thread: the test session's own
Playwright (pytest-playwright) keeps an event loop in this one, where the sync API refuses to start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from optout_bot.errors import UsageError
from optout_bot.walk.driver import driver_while


def in_a_fresh_thread(case: Callable[[], None]) -> None:
    failures: list[BaseException] = []

    def run() -> None:
        try:
            case()
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "driver_while did not return within 60 s"
    if failures:
        raise failures[0]


def test_the_checks_run_in_another_thread_while_the_driver_starts() -> None:
    def case() -> None:
        here = threading.current_thread().name
        with driver_while(lambda: threading.current_thread().name) as (playwright, checked_in):
            assert checked_in != here
            assert playwright.chromium.name == "chromium"  # the driver answers

    in_a_fresh_thread(case)


def test_a_failed_check_is_the_error_raised_and_nothing_is_yielded() -> None:
    entered: list[bool] = []

    def prepare() -> None:
        raise UsageError("--country: 'XX' is not a two-letter country code")

    def case() -> None:
        with pytest.raises(UsageError, match="XX"), driver_while(prepare):
            entered.append(True)

    in_a_fresh_thread(case)
    assert entered == []
