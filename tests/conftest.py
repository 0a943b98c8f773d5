"""What every test shares (tests/README.md explains the layout):

- the markers, set here from where a test lives and what it uses, so `-m "not browser"` is the quick loop;
- `home`: the person's machine under tmp, for the real command and for code run in this process alike;
- one browser chain: pytest-playwright's fixtures (`browser`, `new_context`, `context`, `page`) on the system's
  Chromium, kept quiet; `launch_chromium` for a browser with switches of its own; the mock site (`site` for one
  test, `mock_site` for a module) and `mock_browser`/`mock_tab` pointed at it;
- the person's own browser with a debugging port (`cdp`) and the person at it (`person`), for the real command;
- the flows' words (`vocabulary`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from optout_bot.flows import Vocabulary, load_vocabulary
from optout_bot.mock_site import MockMeta
from tests.e2e.cli import Home
from tests.e2e.person import Person
from tests.support.chromium import QUIET_ARGS, launch_cdp_chromium, system_chromium

TESTS = Path(__file__).parent
# --- markers (registered in pyproject.toml, where --strict-markers refuses any other) ---------------------------
# Every test of these folders gets these markers.
_FOLDER_MARKERS = {"e2e": ("e2e", "browser"), "browser": ("browser",), "adversarial": ("browser",)}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark by folder, and mark `browser` every test that uses Playwright (the fixtures below all do)."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else ""
        for name in _FOLDER_MARKERS.get(folder, ()):
            item.add_marker(name)
        if "playwright" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            item.add_marker("browser")


# --- the person's machine ----------------------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """The person's data, settings, state and cache folders under tmp.
    The real command gets them from `home.env()` (tests/e2e/cli.py: run_cli, start_cli); code run in this process
    (click's CliRunner, doctor's checks) sees the same folders: platformdirs reads XDG_* at each call.
    """
    home = Home(tmp_path / "home")
    for variable, value in home.env().items():
        if variable.startswith("XDG_"):
            monkeypatch.setenv(variable, value)
    return home


# --- the browser chain: pytest-playwright's fixtures, on this machine's Chromium ----------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Every browser the tests launch: the system's Chromium (tests/support/chromium.py), calling no Google host."""
    return {
        **browser_type_launch_args,
        "executable_path": system_chromium(),
        "args": [*browser_type_launch_args.get("args", []), *QUIET_ARGS],
    }


LaunchChromium = Callable[..., Browser]


@pytest.fixture(scope="session")
def launch_chromium(
    launch_browser: Callable[..., Browser], browser_type_launch_args: dict[str, Any]
) -> Iterator[LaunchChromium]:
    """`launch_chromium(*switches)`: a browser like pytest-playwright's `browser`, with command-line switches of
    its own added (a mock site's host rules). Close it when done; any left open is closed with the session."""
    launched: list[Browser] = []

    def launch(*switches: str) -> Browser:
        browser = launch_browser(args=[*browser_type_launch_args["args"], *switches])
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        if browser.is_connected():
            browser.close()


# --- the mock site, and a browser pointed at it -----------------------------------------------------------------


@pytest.fixture
def site() -> Iterator[MockMeta]:
    """A mock site of its own for one test."""
    with MockMeta() as server:
        yield server


@pytest.fixture(scope="module")
def mock_site() -> Iterator[MockMeta]:
    """One mock site for a module: each test plays its scenario with `mock_site.reset(Scenario(...))`."""
    with MockMeta() as server:
        yield server


@pytest.fixture(scope="module")
def mock_browser(launch_chromium: LaunchChromium, mock_site: MockMeta) -> Iterator[Browser]:
    """One browser for the module: --host-resolver-rules names the port of that module's one mock server."""
    browser = launch_chromium(*mock_site.chromium_args())
    yield browser
    browser.close()


@pytest.fixture
def mock_context(mock_browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    """A fresh context (no cookies, no login) in the module's mock browser, closed after the test."""
    context = mock_browser.new_context(**{**browser_context_args, "ignore_https_errors": True})
    yield context
    context.close()


@pytest.fixture
def mock_tab(mock_context: BrowserContext) -> Page:
    """A tab of the mock browser, as the person's or the tool's."""
    return mock_context.new_page()


# --- the person's own browser, which the tool attaches to over CDP (`--cdp`) ----------------------------------


@pytest.fixture
def cdp(tmp_path: Path, site: MockMeta) -> Iterator[str]:
    """The person's own running browser, started with a debugging port, reaching the platforms' names on `site`.

    Not launched through Playwright: the tool under test is what connects to it, as to a person's browser."""
    browser = launch_cdp_chromium(tmp_path / "person-profile", site.chromium_args())
    try:
        yield browser.url
    finally:
        browser.stop()


@pytest.fixture
def person(playwright: Playwright, cdp: str) -> Iterator[Person]:
    """The person at that browser: a second Playwright client logs in, reads the banner, clicks Submit."""
    browser = playwright.chromium.connect_over_cdp(cdp)
    if not browser.contexts[0].pages:
        browser.contexts[0].new_page()
    yield Person(browser)
    browser.close()


# --- the flows --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return load_vocabulary()
