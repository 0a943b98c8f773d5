"""docs/guide.html in a real browser: every link on the platform's own domains or in the page, no request to
any network, and a language switch that works offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route

from optout_bot.domains import is_site_url
from optout_bot.flows.guide import GUIDE_LANGUAGES
from optout_bot.platforms import site_of
from tests.support.chromium import QUIET_ARGS, system_chromium

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.html"


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=system_chromium(), args=QUIET_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def opened(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """The page opened from its file, and every request it made to anything but itself and its data: pictures
    (each such request is refused, so an external asset would also show as broken)."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1000, "height": 900})
    requests: list[str] = []

    def refuse(route: Route) -> None:
        url = route.request.url
        if url.startswith(GUIDE.as_uri()) or url.startswith("data:"):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.goto(GUIDE.as_uri())
    yield page, requests
    context.close()


def visible_links(page: Page) -> list[tuple[str, str | None]]:
    """(href, platform of the part it is in) for each link on screen."""
    found: list[tuple[str, str | None]] = page.eval_on_selector_all(
        "a[href]",
        """links => links.filter(a => a.offsetParent !== null).map(a =>
               [a.getAttribute('href'), a.closest('article') ? a.closest('article').dataset.platform : null])""",
    )
    return found


@pytest.mark.parametrize("lang", GUIDE_LANGUAGES)
def test_every_link_stays_on_the_platforms_domains_or_in_the_page(opened: tuple[Page, list[str]], lang: str) -> None:
    page, requests = opened
    page.locator(f'.languages a[href="#{lang}"]').click()
    assert page.locator(f"section#{lang}").is_visible()
    for other in set(GUIDE_LANGUAGES) - {lang}:
        assert not page.locator(f"section#{other}").is_visible()
    links = visible_links(page)
    assert len(links) == page.locator(f"section#{lang} a[href], .languages a[href]").count() > 20
    for href, platform in links:
        if href.startswith("#"):
            assert page.locator(f"[id='{href[1:]}']").count() == 1, f"{href}: no such place in the page"
        else:
            assert platform is not None, f"{href}: an address outside any platform's part"
            assert is_site_url(href, site_of(platform)), f"{href} is not on {platform}'s domains"
    # The pictures of the part on screen are drawn: they are in the file itself.
    pictures = page.locator(f"section#{lang} img")
    assert pictures.count() == 16 // len(GUIDE_LANGUAGES)
    for index in range(pictures.count()):
        assert pictures.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
    assert requests == []


def test_a_french_browser_opens_the_french_part(browser: Browser) -> None:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(GUIDE.as_uri())
    page.locator("section#fr h1").wait_for(state="visible")
    assert not page.locator("section#en").is_visible()
    page.locator('section#fr nav a[href="#fr-linkedin"]').click()  # a place inside the part keeps its language
    assert page.locator("#fr-linkedin").is_visible() and not page.locator("section#en").is_visible()
    context.close()
