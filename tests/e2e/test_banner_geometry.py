"""The banner never hides what it asks the person to check, measured from the page's own geometry.

The real `optout-bot run --cdp` against the mock site, in a browser whose window is a desktop's (1280×800) or a
phone's (390×844); the person's client reads getBoundingClientRect of the banner and of every field, the heading
and the Submit control of the form (or the switch of a setting), and what a click at each of them would reach.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright, expect

from optout_bot.mock_site import MockMeta, Scenario
from tests.e2e.cli import FAST, Home, start_cli
from tests.e2e.conftest import form_posts
from tests.e2e.person import BANNER, Person
from tests.support.chromium import launch_cdp_chromium

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}

# What the person must see of the place, as the page draws it: the form's controls, its heading, its Submit; or
# the setting's switch, its label and its heading. Only what is on screen (a field scrolled out of the window
# cannot be under a banner docked in it). A click at each of them must not land on the banner (the page's own
# fixed header may cover a field scrolled under it: that is the page's, not ours).
_WHAT_MUST_SHOW_JS = """([kind, bannerId]) => {
  const banner = document.querySelector(bannerId);
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const name = (el) => el.tagName.toLowerCase() + (el.name ? '[name=' + el.name + ']' : '') +
    (el.id ? '#' + el.id : '') + (el.getAttribute('role') ? '[role=' + el.getAttribute('role') + ']' : '');
  const lastHeadingBefore = (el) => [...document.querySelectorAll('h1, h2, h3')]
    .filter(h => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
  let elements;
  if (kind === 'form') {
    const form = [...document.querySelectorAll('form')].find(f => f.querySelector('input[type=email]'));
    const heading = lastHeadingBefore(form);
    const controls = form.querySelectorAll('input:not([type=hidden]), select, textarea, button');
    elements = [heading, ...controls];
  } else {
    const control = document.querySelector('[role=switch], input[type=checkbox]');
    const box = control.closest('div').parentElement;
    const label = control.getAttribute('aria-labelledby')
      ? document.getElementById(control.getAttribute('aria-labelledby')) : control.labels[0];
    elements = [lastHeadingBefore(control), control, label || box];
  }
  return elements.filter(shown).map(el => {
    const r = el.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const onScreen = r.bottom > 0 && r.top < innerHeight;
    const hit = onScreen ? document.elementFromPoint(x, y) : null;
    return {name: name(el), left: r.left, top: r.top, right: r.right, bottom: r.bottom, onScreen,
            clickReaches: !onScreen || hit === null || !banner.contains(hit)};
  });
}"""


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def assert_banner_hides_nothing(tab: Page, kind: str, size: tuple[int, int]) -> None:
    assert tab.evaluate("[innerWidth, innerHeight]") == list(size)  # the window the test meant
    banner = tab.evaluate(f"(() => {{ const r = document.querySelector('{BANNER}').getBoundingClientRect(); "
                          "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })()")  # fmt: skip
    assert banner["right"] - banner["left"] > 0 and banner["bottom"] - banner["top"] > 0, "the banner is not drawn"
    parts = tab.evaluate(_WHAT_MUST_SHOW_JS, [kind, BANNER])
    assert len(parts) >= 3
    hidden = [part["name"] for part in parts if overlaps(part, banner)]
    assert hidden == [], f"the banner {banner} covers {hidden}"
    swallowed = [part["name"] for part in parts if not part["clickReaches"]]
    assert swallowed == [], f"a click at {swallowed} would go to the banner"


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return SIZES[request.param]


@pytest.fixture
def sized_cdp(site: MockMeta, tmp_path: Path) -> Iterator[str]:
    """The person's own browser: its debugging address for the tool's --cdp."""
    browser = launch_cdp_chromium(tmp_path / "person-profile", site.chromium_args())
    try:
        yield browser.url
    finally:
        browser.stop()


@pytest.fixture
def sized_person(playwright: Playwright, sized_cdp: str, size: tuple[int, int]) -> Iterator[Person]:
    """The person at that browser. Headless Chromium has no window narrower than 500 pixels, so the size is given
    to each tab the tool opens as soon as it opens, long before the walk reaches the form."""
    client = playwright.chromium.connect_over_cdp(sized_cdp, no_defaults=True)
    width, height = size
    client.contexts[0].on("page", lambda tab: tab.set_viewport_size({"width": width, "height": height}))
    yield Person(client)
    client.close()


def end(tool: subprocess.Popen[str]) -> None:
    """The person walked away: the tool is stopped (nothing was sent, which the test checked)."""
    tool.kill()
    tool.communicate()


FORMS = {
    "objection": ("--platform", "facebook", "--country", "FR"),
    "third-party": ("--platform", "facebook", "--flow", "third-party", "--name", "Jane Doe", "--country", "BE"),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("form", list(FORMS))
def test_the_banner_covers_no_field_heading_or_submit_of_the_form(
    form: str,
    lang: str,
    size: tuple[int, int],
    site: MockMeta,
    home: Home,
    sized_cdp: str,
    sized_person: Person,
    tmp_path: Path,
) -> None:
    site.reset(Scenario(lang=lang))
    tool = start_cli(home, "--lang", lang, "run", *FORMS[form], "--cdp", sized_cdp, *FAST)
    try:
        tab = sized_person.tool_tab(tool, banner_text="optout-bot")
        expect(tab.locator("form button[type=submit]").filter(visible=True).first).to_have_css("outline-style", "solid")
        assert_banner_hides_nothing(tab, "form", size)
        assert form_posts(site) == []
    finally:
        end(tool)


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_the_banner_covers_no_setting_switch(
    platform: str, size: tuple[int, int], site: MockMeta, home: Home, sized_cdp: str, sized_person: Person
) -> None:
    tool = start_cli(home, "run", "--platform", platform, "--cdp", sized_cdp, *FAST)
    try:
        tab = sized_person.tool_tab(tool, banner_text="optout-bot")
        expect(tab.locator("[role=switch], input[type=checkbox]").first).to_have_css("outline-style", "solid")
        assert_banner_hides_nothing(tab, "setting", size)
        assert form_posts(site) == [] and site.setting(platform) is True
    finally:
        end(tool)


def test_folding_the_banner_touches_nothing_of_the_form(
    site: MockMeta, home: Home, sized_cdp: str, sized_person: Person
) -> None:
    tool = start_cli(home, "run", *FORMS["objection"], "--cdp", sized_cdp, *FAST)
    try:
        tab = sized_person.tool_tab(tool, banner_text="optout-bot")
        values = tab.locator("form").evaluate("f => [...new FormData(f).entries()].map(String)")
        fold = tab.locator(BANNER).get_by_role("button", name="Hide")
        fold.click()  # the person's own click on the banner's only control

        expect(tab.locator(f"{BANNER} [aria-expanded=false]")).to_have_text("Show")
        assert tab.locator(f"{BANNER}-body").is_hidden()
        assert tab.locator("form").evaluate("f => [...new FormData(f).entries()].map(String)") == values
        assert form_posts(site) == [] and tool.poll() is None  # nothing sent; the tool still waits for the person
        tab.locator(BANNER).get_by_role("button", name="Show").click()
        expect(tab.locator(f"{BANNER}-body")).to_be_visible()
    finally:
        end(tool)
