"""Everything one `run` or `demo` needs, gathered and checked before a browser starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from optout_bot.values import FormValues


@dataclass(frozen=True)
class Timeouts:
    """Seconds. Bounded waits everywhere: a page that never shows what we look for must not hang the tool."""

    step: float = 15.0  # one element on one page (per route step)
    login: float = 600.0  # the person logging in again
    user: float = 900.0  # the person reviewing and clicking Submit

    @staticmethod
    def ms(seconds: float) -> float:
        return seconds * 1000


@dataclass(frozen=True)
class RunOptions:
    platform: str
    values: FormValues
    flow: str = "own"  # which of the platform's flows: "own", or "third-party" (Facebook)
    account: str = "default"
    profile: str = "default"  # the browser profile folder (the account's name unless the settings say)
    cdp_url: str | None = None
    channel: str | None = None
    executable_path: str | None = None
    headless: bool = False
    dry_run: bool = False
    timeouts: Timeouts = field(default_factory=Timeouts)
    screenshot: Path | None = None  # where --dry-run saves the ready form (default: under the data dir)
    browser_args: tuple[str, ...] = ()
    from_link: str | None = None  # the link in Meta's email: tried before the flow's own routes
