"""What the end-to-end tests check the mock site with (their fixtures are in tests/conftest.py: `site`, `home`,
`cdp`, `person`)."""

from __future__ import annotations

from playwright.sync_api import Page

from optout_bot.mock_site import MockMeta

# Done by the person, by hand: logging in, approving a login, typing a login code.
_PERSONS_OWN_POSTS = ("login", "checkpoint", "two_factor")


def form_posts(site: MockMeta) -> list[str]:
    """Every POST the server saw other than the person's own logging in."""
    return [f"{r.host}{r.path}" for r in site.posts() if not any(p in r.path for p in _PERSONS_OWN_POSTS)]


def submit_as_person(page: Page, site: MockMeta) -> None:
    """The person's click. Before it, the server must not have received a single form POST."""
    assert form_posts(site) == [], "a form was posted before the person clicked Submit"
    page.locator("form button[type=submit]").filter(visible=True).first.click()
