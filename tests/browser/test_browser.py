"""Finding a browser and opening the session: the tool's own profile, and the person's browser over CDP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserType, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

from optout_bot.errors import BrowserProblemError
from optout_bot.walk.browser import (
    BrowserSession,
    SessionRequest,
    find_browser,
    has_display,
    open_session,
    profile_lock_holder,
)
from tests.support.chromium import CdpBrowser, launch_cdp_chromium, system_chromium

TOOL_PAGE = "data:text/html,<title>optout-bot</title>"
PERSON_PAGE = "data:text/html,<title>the person's own tab</title>"


def fake_executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_playwright_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Playwright's own Chromium is 'not downloaded': its path points into an empty folder.

    Setting PLAYWRIGHT_BROWSERS_PATH is not enough inside the test session: Playwright's driver read it when the
    session started. So the path it reports is replaced too.
    """
    empty = tmp_path / "ms-playwright"
    empty.mkdir()
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(empty))
    monkeypatch.setattr(BrowserType, "executable_path", property(lambda self: str(empty / "chrome")))
    return empty


@pytest.fixture
def bin_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_playwright_chromium: Path) -> Path:
    """PATH is only this (empty) folder: the browsers a test puts in it are all there is."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


@pytest.fixture
def cdp(tmp_path: Path) -> Iterator[CdpBrowser]:
    browser = launch_cdp_chromium(tmp_path / "person-profile", [])
    yield browser
    browser.stop()


def launch(playwright: Playwright, profile: Path) -> BrowserSession:
    return open_session(
        playwright, SessionRequest(headless=True, profile_dir=profile, executable_path=system_chromium())
    )


# --- finding a browser


def test_an_explicit_executable_path_that_does_not_exist_is_refused_by_name(playwright: Playwright) -> None:
    with pytest.raises(BrowserProblemError, match="--executable-path /nowhere/chrome is not an executable file"):
        find_browser(playwright, executable_path="/nowhere/chrome")


def test_an_explicit_executable_path_that_is_not_executable_is_refused(playwright: Playwright, tmp_path: Path) -> None:
    plain = tmp_path / "chrome"
    plain.write_text("not a program")
    with pytest.raises(BrowserProblemError, match="is not an executable file"):
        find_browser(playwright, executable_path=str(plain))


def test_an_explicit_executable_path_wins_over_the_channel(playwright: Playwright, tmp_path: Path) -> None:
    exe = fake_executable(tmp_path / "my-chrome")
    choice = find_browser(playwright, channel="chrome", executable_path=str(exe))
    assert (choice.executable_path, choice.channel) == (str(exe), None)
    assert choice.description == f"the browser at {exe}"


def test_no_browser_anywhere_says_how_to_install_one(playwright: Playwright, bin_dir: Path) -> None:
    with pytest.raises(BrowserProblemError) as raised:
        find_browser(playwright)
    message = str(raised.value)
    assert message.startswith("No Chromium-family browser found: install Google Chrome")
    assert "sudo apt install chromium" in message
    assert "-m playwright install chromium" in message
    assert "\n" not in message


def test_chrome_is_preferred_then_chromium_then_edge_then_brave(playwright: Playwright, bin_dir: Path) -> None:
    for name in ("brave-browser", "microsoft-edge", "chromium", "google-chrome-stable"):
        fake_executable(bin_dir / name)
    assert find_browser(playwright).description == f"Google Chrome at {bin_dir / 'google-chrome-stable'}"
    (bin_dir / "google-chrome-stable").unlink()
    assert find_browser(playwright).description == f"Chromium at {bin_dir / 'chromium'}"
    (bin_dir / "chromium").unlink()
    assert find_browser(playwright).description == f"Microsoft Edge at {bin_dir / 'microsoft-edge'}"
    (bin_dir / "microsoft-edge").unlink()
    assert find_browser(playwright).description == f"Brave at {bin_dir / 'brave-browser'}"


def test_playwrights_own_chromium_comes_first(
    playwright: Playwright, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_executable(bin_dir / "google-chrome")
    own = fake_executable(bin_dir.parent / "ms-playwright" / "chromium-1" / "chrome")
    monkeypatch.setattr(BrowserType, "executable_path", property(lambda self: str(own)))
    choice = find_browser(playwright)
    assert (choice.executable_path, choice.description) == (str(own), f"Playwright's Chromium at {own}")


def test_the_chromium_channel_only_looks_for_chromium_builds(playwright: Playwright, bin_dir: Path) -> None:
    fake_executable(bin_dir / "google-chrome")
    with pytest.raises(BrowserProblemError, match=r"^No Chromium browser found: install Chromium"):
        find_browser(playwright, channel="chromium")
    fake_executable(bin_dir / "chromium-browser")
    assert find_browser(playwright, channel="chromium").executable_path == str(bin_dir / "chromium-browser")


def test_chrome_and_edge_channels_are_left_to_playwright(playwright: Playwright) -> None:
    chrome = find_browser(playwright, channel="chrome")
    edge = find_browser(playwright, channel="msedge")
    assert (chrome.executable_path, chrome.channel, chrome.description) == (None, "chrome", "Google Chrome")
    assert (edge.executable_path, edge.channel, edge.description) == (None, "msedge", "Microsoft Edge")


def test_discovery_finds_this_machines_chromium(playwright: Playwright) -> None:
    choice = find_browser(playwright)
    assert choice.channel is None and choice.executable_path is not None
    assert os.access(choice.executable_path, os.X_OK)
    assert choice.description.endswith(f" at {choice.executable_path}")


def test_has_display_follows_display_and_wayland(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not has_display()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert has_display()
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("WAYLAND_DISPLAY")
    assert has_display()


# --- optout-bot's own persistent profile


def test_the_own_profile_is_private_and_its_browser_closes(playwright: Playwright, tmp_path: Path) -> None:
    profile = tmp_path / "data" / "profiles" / "default"
    session = launch(playwright, profile)
    try:
        assert oct(profile.stat().st_mode & 0o777) == "0o700"
        assert not session.attached
        assert session.context.pages == [session.page]  # the starting blank tab is reused, not left beside ours
        session.page.goto("chrome://version")
        command_line = session.page.locator("#command_line").inner_text()
        for flag in ("--no-first-run", "--disable-background-networking", "--disable-component-update"):
            assert flag in command_line
        assert (profile / "SingletonLock").is_symlink()
    finally:
        session.close()
    assert session.page.is_closed()
    assert not (profile / "SingletonLock").is_symlink()  # Chromium quit cleanly and let go of the profile
    session.close()  # idempotent


def test_a_loose_existing_profile_folder_is_tightened(playwright: Playwright, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir(mode=0o755)
    profile.chmod(0o755)
    with launch(playwright, profile):
        assert oct(profile.stat().st_mode & 0o777) == "0o700"


def test_closing_after_the_person_closed_the_window_does_not_raise(playwright: Playwright, tmp_path: Path) -> None:
    session = launch(playwright, tmp_path / "profile")
    session.page.close()
    session.context.close()
    session.close()


def test_a_profile_in_use_by_a_running_browser_is_refused(playwright: Playwright, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    with launch_cdp_chromium(profile, []) as running, pytest.raises(BrowserProblemError) as raised:
        launch(playwright, profile)
    assert str(raised.value) == (
        f"The browser profile {profile} is in use by another browser window (pid {running.process.pid}). "
        "Close that window and try again."
    )


def test_chromiums_own_refusal_is_mapped_to_the_same_message(
    playwright: Playwright, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the lock cannot be read ahead (Windows), Playwright's launch failure gives the same message."""
    profile = tmp_path / "profile"
    monkeypatch.setattr("optout_bot.walk.browser._refuse_locked_profile", lambda profile_dir: None)
    with launch_cdp_chromium(profile, []), pytest.raises(BrowserProblemError, match="is in use by another browser"):
        launch(playwright, profile)


