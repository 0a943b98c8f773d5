"""What the commands that open a browser are given, gathered and checked before a browser starts.

`BrowserOptions`: how to reach the browser and how long to wait, the same object for run, login, verify and
demo (the one door, optout_bot.walk.door, reads it). `RunOptions`: what `run` and `demo` add, the form and its values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from optout_bot.errors import UsageError
from optout_bot.i18n import _
from optout_bot.settings.values import FormValues


@dataclass(frozen=True)
class Timeouts:
    """Seconds. Bounded waits everywhere: a page that never shows what we look for must not hang the tool."""

    step: float = 15.0  # one element on one page (per route step)
    login: float = 600.0  # the person logging in again
    user: float = 900.0  # the person reviewing and clicking Submit

    @staticmethod
    def ms(seconds: float) -> float:
        return seconds * 1000


# The longest waits the options accept. A step is one element on one page: ten minutes is already far more than
# any page needs. The person's own waits (logging in, reviewing the form) may take a day at most.
MAX_STEP_SECONDS = 600
MAX_PERSON_SECONDS = 86_400


class Seconds(click.FloatRange):
    """A `--…-timeout`: a finite number of seconds within bounds, or a one-line usage error (exit 2).

    click's FloatRange lets `nan` through (no comparison with it is true) and its errors take four lines; a
    `nan` or `inf` wait would later fail as if the platform's pages had changed.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            seconds = super().convert(value, param, ctx)
        except click.BadParameter:
            seconds = math.nan
        if math.isnan(seconds):
            option = param.opts[0] if param is not None and param.opts else "--timeout"
            message = _("{option} {value!r} is not a number of seconds from {low:g} to {high:g}")
            raise UsageError(message.format(option=option, value=str(value)[:40], low=self.min, high=self.max))
        return seconds


@dataclass(frozen=True)
class BrowserOptions:
    """How to reach the browser and how long to wait: shared by run, login, verify and demo (optout_bot.walk.door)."""

    profile: str = "default"  # the browser profile folder (the account's name unless the settings say)
    cdp_url: str | None = None  # --cdp: attach to the person's running browser instead of starting one
    channel: str | None = None  # --browser-channel
    executable_path: str | None = None  # --executable-path
    headless: bool = False
    browser_args: tuple[str, ...] = ()  # --browser-arg
    timeouts: Timeouts = field(default_factory=Timeouts)
    debug: bool = False  # --debug, handed down from the command group
    demo_page_lang: str | None = None  # `demo`: the bundled imitation of the sites, in this language, is the web


@dataclass(frozen=True)
class RunOptions:
    """What one `run` or `demo` walk needs besides the browser: which form, with which values, what to keep."""

    platform: str
    values: FormValues
    browser: BrowserOptions = field(default_factory=BrowserOptions)
    flow: str = "own"  # which of the platform's flows: "own", or "third-party" (Facebook)
    account: str = "default"
    dry_run: bool = False
    screenshot: Path | None = None  # where --dry-run saves the ready form (default: under the data dir)
    from_link: str | None = None  # the link in Meta's email: tried before the flow's own routes
