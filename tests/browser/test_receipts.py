"""A receipt proves one thing: the page as the platform shows it after the person's act, stamped with when and
where. The tool's banner and outlines are gone from the picture; the stamp is in it, and gone after it; a demo's
receipt goes to the demo's home."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route

from optout_bot import paths
from optout_bot.settings.options import RunOptions
from optout_bot.settings.values import FormValues
from optout_bot.ui import Ui
from optout_bot.walk import receipts
from optout_bot.walk.banner import BANNER_ID, STAMP_ID
from optout_bot.walk.places.setting import show_setting_banner
from tests.e2e.cli import Home

SETTING_PAGE = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement?trk=abc"
SETTING_HTML = """<!DOCTYPE html><html><body><h2>Data for Generative AI Improvement</h2>
<span id="l">Use my data for training content creation AI models</span>
<button type="button" role="switch" aria-checked="true" aria-labelledby="l">On</button></body></html>"""

# What the page holds at the moment the picture is taken.
_SEEN_JS = """([banner, stamp]) => ({
  banner: !!document.getElementById(banner),
  stamp: document.getElementById(stamp)?.innerText ?? '',
  outlined: document.querySelectorAll('[data-optout-bot-mark]').length,
  switchStyle: document.querySelector('[role=switch]').getAttribute('style'),
  switchState: document.querySelector('[role=switch]').getAttribute('aria-checked'),
})"""


@pytest.fixture
def setting_tab(page: Page) -> Page:
    page.route("https://www.linkedin.com/**", lambda route: _serve(route))
    page.goto(SETTING_PAGE)
    return page


def _serve(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body=SETTING_HTML)


def _options(demo: bool = False) -> RunOptions:
    from optout_bot.settings.options import BrowserOptions

    browser = BrowserOptions(demo_page_lang="en" if demo else None)
    return RunOptions(platform="linkedin", values=FormValues(), browser=browser)


def _watch_pictures(monkeypatch: pytest.MonkeyPatch, page: Page) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    real = receipts.screenshot

    def looking(*args: Any, **kwargs: Any) -> Path:
        seen.append(page.evaluate(_SEEN_JS, [BANNER_ID, STAMP_ID]))
        return real(*args, **kwargs)

    monkeypatch.setattr(receipts, "screenshot", looking)
    return seen


def test_a_settings_receipt_shows_the_switch_after_without_banner_and_with_a_stamp(
    setting_tab: Page, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch = setting_tab.get_by_role("switch")
    show_setting_banner(switch, "LinkedIn", "Use my data for training content creation AI models")
    assert setting_tab.locator(f"#{BANNER_ID}").is_visible() and switch.get_attribute("data-optout-bot-mark")
    switch.evaluate("el => el.setAttribute('aria-checked', 'false')")  # the person switched it off
    seen = _watch_pictures(monkeypatch, setting_tab)

    path = receipts.save_receipt(setting_tab, _options(), Ui(), "setting-off", "Receipt: {path}")

    (picture,) = seen
    assert picture["banner"] is False and picture["outlined"] == 0  # the banner's "is on" is not in the picture
    assert picture["switchStyle"] is None  # the switch's own style, as the page drew it
    assert picture["switchState"] == "false"
    assert "optout-bot" in picture["stamp"] and "UTC" in picture["stamp"]
    assert "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement" in picture["stamp"]
    assert "trk=" not in picture["stamp"]  # an address's query can carry tokens
    assert setting_tab.locator(f"#{STAMP_ID}").count() == 0  # removed after the picture
    assert path is not None and path.parent == home.data / "receipts"


def test_a_demos_receipt_goes_to_the_demo_home(setting_tab: Page, home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    with paths.demo_home():
        path = receipts.save_receipt(setting_tab, _options(demo=True), Ui(), "confirmation", "Receipt: {path}")

    assert path is not None and path.parent == home.data / "demo" / "receipts"
    assert not (home.data / "receipts").exists()
