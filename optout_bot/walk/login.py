"""`optout-bot login --account NAME`: open that account's own browser profile for the person to log in once.

The profile keeps Meta's session, so later runs find the person logged in — and Meta does not treat each
run as a new device asking for approval (meta-objection-facts.md, "Scope and obstacles"). The person types
their password in Meta's page; the tool only opens the page and watches for what a logged-in person sees.
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from optout_bot.errors import BrowserProblemError, ExitStatus, NotSubmittedError, UsageError
from optout_bot.flows import load_flow, load_vocabulary
from optout_bot.i18n import _
from optout_bot.paths import profile_dir
from optout_bot.platforms import platform_name
from optout_bot.settings.accounts import ChosenAccount
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui, duration
from optout_bot.walk.browser import SessionRequest, find_browser, has_display, open_session
from optout_bot.walk.handover import ask_to_log_in
from optout_bot.walk.walker import Walker


def log_in(
    account: ChosenAccount,
    timeouts: Timeouts,
    channel: str | None = None,
    executable_path: str | None = None,
    browser_args: tuple[str, ...] = (),
    ui: Ui | None = None,
) -> ExitStatus:
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
    request = SessionRequest(headless=False, profile_dir=profile_dir(account.profile), extra_args=list(browser_args))
    with sync_playwright() as pw:
        choice = find_browser(pw, channel=channel, executable_path=executable_path)
        request.channel, request.executable_path = choice.channel, choice.executable_path
        ui.say(
            _("Opening {browser} with the browser profile '{profile}'…").format(
                browser=choice.description, profile=account.profile
            )
        )
        with ui, open_session(pw, request) as session:
            walker = Walker(session.page, flow, vocabulary, ui, timeouts, on_login_needed=ask_to_log_in)
            platform = platform_name(account.platform)
            if not walker.await_signed_in():
                raise NotSubmittedError(
                    _(
                        "optout-bot could not see that you are logged in to {platform} after {duration}. "
                        "Run `optout-bot login --account {account}` again when you are ready (or raise "
                        "--login-timeout)."
                    ).format(platform=platform, duration=duration(timeouts.login), account=account.name)
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
