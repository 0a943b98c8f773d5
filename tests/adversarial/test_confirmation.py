"""Issue 14, holes 1, 3 and part of 8: the tool never says more than it saw.

Meta's confirmation counts only when the person's own submission was seen, on Meta's site, with the form gone
and words that were not on screen before the hand-over (hole 1). A confirmation is recorded even when its
receipt cannot be saved (hole 3). Ctrl-C is one true line and exit 130, a window closed mid-walk one line and
exit 4 (hole 8).

The real CLI in a subprocess, attached to the person's browser; the person is played by a second client.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from optout_bot import progress
from optout_bot.errors import NotSubmittedError
from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.records.ledger import Ledger, Outcome, RunRecord
from optout_bot.records.recording import recorded_run
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import form_posts, submit_as_person
from tests.e2e.person import READY, Person

CODE_BANNER = "sent you a code by email"  # the platform named as the person knows it
# Short enough for a test, long enough for the tool to have reacted to a page (it watches continuously).
SETTLE_MS = 1500


def last_record(home: Home) -> dict[str, Any]:
    """What `optout-bot status --json` says of the only account run."""
    result = run_cli(home, "status", "--json")
    assert result.returncode == 0, result.stderr
    (account,) = json.loads(result.stdout)["accounts"]
    return dict(account)


def assert_not_confirmed(home: Home, out: str, err: str) -> None:
    assert "Meta confirmed" not in out + err
    record = last_record(home)
    assert record["confirmed_at"] is None and record["last_outcome"] != "confirmed", record


def ctrl_c(tool: subprocess.Popen[str]) -> None:
    """Ctrl-C in a terminal: SIGINT to the whole foreground group, Playwright's driver included."""
    os.killpg(tool.pid, signal.SIGINT)


def type_the_code(tab: Page) -> None:
    tab.locator("input[autocomplete=one-time-code]").fill("654321")
    tab.locator("button[type=submit]").filter(visible=True).first.click()


# --- hole 1: spoofed confirmations ---------------------------------------------------------------------------


def test_metas_words_on_the_form_before_submit_are_not_a_confirmation(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(confirmation_words_on_form=True))
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, "--step-timeout", "5", "--user-timeout", "3")
    person.tool_tab(tool, banner_text=READY)  # the person reads the form and does nothing
    code, out, err = finish(tool)

    assert code == 4, out + err
    assert "no confirmation from Meta after" in err
    assert site.posts() == []
    assert_not_confirmed(home, out, err)


def test_metas_confirmation_after_the_persons_submit_still_counts_when_the_form_quoted_its_words(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(confirmation_words_on_form=True))
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta confirmed your objection" in out
    assert last_record(home)["last_outcome"] == "confirmed"


def test_a_code_page_in_metas_confirmation_words_is_not_the_confirmation(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(code_after_submit=True, confirmation_words_on_code_page=True))
    tool = start_cli(home, "run", "--platform", "facebook", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)

    tab = person.tool_tab(tool, banner_text=CODE_BANNER)  # the tool saw a code page, not a confirmation
    expect(tab.get_by_text("your request will be applied going forward")).to_be_visible()
    tab.wait_for_timeout(SETTLE_MS)
    assert tool.poll() is None, finish(tool)
    type_the_code(tab)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta confirmed your objection" in out
    assert len(form_posts(site)) == 2  # the form, then the code: both by the person
    assert last_record(home)["last_outcome"] == "confirmed"


def test_metas_words_on_a_page_that_is_not_metas_are_not_a_confirmation(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    # The person submits, Meta asks for the emailed code, and the person opens their webmail in the same tab:
    # Meta's email there quotes the confirmation — on a host that is not Meta's.
    site.reset(Scenario(code_after_submit=True))
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)
    tab = person.tool_tab(tool, banner_text=CODE_BANNER)

    tab.goto("https://mail.example.org/")
    expect(tab.get_by_text("your request will be applied going forward")).to_be_visible()
    tab.wait_for_timeout(SETTLE_MS)
    assert tool.poll() is None, finish(tool)
    tab.close()
    code, out, err = finish(tool)

    assert code == 4, out + err
    # What the tool knows: the form was sent (it saw it go), Meta's confirmation was not seen.
    assert "your form was sent" in err.lower() and "check your email" in err, err
    assert "was not sent" not in err
    assert_not_confirmed(home, out, err)
    assert last_record(home)["last_outcome"] == "unconfirmed"


# --- hole 3: a receipt that cannot be saved --------------------------------------------------------------


