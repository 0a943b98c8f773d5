"""Playwright's driver starts while the command line is checked in another thread (optout_bot.driver)."""

from __future__ import annotations

import threading

import pytest

from optout_bot.driver import driver_while
from optout_bot.errors import UsageError


def test_the_checks_run_in_another_thread_while_the_driver_starts() -> None:
    def prepare() -> str:
        return threading.current_thread().name

    with driver_while(prepare) as (playwright, checked_in):
        assert checked_in != threading.current_thread().name
        assert playwright.chromium.name == "chromium"  # the driver answers


def test_a_failed_check_is_the_error_raised_and_nothing_is_yielded() -> None:
    entered = False

    def prepare() -> None:
        raise UsageError("--country: 'XX' is not a two-letter country code")

    with pytest.raises(UsageError, match="XX"), driver_while(prepare):
        entered = True
    assert not entered