def test_a_stale_lock_left_by_a_dead_browser_is_no_obstacle(playwright: Playwright, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid now names no process
    (profile / "SingletonLock").symlink_to(f"{socket.gethostname()}-{gone.pid}")
    assert profile_lock_holder(profile) is None
    with launch(playwright, profile) as session:
        assert session.page.evaluate("1 + 1") == 2


def test_a_lock_whose_pid_now_belongs_to_another_program_is_stale(tmp_path: Path) -> None:
    (tmp_path / "SingletonLock").symlink_to(f"{socket.gethostname()}-{os.getpid()}")  # this pytest, not a browser
    assert profile_lock_holder(tmp_path) is None


def test_a_lock_from_another_computer_says_which_and_how_to_unlock(playwright: Playwright, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "SingletonLock").symlink_to("laptop.example-4242")
    with pytest.raises(BrowserProblemError, match=r"locked by a browser on another computer \(laptop.example\)"):
        launch(playwright, profile)


def test_a_missing_executable_is_a_browser_problem_with_the_cause_kept(playwright: Playwright, tmp_path: Path) -> None:
    request = SessionRequest(headless=True, profile_dir=tmp_path / "p", executable_path="/nowhere/chromium")
    with pytest.raises(BrowserProblemError) as raised:
        open_session(playwright, request)
    assert str(raised.value).startswith("Could not start the browser (")
    assert "/nowhere/chromium" in str(raised.value) and "\n" not in str(raised.value)
    assert "--browser-channel or --executable-path" in str(raised.value)  # and what to do about it
    assert isinstance(raised.value.__cause__, PlaywrightError)


@pytest.mark.skipif(bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")), reason="has a screen")
def test_a_window_without_a_screen_is_explained(playwright: Playwright, tmp_path: Path) -> None:
    request = SessionRequest(headless=False, profile_dir=tmp_path / "p", executable_path=system_chromium())
    with pytest.raises(BrowserProblemError, match="no screen found"):
        open_session(playwright, request)


def test_a_request_needs_exactly_one_of_profile_and_cdp(playwright: Playwright, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        open_session(playwright, SessionRequest(headless=True))
    with pytest.raises(ValueError, match="exactly one"):
        open_session(playwright, SessionRequest(headless=True, profile_dir=tmp_path, cdp_url="http://127.0.0.1:1"))


# --- the person's own browser, over CDP


def test_attaching_opens_a_new_tab_and_closing_leaves_the_persons_browser_alone(
    playwright: Playwright, cdp: CdpBrowser
) -> None:
    person = playwright.chromium.connect_over_cdp(cdp.url)
    own_tab = person.contexts[0].pages[0]
    own_tab.goto(PERSON_PAGE)
    person.contexts[0].add_cookies([{"name": "session", "value": "theirs", "url": "https://www.facebook.com/"}])

    session = open_session(playwright, SessionRequest(headless=False, cdp_url=cdp.url))
    assert session.attached
    session.page.goto(TOOL_PAGE)
    assert [c["value"] for c in session.context.cookies("https://www.facebook.com/")] == ["theirs"]  # their context
    assert session.page.title() == "optout-bot"
    assert own_tab.title() == "the person's own tab"  # the tool did not touch it
    session.close()
    session.close()  # idempotent

    assert cdp.running()
    again = playwright.chromium.connect_over_cdp(cdp.url)
    titles = sorted(page.title() for page in again.contexts[0].pages)
    assert titles == ["optout-bot", "the person's own tab"]  # their tab, and the tool's left open for them
    again.close()
    person.close()


def test_closing_after_the_person_quit_their_browser_does_not_raise(playwright: Playwright, cdp: CdpBrowser) -> None:
    session = open_session(playwright, SessionRequest(headless=False, cdp_url=cdp.url))
    cdp.stop()
    session.close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}", "not-a-url"])
def test_an_unreachable_cdp_address_explains_how_to_start_chrome(playwright: Playwright, url: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))  # a port nothing listens on
        address = url.format(port=s.getsockname()[1])
        with pytest.raises(BrowserProblemError) as raised:
            open_session(playwright, SessionRequest(headless=False, cdp_url=address))
    message = str(raised.value)
    assert message.startswith(f"Could not attach to a browser at {address} (")
    assert "--remote-debugging-port=9222 --user-data-dir=" in message and "Chrome 136+" in message
    assert "\n" not in message


def test_a_stale_lock_whose_pid_is_now_the_persons_everyday_chromium_is_no_obstacle(
    playwright: Playwright, tmp_path: Path
) -> None:
    """After a reboot the lock's pid may be the person's own Chromium, running on its own profile, not this one."""
    profile = tmp_path / "profile"
    profile.mkdir()
    with launch_cdp_chromium(tmp_path / "everyday", []) as everyday:
        (profile / "SingletonLock").symlink_to(f"{socket.gethostname()}-{everyday.process.pid}")
        assert profile_lock_holder(profile) is None
        with launch(playwright, profile) as session:
            assert session.page.evaluate("1 + 1") == 2
            assert os.readlink(profile / "SingletonLock") != f"{socket.gethostname()}-{everyday.process.pid}"
        assert everyday.running()  # the person's browser was neither blamed nor disturbed


def disabled_features(command_line: str) -> set[str]:
    """The features a --disable-features switch of `command_line` names (Chromium obeys only the last one)."""
    found = re.findall(r'--disable-features="?([^" ]*)', command_line)
    return set(found[-1].split(",")) if found else set()


def test_one_merged_feature_list_keeps_playwrights_the_tools_and_the_persons(
    playwright: Playwright, page: Page, tmp_path: Path
) -> None:
    """Chromium obeys only the last --disable-features: ours must not drop Playwright's list, nor the person's."""
    page.goto("chrome://version")  # pytest-playwright's browser: Playwright's own switches, none of the tool's
    playwrights = disabled_features(page.locator("#command_line").inner_text()) - {""}
    assert playwrights, "Playwright no longer passes --disable-features: simplify browser.own_browser_args"
    request = SessionRequest(
        headless=True,
        profile_dir=tmp_path / "profile",
        executable_path=system_chromium(),
        extra_args=["--disable-features=SomethingThePersonAsked"],
    )
    with open_session(playwright, request) as session:
        session.page.goto("chrome://version/?show-variations-cmd")
        variations = session.page.locator("#variations-cmd").inner_text()
    effective = disabled_features(variations)
    missing = playwrights - effective
    assert not missing, f"add to browser.PLAYWRIGHT_DISABLED_FEATURES: {sorted(missing)}"
    assert {"AutofillServerCommunication", "SomethingThePersonAsked"} <= effective
