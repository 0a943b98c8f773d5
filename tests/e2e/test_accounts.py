"""Accounts, the ledger and its receipts, `--all`, `--from-link`, `login`, and a run killed with SIGKILL.

The real CLI in a subprocess against the mock Meta site; the settings file and the ledger are the real ones
in the test's home folder, read back with the tool's own API and with plain sqlite3.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.records.ledger import Ledger, Outcome, RunRecord
from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import submit_as_person
from tests.e2e.person import READY, Person
from tests.e2e.test_objection import connect_when_ready, free_port
from tests.e2e.test_obstacles import log_in_as_person
from tests.support.chromium import launch_cdp_chromium

FACEBOOK_FORM = "https://www.facebook.com/help/contact/712876720715583"
DRY = ("--headless", "--dry-run", "--step-timeout", "5")


def ledger_of(home: Home) -> Path:
    return home.data / "ledger.sqlite3"


def config_of(home: Home) -> Path:
    return home.root / "config" / "optout-bot" / "config.toml"


def mock_args(site: MockMeta) -> list[str]:
    return [f"--browser-arg={flag}" for flag in site.chromium_args()]


def confirmed_earlier(home: Home, account: str, platform: str) -> int:
    """A confirmation recorded by an earlier run (the ledger API, as `run` writes it)."""
    with Ledger.open(ledger_of(home)) as ledger:
        run_id = ledger.start_run(account, platform, dry_run=False)
        ledger.finish_run(run_id, Outcome.CONFIRMED, 0, FACEBOOK_FORM, "settings-privacy-center", "Done.", None)
    return run_id


def test_a_submitted_objection_is_in_the_ledger_with_its_receipt(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    tool = start_cli(home, "run", "--platform", "facebook", "--cdp", cdp, "--country", "FR", *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    with sqlite3.connect(f"{ledger_of(home).as_uri()}?mode=ro", uri=True) as db:  # while the person reviews
        row = db.execute("SELECT account, platform, outcome, exit_code FROM runs").fetchone()
    assert row == ("default", "facebook", "interrupted", None)
    submit_as_person(tab, site)
    code, _, err = finish(tool)

    assert code == 0, err
    with Ledger.open(ledger_of(home)) as ledger:
        (record,) = ledger.runs()
    assert (record.account, record.platform, record.exit_code) == ("default", "facebook", 0)
    assert record.outcome is Outcome.CONFIRMED and not record.dry_run
    assert record.form_url == FACEBOOK_FORM and record.route == "settings-privacy-center"
    assert record.confirmation_text and "applied going forward" in record.confirmation_text
    assert record.receipt_path is not None and record.receipt_path.parent == home.data / "receipts"
    assert record.receipt_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert oct(record.receipt_path.stat().st_mode & 0o777) == "0o600"
    assert record.ended_at is not None and record.started_at <= record.ended_at


def test_a_run_that_fails_is_recorded_with_its_outcome(home: Home) -> None:
    with MockMeta(Scenario(region_offered=False)) as site:
        result = run_cli(home, "run", "--platform", "instagram", *DRY, *mock_args(site))
    assert result.returncode == 3, result.stderr
    with Ledger.open(ledger_of(home)) as ledger:
        (record,) = ledger.runs()
    assert (record.outcome, record.exit_code, record.dry_run) == (Outcome.NOT_OFFERED, 3, True)


def test_run_all_goes_through_the_accounts_not_yet_confirmed_and_survives_one_failing(home: Home) -> None:
    write_config(
        Config(
            email="jane.doe@example.com",
            country="BE",
            accounts=(
                Account(name="personal", platform="instagram"),
                Account(name="work", platform="facebook"),
                Account(name="art", platform="instagram"),
            ),
        ),
        config_of(home),
    )
    earlier = confirmed_earlier(home, "personal", "instagram")
    busy = launch_cdp_chromium(home.data / "profiles" / "work", [])  # the person has the work profile open
    try:
        with MockMeta() as site:
            result = run_cli(home, "run", "--all", *DRY, *mock_args(site), timeout=180)
            assert site.posts() == []
    finally:
        busy.stop()

    assert result.returncode == 7, result.stderr  # the first failure's code: the profile in use
    assert "personal (Instagram): Meta already confirmed the objection" in result.stdout
    assert "same Meta Accounts Center" in result.stdout
    assert "Account 1 of 2: work (Facebook)" in result.stdout and "Account 2 of 2: art (Instagram)" in result.stdout
    assert "in use" in result.stderr
    with Ledger.open(ledger_of(home)) as ledger:
        runs = {(r.account, r.outcome) for r in ledger.runs()}
        assert ledger.runs()[0].id == earlier
    assert runs == {("personal", "confirmed"), ("work", "browser_problem"), ("art", "dry_run_ready")}

    forced = run_cli(home, "run", "--all", "--force", "--platform", "instagram", "--dry-run", "--headless")
    assert forced.returncode != 2, forced.stderr  # --force reaches the confirmed account again (no mock: fails later)
    assert "Account 1 of 2: personal (Instagram)" in forced.stdout


def test_a_confirmed_account_is_not_run_again_without_force(home: Home) -> None:
    confirmed_earlier(home, "default", "facebook")
    result = run_cli(home, "run", "--platform", "facebook", *DRY)
    assert result.returncode == 0, result.stderr
    assert "already confirmed" in result.stdout and "--force" in result.stdout
    with Ledger.open(ledger_of(home)) as ledger:
        assert len(ledger.runs()) == 1  # nothing was started


def test_the_link_from_metas_email_is_the_first_way_tried(home: Home) -> None:
    link = f"{FACEBOOK_FORM}?ref=email_notification&token=ABCsecret123"
    with MockMeta() as site:
        result = run_cli(home, "run", "--from-link", link, *DRY, *mock_args(site))
        visited = [f"{r.host}{r.path}" for r in site.requests if r.host.endswith(".facebook.com")]
    assert result.returncode == 0, result.stderr
    assert "[1/2] Opening the link from Meta's email…" in result.stdout  # the first way tried, and the shortest
    assert "ABCsecret123" not in result.stdout + result.stderr
    assert visited[0] == "www.facebook.com/help/contact/712876720715583"
    with Ledger.open(ledger_of(home)) as ledger:
        (record,) = ledger.runs()
    assert (record.platform, record.route, record.form_url) == ("facebook", "from-link", FACEBOOK_FORM)


def test_a_link_that_is_not_metas_is_refused_before_any_browser_starts(home: Home) -> None:
    result = run_cli(home, "run", "--from-link", "https://www.facebook.com.account-check.example/help/contact/1")
    assert result.returncode == 6
    assert "phishing" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not ledger_of(home).exists()


def test_login_without_a_screen_says_why(home: Home) -> None:
    result = run_cli(home, "login", "--platform", "instagram")
    assert result.returncode == 7
    assert "needs a browser window" in result.stderr


@pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="needs xvfb-run for a headed browser (scripts/test installs it on Debian)"
)
def test_login_keeps_the_session_in_the_accounts_profile_for_later_runs(home: Home, playwright: Playwright) -> None:
    write_config(Config(accounts=(Account(name="work", platform="facebook"),)), config_of(home))
    with MockMeta(Scenario(require_login=True)) as site:
        port = free_port()
        flags = [*mock_args(site), f"--browser-arg=--remote-debugging-port={port}"]
        tool = start_cli(home, "login", "--account", "work", "--login-timeout", "60", *flags, prefix=("xvfb-run", "-a"))
        person = Person(connect_when_ready(playwright, port, tool))
        tab = person.tool_tab(tool, banner_text="please log in")
        log_in_as_person(tab)
        code, out, err = finish(tool)
        assert code == 0, err
        assert "You are logged in to Facebook in the profile 'work'" in out

        # The next run, in the same profile, finds the person logged in: Meta does not ask again.
        later = run_cli(home, "run", "--account", "work", *DRY, *mock_args(site))
    assert later.returncode == 0, later.stderr
    assert "log in" not in later.stdout
    assert oct((home.data / "profiles" / "work").stat().st_mode & 0o777) == "0o700"


# --- SIGKILL ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_run_killed_at_any_moment_loses_nothing_and_leaves_a_ledger_that_opens(home: Home, cdp: str) -> None:
    """Kill real runs with SIGKILL at moments from start-up to the wait for the person; after each, the
    ledger opens cleanly, passes SQLite's integrity check, still holds every earlier record unchanged, and
    the killed run reads 'interrupted'. Finally the same browser profile still works."""
    earlier = confirmed_earlier(home, "personal", "facebook")
    with Ledger.open(ledger_of(home)) as ledger:
        (before,) = ledger.runs()
    with MockMeta() as site:
        # Moments during start-up, the browser launch and the walk, on the tool's own profile…
        for delay in (0.05, 0.4, 0.9, 1.5, 2.5):
            tool = start_cli(home, "run", "--platform", "instagram", "--account", "own", *DRY, *mock_args(site))
            time.sleep(delay)  # the moment to kill at: wall-clock on purpose
            tool.send_signal(signal.SIGKILL)
            tool.wait(timeout=30)
            _check_intact(home, before)
        # …and while the real run waits for the person to review the form.
        tool = start_cli(home, "run", "--platform", "facebook", "--cdp", cdp, *FAST)
        _wait_for_output(tool, "Your form is ready in the browser")
        tool.send_signal(signal.SIGKILL)
        tool.wait(timeout=30)
        killed = _check_intact(home, before)
        assert killed[-1].outcome is Outcome.INTERRUPTED and killed[-1].ended_at is None
        assert site.posts() == []

        again = run_cli(home, "run", "--platform", "instagram", "--account", "own", *DRY, *mock_args(site))
    assert again.returncode == 0, again.stderr  # the profile survived being killed under the browser
    with Ledger.open(ledger_of(home)) as ledger:
        assert ledger.runs()[0].id == earlier and ledger.runs()[-1].outcome is Outcome.DRY_RUN_READY


def _check_intact(home: Home, before: RunRecord) -> list[RunRecord]:
    with sqlite3.connect(ledger_of(home)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Ledger.open(ledger_of(home)) as ledger:
        runs = ledger.runs()
    assert runs[0] == before
    for run in runs[1:]:  # killed (no end), or finished just before the kill: never half-written
        assert (run.outcome is Outcome.INTERRUPTED and run.ended_at is None) or run.outcome is Outcome.DRY_RUN_READY
    return runs


def _wait_for_output(tool: subprocess.Popen[str], text: str) -> None:
    assert tool.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = tool.stdout.readline()
        if text in line:
            return
        if not line and tool.poll() is not None:
            raise AssertionError(f"optout-bot exited ({tool.returncode}) before saying {text!r}")
    raise AssertionError(f"optout-bot never said {text!r}")
