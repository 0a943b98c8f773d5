"""`optout-bot verify`: look again at every AI-training setting the ledger knows, and say if it is still off.

A setting (LinkedIn's "Data for Generative AI Improvement", X's Grok data sharing) stays off only as long as
the platform leaves it so; platforms have switched such settings back on before. For every (account,
platform) whose setting a run or an earlier check saw, verify opens that account's own browser profile, one
account after another, walks the platform's flow to the setting, reads its state, and records what it saw in
the ledger (a check). It never clicks the switch: a setting found on is for the person to switch off, with
`optout-bot run`, which shows them where.

Two halves, so that what verify decides and says can be tested without a browser:

- what to visit and what to say (`plan_visits`, `verdict`, `exit_status`, `render_json`): the ledger and the
  settings file in, words and an exit code out;
- looking (`look_at_settings`): the browser, imported only when a visit is due.

The exit code is 0 when every setting is still off, 8 (ExitStatus.SETTING_ON) when any is on — it wins over
a failure, since it asks the person to act — else the first failure's (5 pages not recognised, 7 browser…).
One account that fails does not stop the others.

`verify --json` prints this shape, for scripts (keys may be added; none renamed without "schema" going up):

    {
      "schema": 1,
      "exit_code": 8,
      "settings": [
        {
          "account": "pro",
          "platform": "linkedin",
          "flow": "own",                               # which of its settings ("business-partners": X's other)
          "state": "on",                                # what verify saw: "on", "off"; null: could not look
          "checked_at": "2026-12-20T08:00:12+00:00",   # when (UTC); null: could not look
          "last_seen_off": "2026-11-29T09:15:03+00:00",  # the last time it was seen off before this check
          "switched_back_on": true,                    # on now, after it was seen off
          "exit_code": 0,                              # this visit's: 0 when it could look
          "error": null                                # why it could not look
        }
      ]
    }
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout_bot.errors import ExitStatus, NotSubmittedError, OptoutError, UsageError
from optout_bot.i18n import N_, _
from optout_bot.platforms import platform_name
from optout_bot.records.ledger import OWN_FLOW, SETTING_OFF, SETTING_ON, Ledger
from optout_bot.records.status import existing_ledger, fix_command, in_brackets, local_date, utc_iso
from optout_bot.settings.config import Config
from optout_bot.settings.options import BrowserOptions
from optout_bot.ui import Ui

if TYPE_CHECKING:
    from playwright.sync_api import Page, Playwright

JSON_SCHEMA = 1

# --- Words shown to the person (all here; marked N_ for the catalogue, translated by _() when shown) -------------

NOTHING = N_(
    "Nothing to verify: no AI-training setting is recorded yet. `optout-bot run --platform linkedin` (or x) "
    "finds yours and lets you switch it off."
)
NOTHING_FOR = N_(
    "Nothing to verify for {account}: no AI-training setting of this account is recorded yet. "
    "`optout-bot run --account {account}` finds it and lets you switch it off."
)
VISITING = N_("Setting {number} of {total}: {account} ({platform})")
LOOKING = N_("Looking again at the AI-training setting on {platform}…")
SUMMARY = N_("Summary:")
STILL_OFF = N_("{account} ({platform}): still off (last seen off before: {date}).")
OFF_NOW = N_("{account} ({platform}): off (it was never seen off before).")
BACK_ON = N_("{account} ({platform}): SWITCHED BACK ON — it was off on {date}. Switch it off yourself: {command}")
STILL_ON = N_("{account} ({platform}): on — it was never seen off. Switch it off yourself: {command}")
NOT_CHECKED = N_("{account} ({platform}): not checked: {reason}")
LOGIN_NEEDS_A_WINDOW = N_(
    "{platform} asks you to log in, which needs a browser window: run `optout-bot login --account {account}`, "
    "then `optout-bot verify` again (without --headless)"
)
NO_SCREEN = N_("No screen found for a browser window: looking without one (--headless).")


# --- What to visit ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One account's setting on one platform, to look at again."""

    account: str
    platform: str
    profile: str  # the account's browser profile folder: from the settings, else the account's name
    configured: bool  # listed in the settings file (then `run --account NAME` is enough to find it)
    last_off: datetime | None  # when the ledger last saw it off, before this visit; None: never
    flow: str = OWN_FLOW  # which of the platform's settings (X: its own, Grok's; "business-partners")

    @property
    def where(self) -> str:
        """The platform, and the setting when it is not the platform's own: "X, business-partners"."""
        return in_brackets(platform_name(self.platform), self.flow)


def plan_visits(config: Config, ledger: Ledger | None, account: str | None = None) -> list[Visit]:
    """Every (account, platform) whose setting the ledger saw, by account then platform (of one account if given)."""
    if ledger is None:
        return []
    visits = []
    for state in ledger.setting_states():
        if account is not None and state.account != account:
            continue
        saved = config.account(state.account)
        configured = saved is not None and saved.platform == state.platform
        profile = saved.profile_name if saved is not None else state.account
        visits.append(Visit(state.account, state.platform, profile, configured, state.last_off, state.flow))
    return visits


def nothing_to_verify(account: str | None) -> str:
    return _(NOTHING) if account is None else _(NOTHING_FOR).format(account=account)


