"""Settings the person switches off themselves (LinkedIn's, X's): read, report, point at, watch.

These sites save a switch the moment it is clicked, so clicking it would be the person's decision taken
for them: the tool reads the switch's state (its checked or aria-checked state, as assistive technology
reads it), outlines it with a banner saying what to do, and waits — hands off — for it to show "off".
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, expect

from optout_bot import progress
from optout_bot.errors import ExitStatus, NotRecognisedError, NotSubmittedError
from optout_bot.flows.model import Route, SettingFlow
from optout_bot.i18n import N_, _
from optout_bot.platforms import platform_name
from optout_bot.records.recording import RunReport
from optout_bot.settings.options import RunOptions
from optout_bot.ui import Ui, duration
from optout_bot.walk.banner import point_at, show_banner
from optout_bot.walk.diagnostics import save_diagnostic
from optout_bot.walk.door import WalkContext
from optout_bot.walk.places import say_fallback, say_what_is_sought
from optout_bot.walk.receipts import save_receipt, screenshot
from optout_bot.walk.submitted import account_shown
from optout_bot.walk.walker import FormNotFound, FoundSetting, Walker

ON, OFF = "on", "off"  # "on": the platform uses the person's data for AI training (flows/model.SettingSpec)


NOT_RECOGNISED = N_(
    "optout-bot did not recognise {platform}'s pages (they may have changed); nothing was changed. "
    "A diagnostic without your personal data is in {folder} — please attach it to a report."
)


def find_setting(walker: Walker, flow: SettingFlow, platform: str) -> FoundSetting:
    """The walk to the platform's setting (`run` and `verify`); pages not recognised: a diagnostic, exit 5."""
    try:
        return walker.find_setting(flow.setting)
    except FormNotFound as missing:
        folder = save_diagnostic(walker.page, platform, missing.trail, None, flow=flow)
        raise NotRecognisedError(_(NOT_RECOGNISED).format(platform=platform_name(platform), folder=folder)) from None


def read_state(control: Locator) -> str:
    return ON if control.is_checked() else OFF


def present_setting(control: Locator, platform: str, setting: str) -> None:
    """Bring the tab to the front, say what to do, and outline the switch (which we never click)."""
    control.page.bring_to_front()
    show_setting_banner(control, platform, setting)


def show_setting_banner(control: Locator, platform: str, setting: str) -> None:
    """The banner and the switch's outline (a dry run's picture shows them too)."""
    show_banner(
        control.page,
        _("optout-bot: on {platform}, “{setting}” is on. Switch it off yourself.").format(
            platform=platform, setting=setting
        ),
        [
            _("While it is on, {platform} may use your data to train its AI models.").format(platform=platform),
            _("You click the switch, outlined in orange. optout-bot never does, and notices when it shows “off”."),
        ],
    )
    point_at(control)


class Watch(enum.Enum):
    SWITCHED_OFF = "switched off"
    CLOSED = "closed"
    TIMED_OUT = "timed out"


def await_switched_off(control: Locator, timeout_s: float, clock: Callable[[float], None] | None = None) -> Watch:
    """Wait, without touching the page, until the switch shows "off", the tab closes, or time runs out.

    The wait is cut into looks of a second at most so that `clock` (the terminal's, Ui.countdown) is told the
    time waited; each look is Playwright's own wait on the switch's state, so "off" is seen as soon as it shows.
    """
    started = time.monotonic()
    while True:
        left = timeout_s - (time.monotonic() - started)
        if left <= 0:
            return Watch.TIMED_OUT
        try:
            expect(control).not_to_be_checked(timeout=min(left, _LOOK_S) * 1000)
        except AssertionError:
            if clock is not None:
                clock(time.monotonic() - started)
            continue
        except PlaywrightError:
            if control.page.is_closed():
                return Watch.CLOSED
            raise
        return Watch.SWITCHED_OFF


_LOOK_S = 1.0  # how often the clock moves while the switch is still on


def setting_label(control: Locator) -> str:
    """The switch's label as the page shows it, to name it to the person in their terminal."""
    try:
        text = control.evaluate(
            "el => (el.labels && el.labels[0] ? el.labels[0].innerText : el.getAttribute('aria-label') "
            "|| (el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby')) "
            "? document.getElementById(el.getAttribute('aria-labelledby')).innerText : el.innerText))"
        )
    except PlaywrightError:
        return ""
    return " ".join(str(text).split())