def test_a_confirmed_objection_whose_receipt_cannot_be_saved_is_recorded_confirmed(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    # A file where the receipts folder goes: no folder can be made there (chmod would not stop root).
    home.data.mkdir(parents=True)
    (home.data / "receipts").write_text("not a folder")
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta confirmed your objection" in out
    (warning,) = err.strip().splitlines()
    assert "receipt" in warning and "could not be saved" in warning, err
    assert "bug" not in err and "Nothing was submitted" not in out + err
    record = last_record(home)
    assert record["last_outcome"] == "confirmed" and record["confirmed_at"] is not None
    assert record["receipt"] is None


# --- hole 8: Ctrl-C and a window closed mid-walk -------------------------------------------------------


def test_ctrl_c_while_the_person_has_the_form_is_one_true_line_and_exit_130(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST, prefix=("setsid",))
    person.tool_tab(tool, banner_text=READY)
    ctrl_c(tool)
    code, _out, err = finish(tool)

    assert code == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # no Playwright, asyncio or greenlet noise around it
    (line,) = lines
    assert line.startswith("optout-bot: stopped (Ctrl-C)"), line
    assert "Nothing was submitted" not in line  # after the hand-over, the form was the person's
    assert "did not see it sent" in line, line
    assert last_record(home)["last_outcome"] not in ("bug", "confirmed")


def test_ctrl_c_after_the_person_sent_the_form_says_so(site: MockMeta, home: Home, cdp: str, person: Person) -> None:
    site.reset(Scenario(code_after_submit=True))
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST, prefix=("setsid",))
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)
    person.tool_tab(tool, banner_text=CODE_BANNER)
    ctrl_c(tool)
    code, _out, err = finish(tool)

    assert code == 130, err
    (line,) = err.strip().splitlines()
    assert "your form was sent" in line.lower() and "check your email" in line, line
    assert last_record(home)["last_outcome"] == "unconfirmed"


def test_closing_the_tools_tab_before_the_form_is_ready_is_exit_4_and_one_line(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(require_login=True))
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST)
    person.tool_tab(tool, banner_text="please log in").close()
    code, out, err = finish(tool)

    assert code == 4, out + err
    (line,) = err.strip().splitlines()
    assert "closed before the form was ready" in line and "nothing was submitted" in line, line
    assert site.posts() == []
    assert last_record(home)["last_outcome"] == "not_submitted"


# --- the ledger's side: recorded at once, and no more than is known (in-process) ---------------------------


@pytest.fixture
def fresh_progress() -> Iterator[None]:
    progress.reset()
    yield
    progress.reset()


def recorded(ledger_path: Path) -> RunRecord:
    with Ledger.open(ledger_path) as ledger:
        (run,) = ledger.runs()
    return run


def test_a_confirmation_recorded_at_once_stands_whatever_happens_to_its_receipt(
    tmp_path: Path, fresh_progress: None
) -> None:
    path = tmp_path / "ledger.sqlite3"
    with pytest.raises(OSError), recorded_run("a", "instagram", dry_run=False, ledger_path=path) as report:
        report.confirmation_text = "your request will be applied going forward"
        report.record_outcome()
        raise OSError(28, "No space left on device")  # saving the receipt fails after the confirmation
    run = recorded(path)
    assert (run.outcome, run.exit_code, run.receipt_path) == (Outcome.CONFIRMED, 0, None)


def test_a_receipt_saved_after_the_outcome_is_attached_to_it(tmp_path: Path, fresh_progress: None) -> None:
    path, receipt = tmp_path / "ledger.sqlite3", tmp_path / "receipt.png"
    with recorded_run("a", "instagram", dry_run=False, ledger_path=path) as report:
        report.record_outcome()
        report.receipt = receipt
    run = recorded(path)
    assert (run.outcome, run.receipt_path) == (Outcome.CONFIRMED, receipt)


@pytest.mark.parametrize(
    ("stage", "outcome"),
    [
        (progress.Stage.WALKING, Outcome.NOT_SUBMITTED),  # the tool was walking: nothing was submitted
        (progress.Stage.HANDED_OVER, Outcome.INTERRUPTED),  # the person had the form: the tool cannot know
        (progress.Stage.SUBMITTED, Outcome.UNCONFIRMED),  # it saw the form sent, not the confirmation
    ],
)
def test_ctrl_c_records_what_the_walk_knew(
    tmp_path: Path, fresh_progress: None, stage: progress.Stage, outcome: Outcome
) -> None:
    path = tmp_path / "ledger.sqlite3"
    with pytest.raises(KeyboardInterrupt), recorded_run("a", "instagram", dry_run=False, ledger_path=path):
        progress.reach(stage)
        raise KeyboardInterrupt
    assert recorded(path).outcome is outcome


def test_a_wait_that_ends_after_the_form_was_sent_is_unconfirmed_not_unsent(
    tmp_path: Path, fresh_progress: None
) -> None:
    path = tmp_path / "ledger.sqlite3"
    with pytest.raises(NotSubmittedError), recorded_run("a", "instagram", dry_run=False, ledger_path=path):
        progress.reach(progress.Stage.SUBMITTED)
        raise NotSubmittedError("the tab was closed after your form was sent")
    assert recorded(path).outcome is Outcome.UNCONFIRMED
    assert "did not see Meta's confirmation" in progress.what_is_known()


def test_closing_the_tools_tab_while_a_slow_page_loads_is_exit_4_and_one_line(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(latency_ms=1500))
    tool = start_cli(home, "run", "--platform", "facebook", "--cdp", cdp, *FAST)
    own = person.own_tab()
    for _attempt in range(300):  # the tool opens its own tab first thing; wait for it (bounded)
        if len(person.context.pages) > 1 or tool.poll() is not None:
            break
        own.wait_for_timeout(50)
    (tab,) = [page for page in person.context.pages if page != own]
    own.wait_for_timeout(500)  # the first page is on its way, slowly
    tab.close()
    code, out, err = finish(tool)

    assert code == 4, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "closed before the form was ready" in lines[0], err
    assert last_record(home)["last_outcome"] == "not_submitted"
