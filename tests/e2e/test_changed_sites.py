"""Sites the flows have never seen: the walk decides per page and still reaches the pre-filled form, or gives up
in seconds (issue 15, part 1).

The mock site scrambles Meta's pages (Scenario.scrambled: renamed and reordered menus among decoys, Settings in
Instagram's navigation, the AI topic moved to the Privacy Policy, the known form addresses dead, conjugated
titles, 2025's link wording). The flows' routes no longer lead to the form; the walker's exploration must, by
the meaning of the page's links, without ever clicking a decoy or posting anything before the person's click.
"""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from optout_bot.flows import Flow, Vocabulary, load_flow
from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui
from optout_bot.walk.explore import EXPLORED_ROUTE
from optout_bot.walk.walker import Walker
from tests.e2e.cli import FAST, Home, run_cli
from tests.e2e.conftest import form_posts

DECOYS = ("account_ownership_and_control", "download", "delete")


@pytest.fixture
def browser_tab(mock_browser: Browser) -> Iterator[Page]:
    context = mock_browser.new_context(ignore_https_errors=True)
    try:
        yield context.new_page()
    finally:
        context.close()


# The person's click paths from the home page, which the scramble breaks (no "More" menu on Instagram; Facebook's
# renamed "Settings & privacy" in French and Polish): with these routes alone, the walk must find the way by
# exploring, not by a later route that happens to survive the scramble (the Privacy Policy's).
CLICK_PATHS = ("settings-privacy-center", "settings-privacy-policy")
EXPLORED = [("instagram", "en"), ("instagram", "fr"), ("instagram", "de"), ("instagram", "pl"),
            ("facebook", "fr"), ("facebook", "pl")]  # fmt: skip


def click_paths_only(flow: Flow) -> Flow:
    return flow.model_copy(update={"routes": [route for route in flow.routes if route.id in CLICK_PATHS]})


@pytest.mark.parametrize(
    ("platform", "lang", "explore_only"),
    [(p, lang, False) for p in ("instagram", "facebook") for lang in ("en", "fr", "de", "pl")]
    + [(p, lang, True) for p, lang in EXPLORED],
)
def test_the_walk_reaches_the_form_on_a_scrambled_site(
    mock_site: MockMeta, browser_tab: Page, vocabulary: Vocabulary, platform: str, lang: str, explore_only: bool
) -> None:
    mock_site.reset(Scenario.scrambled(lang, seed=7))
    page = browser_tab
    print()
    flow = load_flow(platform, vocabulary)
    if explore_only:
        flow = click_paths_only(flow)
    walker = Walker(page, flow, vocabulary, Ui(interactive=False), Timeouts(step=15))
    started = time.monotonic()
    found = walker.find_form()
    took = time.monotonic() - started
    print(f"{platform} {lang}: the form at {found.url} by route {found.route} in {took:.1f} s")
    for entry in found.trail:
        print("  ", entry.route, entry.step, entry.outcome)
    expect(found.email).to_have_value("jane.doe@example.com")
    assert found.submit.count() == 1
    assert mock_site.posts() == []  # nothing sent: the person clicks Submit
    assert not [r.path for r in mock_site.requests if any(decoy in r.path for decoy in DECOYS)]
    if explore_only:
        assert found.route == EXPLORED_ROUTE  # the route no longer leads there: the page's own links did
    assert took < 30  # generous on a loaded machine; scripts/bench.py measures it


# --- the real command --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "lang"), [("instagram", "de"), ("facebook", "pl")])
def test_the_command_prefills_the_form_of_a_scrambled_site_and_sends_nothing(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str
) -> None:
    site.reset(Scenario.scrambled(lang, seed=3))
    started = time.monotonic()
    result = run_cli(home, "run", "--platform", platform, "--cdp", cdp, "--dry-run", *FAST)
    print(f"\n{platform} {lang}: the command ended in {time.monotonic() - started:.1f} s")

    assert result.returncode == 0, result.stderr
    assert form_posts(site) == []  # promise 1: nothing posted, the person would click Submit
    assert not [r.path for r in site.requests if any(decoy in r.path for decoy in DECOYS)]


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_a_site_where_nothing_matches_gives_up_in_seconds_with_exit_5(
    platform: str, site: MockMeta, home: Home, cdp: str
) -> None:
    """The redesigned site: the default step timeout (15 s) is left as it is; the walk decides page by page."""
    site.reset(Scenario(layout="changed"))
    started = time.monotonic()
    result = run_cli(home, "run", "--platform", platform, "--cdp", cdp, "--dry-run")
    took = time.monotonic() - started
    print(f"\n{platform}: gave up in {took:.1f} s")

    assert result.returncode == 5, result.stderr
    assert took < 30  # the walk itself takes a few seconds; the bound is generous for a loaded machine
    (archive,) = (home.data / "diagnostics").iterdir()
    with zipfile.ZipFile(archive) as opened:
        trail = json.loads(opened.read("trail.json"))
    assert EXPLORED_ROUTE in {step["route"] for step in trail["steps"]}  # the exploration's looks are kept
    assert form_posts(site) == []
