"""Issue 17.7: waiting for the person, and stopping with Ctrl-C.

The real CLI in a subprocess. Ctrl-C is sent as a terminal sends it: SIGINT to the whole process group, so
Playwright's driver and the browser get it too (their complaints must not reach the person).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Playwright, expect

from optout_bot.mock_site import MockMeta, Scenario
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.person import READY, Person


def ctrl_c(tool: subprocess.Popen[str]) -> None:
    os.killpg(tool.pid, signal.SIGINT)


def last_run(home: Home) -> dict[str, object]:
    result = run_cli(home, "status", "--json")
    assert result.returncode == 0, result.stderr
    (account,) = json.loads(result.stdout)["accounts"]
    return dict(account)


def log_text(home: Home) -> str:
    return (home.root / "state" / "optout-bot" / "logs" / "optout-bot.log").read_text(encoding="utf-8")


def test_ctrl_c_while_walking_is_one_line_exit_130_and_the_run_recorded(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(require_login=True))  # the walk waits for the person to log in: still walking
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST, prefix=("setsid",))
    person.tool_tab(tool, banner_text="please log in")
    ctrl_c(tool)
    code, _out, err = finish(tool)

    assert code == 130, err
    assert err.strip().splitlines() == ["optout-bot: stopped (Ctrl-C). Nothing was submitted."], err
    assert site.posts() == []
    assert last_run(home)["last_outcome"] == "not_submitted"  # ended, not left "interrupted" as if killed
    assert "ended: not_submitted" in log_text(home)


def test_ctrl_c_while_waiting_for_the_person_keeps_the_run_consistent(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST, prefix=("setsid",))
    person.tool_tab(tool, banner_text=READY)
    ctrl_c(tool)
    code, _out, err = finish(tool)

    assert code == 130, err
    (line,) = err.strip().splitlines()
    assert line.startswith("optout-bot: stopped (Ctrl-C).") and "did not see it sent" in line, line
    assert site.posts() == []
    assert last_run(home)["last_outcome"] == "interrupted"
    assert "ended: interrupted" in log_text(home)


def test_the_wait_for_the_person_shows_its_clock(site: MockMeta, home: Home, cdp: str, person: Person) -> None:
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, "--step-timeout", "5", "--user-timeout", "3")
    person.tool_tab(tool, banner_text=READY)  # the person reads the form and does nothing
    code, out, err = finish(tool)

    assert code == 4, err
    # Not a terminal: the time left once, no ticking (a line a minute at most: tests/unit/test_ui.py).
    assert "Waiting for Meta's confirmation… (0:03 left)" in out.splitlines(), out
    assert "Still waiting" not in out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_window_stays_open_after_the_confirmation_until_the_person_closes_it(
    home: Home, playwright: Playwright
) -> None:
    # The demo in the tool's own window (not an attached browser, whose tabs always stay). No screen here: the
    # window is drawn off-screen (--headless=new), the tool still takes it for a window; the person reaches it
    # through a debugging port.
    port = free_port()
    tool = start_cli(
        home, "demo", "--platform", "instagram", *FAST,
        f"--browser-arg=--remote-debugging-port={port}", "--browser-arg=--headless=new",
        DISPLAY=":424242",
    )  # fmt: skip
    browser = None
    deadline = time.monotonic() + 60
    while browser is None:
        try:
            browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}", no_defaults=True)
        except PlaywrightError:
            assert tool.poll() is None and time.monotonic() < deadline, finish(tool)
            time.sleep(0.2)
    try:
        tab = Person(browser).tool_tab(tool, banner_text=READY)
        tab.locator("form button[type=submit]").filter(visible=True).first.click()
        expect(tab.get_by_text("your request will be applied going forward")).to_be_visible()
        tab.wait_for_timeout(5000)  # the receipt is taken in about a second; the window must outlive it
        assert tool.poll() is None, finish(tool)
        assert not tab.is_closed()
        tab.close()  # the person closes the window
        code, out, err = finish(tool)
    finally:
        with contextlib.suppress(PlaywrightError):
            browser.close()

    assert code == 0, out + err
    assert "The window stays open" in out, out


def test_the_wait_for_a_setting_shows_its_clock(site: MockMeta, home: Home, cdp: str, person: Person) -> None:
    tool = start_cli(home, "run", "--platform", "linkedin", "--cdp", cdp, "--step-timeout", "5", "--user-timeout", "3")
    person.tool_tab(tool, banner_text="Switch it off yourself")  # the person leaves the switch on
    code, out, err = finish(tool)

    assert code == 4, err
    assert "Waiting for the switch to show “off”… (0:03 left)" in out.splitlines(), out
    assert "the setting was still on after 3 s" in err, err
    assert site.setting("linkedin") is True
