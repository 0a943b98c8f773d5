"""Shared by the end-to-end tests: the mock site, the person's machine, their browser and the person."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright

from optout_bot.mock_site import MockMeta
from tests.e2e.cli import Home
from tests.e2e.person import Person
from tests.support.chromium import launch_cdp_chromium

# Done by the person, by hand: logging in, approving a login, typing a login code.
_PERSONS_OWN_POSTS = ("login", "checkpoint", "two_factor")


@pytest.fixture
def site() -> Iterator[MockMeta]:
    with MockMeta() as server:
        yield server


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


@pytest.fixture
def cdp(tmp_path: Path, site: MockMeta) -> Iterator[str]:
    """The person's own running browser, started with a debugging port, reaching Meta's names on the mock."""
    browser = launch_cdp_chromium(tmp_path / "person-profile", site.chromium_args())
    try:
        yield browser.url
    finally:
        browser.stop()


@pytest.fixture
def person(playwright: Playwright, cdp: str) -> Iterator[Person]:
    browser = playwright.chromium.connect_over_cdp(cdp)
    if not browser.contexts[0].pages:
        browser.contexts[0].new_page()
    yield Person(browser)
    browser.close()


def form_posts(site: MockMeta) -> list[str]:
    """Every POST the server saw other than the person's own logging in."""
    return [f"{r.host}{r.path}" for r in site.posts() if not any(p in r.path for p in _PERSONS_OWN_POSTS)]


def submit_as_person(page: Page, site: MockMeta) -> None:
    """The person's click. Before it, the server must not have received a single form POST."""
    assert form_posts(site) == [], "a form was posted before the person clicked Submit"
    page.locator("form button[type=submit]").filter(visible=True).first.click()
