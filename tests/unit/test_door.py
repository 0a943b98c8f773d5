"""The one door into the browser (optout_bot.walk.door): run, login, verify and demo all open their browser through it.

Every way Playwright has of reaching a browser for the tool (starting one on a profile, attaching over CDP) is
replaced by one that notes whether `door.open_walk` is on the call stack, then fails as a browser that does not
start. Each command, run in-process as the person types it, must get there through the door and end with the
door's one line and exit 7. A command that opened its browser some other way fails here.
"""

from __future__ import annotations

import inspect
import threading
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserType
from playwright.sync_api import Error as PlaywrightError

from optout_bot.cli.app import main
from optout_bot.errors import ExitStatus
from optout_bot.records.ledger import Ledger, Outcome
from optout_bot.walk import door
from tests.e2e.cli import Home

DOOR = inspect.unwrap(door.open_walk).__code__


def reached_through_the_door() -> bool:
    return any(frame.frame.f_code is DOOR for frame in inspect.stack())


@pytest.fixture
def openings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The browsers the commands asked for: (how, through the door?). None of them starts."""
    for variable, value in Home(tmp_path).env(DISPLAY=":99").items():  # a screen, so login opens a window
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    asked: list[tuple[str, bool]] = []

    def fake(how: str) -> Any:
        def no_browser(self: BrowserType, *args: Any, **kwargs: Any) -> Any:
            asked.append((how, reached_through_the_door()))
            raise PlaywrightError("no browser in this test")

        return no_browser

    monkeypatch.setattr(BrowserType, "launch_persistent_context", fake("launch"))
    monkeypatch.setattr(BrowserType, "connect_over_cdp", fake("cdp"))
    monkeypatch.setattr(BrowserType, "launch", fake("launch without a profile"))
    return asked


def a_setting_seen(home: Path) -> None:
    """A LinkedIn setting the ledger saw off: something for `verify` to look at again."""
    with Ledger.open(home / "data" / "optout-bot" / "ledger.sqlite3") as ledger:
        run_id = ledger.start_run("pro", "linkedin", dry_run=False)
        url = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
        ledger.finish_run(run_id, Outcome.CONFIRMED, 0, url, "r", None, None, setting_before="on", setting_after="off")


COMMANDS = {
    "run": (["run", "--platform", "instagram", "--dry-run", "--headless"], "launch"),
    "run --cdp": (["run", "--platform", "instagram", "--cdp", "http://127.0.0.1:9"], "cdp"),
    "login": (["login", "--platform", "instagram"], "launch"),
    "verify": (["verify", "--headless"], "launch"),
    "demo": (["demo", "--platform", "instagram", "--headless", "--dry-run"], "launch"),
}


def exit_code_in_a_thread_of_its_own(argv: list[str]) -> object:
    """The command's exit code. In a thread of its own: Playwright's sync API refuses to start in a thread that
    already runs an asyncio loop, as the main thread does once a test of the session used pytest-playwright."""
    ended: list[object] = []

    def command() -> None:
        try:
            main(argv)
        except SystemExit as exit_:
            ended.append(exit_.code)

    thread = threading.Thread(target=command)
    thread.start()
    thread.join()
    assert ended, "the command ended without exiting"
    return ended[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_opens_its_browser_through_the_one_door(
    command: str, openings: list[tuple[str, bool]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, how = COMMANDS[command]
    if command == "verify":
        a_setting_seen(tmp_path)
    code = exit_code_in_a_thread_of_its_own(argv)
    err = capsys.readouterr().err
    assert openings == [(how, True)], f"{command} reached the browser outside optout_bot.walk.door.open_walk: {err}"
    assert code == ExitStatus.BROWSER, err
    assert "no browser in this test" in err  # the door's one line about a browser that did not start
