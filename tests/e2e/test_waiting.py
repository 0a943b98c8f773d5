"""Issue 17.7: waiting for the person, and stopping with Ctrl-C.

The real CLI in a subprocess. Ctrl-C is sent as a terminal sends it: SIGINT to the whole process group, so
Playwright's driver and the browser get it too (their complaints must not reach the person).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess

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
