"""`optout-bot status` and `optout-bot report`, run as the person runs them, on a ledger made beforehand."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from optout_bot.records.ledger import Ledger, Outcome
from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import Home, run_cli
from tests.unit.test_status import CONFIRMATION, png, record

NO_RUN = "optout-bot: no run recorded yet: run `optout-bot run --platform instagram` (or facebook) first\n"


def ledger_path(home: Home) -> Path:
    return home.data / "ledger.sqlite3"


def save_settings(home: Home) -> None:
    accounts = (Account(name="personal", platform="instagram"), Account(name="work", platform="facebook"))
    write_config(
        Config(email="jane@example.com", accounts=accounts), home.root / "config" / "optout-bot" / "config.toml"
    )


@pytest.fixture
def objected(home: Home) -> Path:
    """personal objected on Instagram (the receipt where the runner keeps them); work was not offered it."""
    receipt = home.data / "receipts" / "20261129-101500-personal-instagram-confirmation.png"
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(png(200, 100))
    save_settings(home)
    with Ledger.open(ledger_path(home)) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, CONFIRMATION)
        record(ledger, "work", "facebook", Outcome.NOT_OFFERED)
    return receipt


# --- status -----------------------------------------------------------------------------------------------------


def test_status_before_any_run_says_so_and_creates_no_ledger(home: Home) -> None:
    save_settings(home)
    result = run_cli(home, "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No run recorded yet:")
    assert "personal  instagram  never run" in result.stdout
    assert not ledger_path(home).exists()


def test_status_shows_the_table_and_the_receipt(home: Home, objected: Path) -> None:
    result = run_cli(home, "status", TZ="UTC")
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[1].startswith("personal  instagram  confirmed ")
    assert lines[2].startswith("work      facebook   not offered by Meta ")
    assert f"  personal (instagram): {objected}" in lines
    assert lines[-1] == "Times are local (UTC+00:00)."


def test_status_json_is_for_scripts(home: Home, objected: Path) -> None:
    result = run_cli(home, "status", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["schema"], document["ledger"]) == (1, str(ledger_path(home)))
    personal, work = document["accounts"]
    assert (personal["last_outcome"], personal["receipt"]) == ("confirmed", str(objected))
    assert (work["last_outcome"], work["confirmed_at"]) == ("not_offered", None)


def test_status_on_a_damaged_ledger_is_one_line_and_exit_2(home: Home) -> None:
    ledger_path(home).parent.mkdir(parents=True)
    ledger_path(home).write_bytes(b"not a ledger " * 500)
    result = run_cli(home, "status")
    assert result.returncode == 2
    assert result.stderr.startswith("optout-bot: the ledger ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_status_on_a_broken_settings_file_is_one_line_and_exit_2(home: Home) -> None:
    settings = home.root / "config" / "optout-bot" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("schema_version = 1\ncountry = FR\n")
    result = run_cli(home, "status")
    assert result.returncode == 2
    assert result.stderr.startswith("optout-bot: invalid settings: ") and result.stderr.count("\n") == 1


# --- report -----------------------------------------------------------------------------------------------------


def test_report_writes_a_new_private_html_file_and_prints_its_path(home: Home, objected: Path) -> None:
    result = run_cli(home, "report")
    assert result.returncode == 0, result.stderr
    (written,) = (home.data / "reports").glob("*-objection-report.html")
    assert result.stdout == f"Report written: {written}\n"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    text = written.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "data:image/png;base64," in text
    assert [p.name for p in (home.data / "reports").iterdir()] == [written.name]  # no temporary file left


def test_report_to_standard_output(home: Home, objected: Path) -> None:
    result = run_cli(home, "report", "--format", "md", "--out", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Objection to Meta")
    assert "## personal — Instagram" in result.stdout and "data:image/png;base64," in result.stdout
    assert not (home.data / "reports").exists()


def test_report_to_a_chosen_file(home: Home, objected: Path, tmp_path: Path) -> None:
    out = tmp_path / "for-the-authority.md"
    result = run_cli(home, "report", "--format", "md", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Report written: {out}\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text(encoding="utf-8").startswith("# ")


def test_report_with_no_run_is_exit_2_and_one_line(home: Home) -> None:
    save_settings(home)
    result = run_cli(home, "report")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", NO_RUN)
    assert not ledger_path(home).exists() and not (home.data / "reports").exists()


def test_report_into_a_missing_folder_is_exit_2(home: Home, objected: Path, tmp_path: Path) -> None:
    result = run_cli(home, "report", "--out", str(tmp_path / "nowhere" / "report.html"))
    assert result.returncode == 2
    assert result.stderr.startswith("optout-bot: cannot write the report ") and result.stderr.count("\n") == 1


# --- start-up cost ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "report"])
def test_help_does_not_load_playwright_or_loguru(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", command, "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "7  browser problem" in result.stdout
    assert "playwright" not in result.stderr and "loguru" not in result.stderr  # every module imported is listed


@pytest.mark.parametrize("args", [["status"], ["report", "--out", "-"]])
def test_status_and_report_do_not_load_playwright(args: list[str], home: Home, objected: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", *args], env=home.env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "playwright" not in result.stderr and "loguru" not in result.stderr  # they read files, no browser
