"""The objection, end to end: the real CLI in a subprocess, the person played by a second client.

Every test that reaches the form proves promise 1: the mock server received no form POST before the test,
playing the person, clicked Submit.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect

from optout_bot.mock_site import MockMeta, Scenario
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import form_posts, submit_as_person
from tests.e2e.person import READY, Person
from tests.support.chromium import launch_cdp_chromium

FORM_PATHS = {
    "instagram": "/contact/767264225370182",
    "facebook": "/help/contact/712876720715583",
}


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_an_english_speaking_user_gets_the_form_filled_and_nothing_is_sent_until_they_click(
    platform: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    tool = start_cli(home, "run", "--platform", platform, "--cdp", cdp, "--country", "FR", *FAST)
    tab = person.tool_tab(tool, banner_text=READY)

    expect(tab.get_by_role("heading", name="Object to your information being used for AI at Meta")).to_be_visible()
    expect(tab.locator("input[type=email]")).to_have_value("jane.doe@example.com")
    expect(tab.locator("textarea")).to_have_value("")  # the optional text stays empty unless asked
    if platform == "facebook":
        expect(tab.get_by_label("Country of residence")).to_have_value("FR")
    submit = tab.get_by_role("button", name="Submit")
    expect(submit).to_be_in_viewport()
    assert "solid" in submit.evaluate("el => getComputedStyle(el).outlineStyle")  # highlighted for the person

    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta confirmed your objection" in out
    assert "your request will be applied going forward" in out
    (post,) = [r for r in site.posts() if "login" not in r.path]
    assert post.path == FORM_PATHS[platform]
    assert post.form["email"] == ["jane.doe@example.com"]
    receipts = list((home.data / "receipts").glob("*.png"))
    assert len(receipts) == 1 and oct(receipts[0].stat().st_mode & 0o777) == "0o600"


def test_a_french_facebook_user_gets_the_french_form_with_their_country(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang="fr"))
    tool = start_cli(
        home,
        "run",
        "--platform",
        "facebook",
        "--cdp",
        cdp,
        "--country",
        "BE",
        "--reason",
        "Mes photos",
        *FAST,
    )
    tab = person.tool_tab(tool, banner_text=READY)

    expect(tab.get_by_role("heading", name="Vous opposer à l’utilisation de vos informations pour l’IA chez Meta"))
    expect(tab.get_by_label("Pays de résidence")).to_have_value("BE")
    expect(tab.locator("textarea")).to_have_value("Mes photos")

    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "votre demande sera appliquée" in out
    (post,) = site.posts()
    assert post.form["country"] == ["BE"] and post.form["reason"] == ["Mes photos"]


def test_a_logged_out_user_logs_in_in_the_window_and_the_walk_resumes(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(require_login=True))
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST)

    login_tab = person.tool_tab(tool, banner_text="please log in")
    login_tab.get_by_label("Phone number, username, or email").fill("jane.doe")
    login_tab.get_by_label("Password").fill("the person's own password")
    assert form_posts(site) == []
    login_tab.get_by_role("button", name="Log in").click()

    tab = person.tool_tab(tool, banner_text=READY)
    expect(tab.locator("input[type=email]")).to_have_value("jane.doe@example.com")
    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta asks you to log in" in out
    assert "password" not in "".join(r.body for r in site.posts() if "login" not in r.path)


def test_closing_the_tab_means_the_objection_was_not_sent(site: MockMeta, home: Home, cdp: str, person: Person) -> None:
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    tab.close()
    code, _, err = finish(tool)

    assert code == 4
    assert err.strip() == (
        "optout-bot: the tab was closed before Meta confirmed anything: your objection was not sent. "
        "Run optout-bot again when you are ready."
    )
    assert site.posts() == []


def test_a_person_who_never_clicks_is_told_the_wait_ran_out(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    tool = start_cli(home, "run", "--platform", "facebook", "--cdp", cdp, "--step-timeout", "5", "--user-timeout", "2")
    person.tool_tab(tool, banner_text=READY)
    code, _, err = finish(tool)

    assert code == 4
    assert "no confirmation from Meta after" in err
    assert site.posts() == []


def test_the_persons_own_tabs_and_browser_survive_the_tool(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    own = person.own_tab()
    own.goto("https://www.facebook.com/settings/")
    tool = start_cli(home, "run", "--platform", "facebook", "--cdp", cdp, "--dry-run", *FAST)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "nothing was submitted" in out
    assert not own.is_closed() and own.url == "https://www.facebook.com/settings/"
    assert person.browser.is_connected()
    assert site.posts() == []


def test_a_different_prefilled_email_is_never_overwritten_silently(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, "--email", "other@example.org", *FAST)
    code, _, err = finish(tool)

    assert code == 2
    assert "Meta filled in the email jane.doe@example.com, but --email says other@example.org" in err
    assert site.posts() == []


def test_a_site_that_cannot_be_reached_in_the_persons_own_browser_is_no_connection(
    tmp_path: Path, home: Home, playwright: Playwright
) -> None:
    # Every Meta host name leads to a closed port: that is no connection (exit 10, at once), not pages that
    # changed (exit 5 after every route, with a diagnostic of pages never seen).
    browser = launch_cdp_chromium(tmp_path / "p", ["--host-resolver-rules=MAP * 127.0.0.1:9, EXCLUDE localhost"])
    try:
        result = run_cli(home, "run", "--platform", "instagram", "--cdp", browser.url, "--step-timeout", "2")
    finally:
        browser.stop()

    code, err = result.returncode, result.stderr
    assert code == 10, err
    (line,) = err.strip().splitlines()
    assert "no connection to instagram.com" in line and "Nothing was filled" in line, line
    assert not (home.data / "diagnostics").exists()


@pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="needs xvfb-run for a headed browser (scripts/test installs it on Debian)"
)
def test_the_default_run_is_headed_on_its_own_profile_and_waits_for_the_persons_click(
    site: MockMeta, home: Home, playwright: Playwright
) -> None:
    # No --cdp, no --headless: the tool starts its own visible browser on its private profile. The person
    # reaches that window through a debugging port the test adds, as they would with their mouse.
    port = free_port()
    flags = [f"--browser-arg={flag}" for flag in (*site.chromium_args(), f"--remote-debugging-port={port}")]
    tool = start_cli(home, "run", "--platform", "instagram", *flags, *FAST, prefix=("xvfb-run", "-a"))
    person = Person(connect_when_ready(playwright, port, tool))
    tab = person.tool_tab(tool, banner_text=READY)
    assert "Headless" not in tab.evaluate("navigator.userAgent")  # a real, visible browser window

    submit_as_person(tab, site)
    # The tool's own window stays open after Meta's confirmation, until the person closes it (issue 17.7): they
    # read the confirmation, and close it once the receipt is kept.
    receipts = home.data / "receipts"
    deadline = time.monotonic() + 30
    while not (receipts.is_dir() and any(receipts.iterdir())):
        assert tool.poll() is None and time.monotonic() < deadline, finish(tool)
        tab.wait_for_timeout(100)
    tab.close()
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta confirmed your objection" in out
    assert "The window stays open" in out and "Closing the browser window." not in out
    assert oct((home.data / "profiles" / "default").stat().st_mode & 0o777) == "0o700"
    (post,) = site.posts()
    assert post.form["email"] == ["jane.doe@example.com"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def connect_when_ready(playwright: Playwright, port: int, tool: subprocess.Popen[str]) -> Browser:
    """Attach to the tool's browser as soon as its debugging port answers (bounded; fails if the tool exits)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if tool.poll() is not None:
            raise AssertionError(f"optout-bot exited ({tool.returncode}): {tool.communicate()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        except OSError:
            with contextlib.suppress(subprocess.TimeoutExpired):
                tool.wait(timeout=0.1)  # blocks a moment, and notices at once if the tool exits
    raise AssertionError("the tool's browser never opened its debugging port")