CLOSED_MID_WALK = N_(
    "the browser window or optout-bot's tab was closed before the setting was found: nothing was "
    "switched. Run optout-bot again when you are ready."
)
_LOOKING_FOR = N_("Looking for the AI-training setting on {platform}…")  # unless the flow file says (looking_for)
_SETTING_RECEIPT = N_("Receipt (a screenshot of the setting): {path}")


class SettingPlace:
    """The setting's side of the walk (walk/places/__init__.py: Place)."""

    closed_mid_walk = CLOSED_MID_WALK

    def __init__(self, flow: SettingFlow) -> None:
        self.flow = flow

    def summed_up(self, options: RunOptions) -> str:
        return _("the setting is off")

    def reach(self, walker: Walker, routes: list[Route]) -> str:
        return walker.find_setting(self.flow.setting, routes=routes).route

    def walk(self, walk: WalkContext, options: RunOptions, report: RunReport) -> ExitStatus:
        return _setting_walk(walk.walker, self.flow, options, walk.ui, report)

    def after_success(self, options: RunOptions, ui: Ui) -> None:
        """Said within the walk already (`verify` checks the setting again later)."""


def _setting_walk(walker: Walker, flow: SettingFlow, options: RunOptions, ui: Ui, report: RunReport) -> ExitStatus:
    """A setting (LinkedIn's, X's): find it, read it, and if it is on, let the person switch it off."""
    platform = platform_name(options.platform)
    say_what_is_sought(flow, ui, _LOOKING_FOR)
    try:
        found = find_setting(walker, flow, options.platform)
    except NotRecognisedError:
        if walker.page.is_closed():  # every route failed because the person closed the tab
            raise NotSubmittedError(_(CLOSED_MID_WALK)) from None
        raise
    say_fallback(flow, found.route, ui)
    report.form_url, report.route = found.url, found.route
    walker.show_reading()
    label = setting_label(found.control)  # one question to the page: the terminal and the ledger both use it
    name = label or _("the AI-training setting")
    report.setting_label, report.account_shown = label or None, account_shown(walker.page)
    report.setting_before = read_state(found.control)
    if report.setting_before == OFF:
        report.setting_after = OFF
        report.record_outcome(ExitStatus.SUCCESS)  # in the ledger before the receipt, which may fail
        ui.success(
            _("“{setting}” is already off on {platform}: nothing to do.").format(setting=name, platform=platform)
        )
        report.receipt = save_receipt(walker.page, options, ui, "setting-off", _SETTING_RECEIPT, receipts_folder=False)
        return ExitStatus.SUCCESS
    ui.warn(
        _("“{setting}” is on: {platform} may use your data to train its AI.").format(setting=name, platform=platform)
    )
    if options.dry_run:
        show_setting_banner(found.control, platform, name)  # what the person would see, in the picture
        report.receipt = screenshot(walker.page, options, "screenshots", "setting", ui)
        ui.success(
            _("Dry run: the setting is on and was left as it is. Screenshot: {path}").format(path=report.receipt)
        )
        return ExitStatus.SUCCESS
    progress.reach(progress.Stage.HANDED_OVER, progress.Kind.SETTING)  # from here on, the switch is the person's
    present_setting(found.control, platform, name)
    ui.say(_("Please switch it off yourself in the browser — optout-bot will not."))
    timeout = options.browser.timeouts.user
    with ui.countdown(_("Waiting for the switch to show “off”…"), timeout) as clock:  # the clock says how long
        watched = await_switched_off(found.control, timeout, clock)
    if watched is Watch.CLOSED:
        raise NotSubmittedError(
            _(
                "the tab was closed before optout-bot saw the setting off. Run optout-bot again to check it "
                "(and to switch it off if it is still on)."
            )
        )
    if watched is Watch.TIMED_OUT:
        report.setting_after = read_state(found.control)
        raise NotSubmittedError(
            _(
                "the setting was still on after {duration}. Run optout-bot again when you have time "
                "(or raise --user-timeout)."
            ).format(duration=duration(timeout))
        )
    report.setting_after = OFF
    report.record_outcome(ExitStatus.SUCCESS)  # in the ledger before the receipt, which may fail
    progress.reach(progress.Stage.CONFIRMED)
    ui.success(_("“{setting}” is now off on {platform}.").format(setting=name, platform=platform))
    report.receipt = save_receipt(walker.page, options, ui, "setting-off", _SETTING_RECEIPT, receipts_folder=False)
    ui.say(_("Platforms have switched such settings back on before: `optout-bot verify` checks them again later."))
    return ExitStatus.SUCCESS
