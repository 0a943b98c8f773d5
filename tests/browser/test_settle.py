"""When a page has settled (optout_bot/walk/settle.py), and what the walk does with it (engine.Walker._await).

The page marks itself once it has loaded and its DOM has been quiet for a moment; the walk waits for its targets
or that mark in one wait. These tests pin down both sides: the mark comes and goes when it should (a change, a
click, a navigation leaving the page), a control drawn late is still found, and a page that has settled without
the control is decided on at once — not after a look of a fixed length (LOOK_MS is made huge to show it).
Pages are served in-process with `context.route`, as in tests/test_engine.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route

from optout_bot.flows import Flow, Vocabulary, load_flow
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui
from optout_bot.walk import walker as engine
from optout_bot.walk.settle import SETTLED_ATTRIBUTE, Settling
from optout_bot.walk.walker import FormNotFound, Walker
from tests.support.chromium import QUIET_ARGS, system_chromium

Serve = Callable[[dict[str, str]], Page]
HOME = "https://www.instagram.com/"
FORM_ADDRESS = "https://help.instagram.com/contact/767264225370182"
MORE = '<div role="button">More</div>'


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=system_chromium(), args=QUIET_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def serve(browser: Browser) -> Iterator[Serve]:
    """Open a page on which each address in `pages` answers with its HTML; everything else is a 404."""
    contexts = []

    def open_site(pages: dict[str, str]) -> Page:
        context = browser.new_context()
        contexts.append(context)

        def answer(route: Route) -> None:
            body = pages.get(route.request.url)
            route.fulfill(status=200 if body else 404, content_type="text/html", body=body or "not found")

        context.route("**/*", answer)
        return context.new_page()

    yield open_site
    for context in contexts:
        context.close()


def walker(page: Page, flow: Flow, vocabulary: Vocabulary, step: float = 15) -> Walker:
    return Walker(page, flow, vocabulary, Ui(interactive=False), Timeouts(step=step, login=2, user=2))


def one_route_flow(vocabulary: Vocabulary, route_id: str) -> Flow:
    flow = load_flow("instagram", vocabulary)
    return flow.model_copy(update={"routes": [r for r in flow.routes if r.id == route_id]})


def has_mark(page: Page) -> bool:
    return bool(page.evaluate(f"document.documentElement.hasAttribute('{SETTLED_ATTRIBUTE}')"))


# --- the mark ----------------------------------------------------------------------------------------------


def test_a_settled_page_is_marked_and_any_change_takes_the_mark_away(serve: Serve) -> None:
    page = serve({HOME: "<p>Home</p>"})
    settling = Settling(page)
    page.goto(HOME)
    settling.marked.wait_for(state="attached", timeout=10_000)
    assert settling.settled()
    # The observer runs before the next microtask: the mark is gone by then, and comes back once quiet again.
    changed = "async () => { document.body.append('news'); await Promise.resolve(); return document.documentElement"
    assert page.evaluate(f"{changed}.hasAttribute('{SETTLED_ATTRIBUTE}') }}") is False
    settling.marked.wait_for(state="attached", timeout=10_000)


def test_a_click_or_a_navigation_leaving_the_page_takes_the_mark_away(serve: Serve) -> None:
    page = serve({HOME: '<button id="b">More</button>', "https://www.instagram.com/next/": "<p>Next</p>"})
    settling = Settling(page)
    page.goto(HOME)
    settling.marked.wait_for(state="attached", timeout=10_000)
    page.click("#b")  # draws nothing: the page may still answer it with data it fetches first
    assert not has_mark(page)
    settling.marked.wait_for(state="attached", timeout=10_000)
    # The old page never passes for settled while the next one loads (the mark is taken as the navigation starts).
    leaving = "() => { location.href = '/next/'; return document.documentElement.hasAttribute(attribute) }"
    assert page.evaluate(leaving.replace("attribute", repr(SETTLED_ATTRIBUTE))) is False
    page.wait_for_url("**/next/")


# --- the walk ----------------------------------------------------------------------------------------------


def test_a_control_drawn_after_the_load_or_late_after_a_click_is_still_found(
    serve: Serve, vocabulary: Vocabulary
) -> None:
    # "More" appears 300 ms after the load; the menu's "Settings" 600 ms after the click, with no change meanwhile.
    home = """<div id="nav"></div><script>
      addEventListener('load', () => setTimeout(() => {
        const more = document.createElement('div');
        more.setAttribute('role', 'button');
        more.textContent = 'More';
        more.onclick = () => setTimeout(() => {
          document.getElementById('nav').innerHTML = '<a href="/accounts/edit/">Settings</a>';
        }, 600);
        document.getElementById('nav').append(more);
      }, 300));
    </script>"""
    page = serve({HOME: home, "https://www.instagram.com/accounts/edit/": "<p>Settings</p>"})
    flow = one_route_flow(vocabulary, "settings-privacy-center")
    with pytest.raises(FormNotFound) as missing:
        walker(page, flow, vocabulary).find_form()
    steps = [(entry.step, entry.outcome) for entry in missing.value.trail if entry.route == "settings-privacy-center"]
    assert ('click button "more_menu"', "ok") in steps
    assert ('click link "settings"', "ok") in steps  # then "privacy_center" is missing on the settings page


def test_a_settled_page_without_the_control_is_decided_on_at_once(
    serve: Serve, vocabulary: Vocabulary, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Were the walk to wait out a look of fixed length before asking whether the page has settled, each page would
    # cost a minute here: the page's own mark ends the wait.
    monkeypatch.setattr(engine, "LOOK_MS", 60_000)
    page = serve({HOME: "<p>Meta moved everything</p>"})
    flow = one_route_flow(vocabulary, "settings-privacy-center")
    started = time.monotonic()
    with pytest.raises(FormNotFound) as missing:
        walker(page, flow, vocabulary, step=120).find_form()
    assert time.monotonic() - started < 30
    assert "once the page had settled" in missing.value.trail[1].outcome


def test_the_place_is_recognised_by_meaning_when_its_fields_appear_on_a_page_that_never_settles(
    serve: Serve, vocabulary: Vocabulary
) -> None:
    # A reworded title (no known heading phrase), and a clock that changes the DOM every 100 ms: never settled.
    form = """<h2>Object to Meta processing your information</h2><p id="clock"></p>
      <form method="post"><label>Email address <input type="email" name="email"></label>
      <button type="submit">Submit</button></form>
      <script>setInterval(() => { document.getElementById('clock').textContent = Date.now(); }, 100);</script>"""
    page = serve({FORM_ADDRESS: form})
    found = walker(page, one_route_flow(vocabulary, "form-address-2025"), vocabulary, step=5).find_form()
    assert found.route == "form-address-2025"
    assert found.url == FORM_ADDRESS
