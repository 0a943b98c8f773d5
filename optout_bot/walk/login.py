"""`optout-bot login --account NAME`: open that account's own browser profile for the person to log in once.

The profile keeps Meta's session, so later runs find the person logged in — and Meta does not treat each
run as a new device asking for approval (meta-objection-facts.md, "Scope and obstacles"). The person types
their password in Meta's page; the tool only opens the page and watches for what a logged-in person sees.
"""

from __future__ import annotations

from dataclasses import replace

from playwright.sync_api import Playwright

from optout_bot.errors import BrowserProblemError, ExitStatus, NotSubmittedError, UsageError
from optout_bot.flows import load_flow, load_vocabulary
from optout_bot.i18n import N_, _
from optout_bot.platforms import platform_name
from optout_bot.settings.accounts import ChosenAccount
from optout_bot.settings.options import BrowserOptions
from optout_bot.ui import Ui, duration
from optout_bot.walk.browser import has_display
from optout_bot.walk.door import open_walk

OPENING_PROFILE = N_("Opening {browser} with the browser profile '{profile}'…")


def log_in(pw: Playwright, account: ChosenAccount, options: BrowserOptions, ui: Ui | None = None) -> ExitStatus:
    """The account's own profile, open at the platform's login page until the person is seen logged in.

    `pw`: Playwright's driver, started by the caller (optout_bot.walk.driver); `options.profile` is replaced by
    the account's.
    """
    ui = ui or Ui()
    vocabulary = load_vocabulary()
    flow = load_flow(account.platform, vocabulary)
    if flow.login is None:
        raise UsageError(
            _("{platform}'s form needs no login: run `optout-bot run --account {account}` directly").format(
                platform=platform_name(account.platform), account=account.name
            )
        )
    if not has_display():
        raise BrowserProblemError(
            _(
                "logging in needs a browser window, and no screen was found: run `optout-bot login` on the computer "
                "you sit at (not over SSH), or log in with your own Chrome and use `optout-bot run --cdp`"
            )
        )
    options = replace(options, profile=account.profile, headless=False)
    with open_walk(pw, options, flow, vocabulary, ui, opening=OPENING_PROFILE) as walk:
        walker = walk.walker
        platform = platform_name(account.platform)
        if not walker.await_signed_in():
            raise NotSubmittedError(
                _(
                    "optout-bot could not see that you are logged in to {platform} after {duration}. "
                    "Run `optout-bot login --account {account}` again when you are ready (or raise "
                    "--login-timeout)."
                ).format(platform=platform, duration=duration(options.timeouts.login), account=account.name)
            )
        if walker.interruptions.logins:
            done = _(
                "You are logged in to {platform} in the profile '{profile}'. It stays logged in for your next "
                "runs: optout-bot run --account {account}"
            )
        else:
            done = _(
                "You were already logged in to {platform} in the profile '{profile}'. It stays logged in for your "
                "next runs: optout-bot run --account {account}"
            )
        ui.success(done.format(platform=platform, profile=account.profile, account=account.name))
    return ExitStatus.SUCCESS