# --- What it saw, and what to say ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What one visit found: the setting's state, or why it could not look."""

    visit: Visit
    state: str | None  # "on", "off"; None: the visit failed
    checked_at: datetime | None = None
    status: ExitStatus = ExitStatus.SUCCESS  # the failure's exit code
    error: str | None = None  # the failure's one line

    @property
    def switched_back_on(self) -> bool:
        return self.state == SETTING_ON and self.visit.last_off is not None


def verdict(seen: Seen) -> str:
    """One line per account: still off, switched back on (and the command that fixes it), or not checked."""
    visit = seen.visit
    names = {"account": visit.account, "platform": visit.where}
    command = fix_command(visit.account, visit.platform, visit.configured, visit.flow)
    if seen.state is None:
        return _(NOT_CHECKED).format(**names, reason=seen.error or "")
    if seen.state == SETTING_OFF:
        if visit.last_off is None:
            return _(OFF_NOW).format(**names)
        return _(STILL_OFF).format(**names, date=local_date(visit.last_off))
    if visit.last_off is not None:
        return _(BACK_ON).format(**names, date=local_date(visit.last_off), command=command)
    return _(STILL_ON).format(**names, command=command)


def exit_status(results: Sequence[Seen]) -> ExitStatus:
    """8 when any setting is on (the person has something to do), else the first failure's code, else 0."""
    if any(seen.state == SETTING_ON for seen in results):
        return ExitStatus.SETTING_ON
    return next((seen.status for seen in results if seen.state is None), ExitStatus.SUCCESS)


def say_summary(results: Sequence[Seen], ui: Ui) -> None:
    """The verdicts, one line each: good news plainly, a setting on or a failure as a warning."""
    if len(results) > 1:
        ui.say(_(SUMMARY))
    for seen in results:
        line = verdict(seen)
        if seen.state == SETTING_OFF:
            ui.success(line)
        else:
            ui.warn(line)


def render_json(results: Sequence[Seen]) -> str:
    document = {
        "schema": JSON_SCHEMA,
        "exit_code": int(exit_status(results)),
        "settings": [_seen_json(seen) for seen in results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _seen_json(seen: Seen) -> dict[str, Any]:
    return {
        "account": seen.visit.account,
        "platform": seen.visit.platform,
        "flow": seen.visit.flow,
        "state": seen.state,
        "checked_at": utc_iso(seen.checked_at) if seen.checked_at else None,
        "last_seen_off": utc_iso(seen.visit.last_off) if seen.visit.last_off else None,
        "switched_back_on": seen.switched_back_on,
        "exit_code": int(seen.status),
        "error": seen.error,
    }


def planned(config: Config, account: str | None, ledger_path: Path | None = None) -> list[Visit]:
    """The visits `verify` makes; reading never creates a ledger (none: nothing to verify)."""
    with existing_ledger(ledger_path) as ledger:
        return plan_visits(config, ledger, account)


# --- Looking ------------------------------------------------------------------------------------------------------


def look_at_settings(
    pw: Playwright, visits: Sequence[Visit], options: BrowserOptions, ui: Ui, ledger_path: Path | None = None
) -> list[Seen]:
    """Each account in turn, in its own browser profile: read the setting, record the check. Never clicks it."""
    from optout_bot.walk.browser import has_display

    if not options.headless and not has_display():
        ui.say(_(NO_SCREEN))
        options = replace(options, headless=True)
    results = []
    for number, visit in enumerate(visits, start=1):
        ui.say(_(VISITING).format(number=number, total=len(visits), account=visit.account, platform=visit.where))
        try:
            try:
                state, url = _look(pw, visit, options, ui)
            finally:
                ui.close()  # the spinner stops before the next line
        except UsageError:
            raise  # bad input or a damaged ledger: the same for every account, so stop here
        except OptoutError as exc:
            ui.warn(exc.message)
            results.append(Seen(visit, None, status=exc.status, error=exc.message))
            continue
        with Ledger.open(ledger_path) as ledger:
            ledger.record_check(visit.account, visit.platform, state, url, visit.flow)
            checked_at = ledger.checks(visit.account, visit.platform, visit.flow)[-1].checked_at
        results.append(Seen(visit, state, checked_at=checked_at))
    return results


def _look(pw: Playwright, visit: Visit, options: BrowserOptions, ui: Ui) -> tuple[str, str]:
    """Walk to the setting in the account's profile and read it: ("on" or "off", the setting page's address)."""
    from optout_bot.flows import load_flow, load_vocabulary
    from optout_bot.flows.model import SettingFlow
    from optout_bot.walk.door import open_walk
    from optout_bot.walk.handover import ask_to_log_in
    from optout_bot.walk.places.setting import find_setting, read_state

    platform = platform_name(visit.platform)

    def cannot_log_in_headless(page: Page) -> None:
        raise NotSubmittedError(_(LOGIN_NEEDS_A_WINDOW).format(platform=platform, account=visit.account))

    vocabulary = load_vocabulary()
    flow = load_flow(visit.platform, vocabulary, flow=visit.flow)
    if not isinstance(flow, SettingFlow):  # the ledger says it saw a setting there: a flow changed under it
        raise UsageError(f"the flow of {visit.platform} is no longer a setting: optout-bot verify cannot check it")
    options = replace(options, profile=visit.profile)
    on_login = cannot_log_in_headless if options.headless else ask_to_log_in
    with open_walk(pw, options, flow, vocabulary, ui, opening=None, on_login_needed=on_login) as walk:
        ui.say(_(LOOKING).format(platform=platform))
        found = find_setting(walk.walker, flow, visit.platform)
        walk.walker.show_reading()
        return read_state(found.control), found.url
