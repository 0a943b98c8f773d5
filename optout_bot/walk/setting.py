"""Settings the person switches off themselves (LinkedIn's, X's): read, report, point at, watch.

These sites save a switch the moment it is clicked, so clicking it would be the person's decision taken
for them: the tool reads the switch's state (its checked or aria-checked state, as assistive technology
reads it), outlines it with a banner saying what to do, and waits — hands off — for it to show "off".
"""

from __future__ import annotations

import enum

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, expect

from optout_bot.errors import NotRecognisedError
from optout_bot.i18n import N_, _
from optout_bot.platforms import platform_name
from optout_bot.walk.diagnostics import save_diagnostic
from optout_bot.walk.handover import highlight, show_banner
from optout_bot.walk.walker import FormNotFound, FoundSetting, Walker

ON, OFF = "on", "off"  # "on": the platform uses the person's data for AI training (flows/model.SettingSpec)


NOT_RECOGNISED = N_(
    "optout-bot did not recognise {platform}'s pages (they may have changed); nothing was changed. "
    "A diagnostic without your personal data is in {folder} — please attach it to a report."
)


def find_setting(walker: Walker, platform: str) -> FoundSetting:
    """The walk to the platform's setting (`run` and `verify`); pages not recognised: a diagnostic, exit 5."""
    try:
        return walker.find_setting()
    except FormNotFound as missing:
        folder = save_diagnostic(walker.page, platform, missing.trail, None)
        raise NotRecognisedError(_(NOT_RECOGNISED).format(platform=platform_name(platform), folder=folder)) from None


def read_state(control: Locator) -> str:
    return ON if control.is_checked() else OFF


def present_setting(control: Locator, platform: str, setting: str) -> None:
    """Bring the tab to the front, say what to do, and outline the switch (which we never click)."""
    control.page.bring_to_front()
    show_banner(
        control.page,
        _("optout-bot: on {platform}, “{setting}” is on. Switch it off yourself.").format(
            platform=platform, setting=setting
        ),
        [
            _("While it is on, {platform} may use your data to train its AI models.").format(platform=platform),
            _("The switch is outlined in orange. optout-bot does not click it for you: click it yourself."),
            _("optout-bot notices by itself when it shows “off”, and keeps a screenshot as your receipt."),
        ],
    )
    highlight(control)


class Watch(enum.Enum):
    SWITCHED_OFF = "switched off"
    CLOSED = "closed"
    TIMED_OUT = "timed out"


def await_switched_off(control: Locator, timeout_s: float) -> Watch:
    """Wait, without touching the page, until the switch shows "off", the tab closes, or time runs out."""
    try:
        expect(control).not_to_be_checked(timeout=timeout_s * 1000)
    except AssertionError:
        return Watch.TIMED_OUT
    except PlaywrightError:
        if control.page.is_closed():
            return Watch.CLOSED
        raise
    return Watch.SWITCHED_OFF


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
