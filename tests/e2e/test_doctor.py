"""`optout-bot doctor`, run as the person runs it: the checklist, each failure's fix, and the exit code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.cli import Home, run_cli
from tests.support.browsers import skip_if_a_browser_is_outside_path

NAMES = ["python", "playwright", "browser", "display", "profiles", "settings", "flows", "data_dir", "ledger", "log_dir"]
NO_SCREEN_FIX = (
    "— fix: run optout-bot on the computer you sit at, in its desktop session. Without a screen, trial runs still "
    "work: `optout-bot run --dry-run --headless` and `optout-bot demo --dry-run --headless`"
)


def write_settings(home: Home, text: str) -> Path:
    path = home.root / "config" / "optout-bot" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_screen_the_display_check_fails_with_its_fix_and_the_rest_pass(home: Home) -> None:
    result = run_cli(home, "doctor")  # run_cli's environment has no DISPLAY
    assert (result.returncode, result.stderr) == (2, "")
    lines = result.stdout.splitlines()
    assert len(lines) == len(NAMES) + 1
    assert lines[0] == f"✓ Python {sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"
    assert re.fullmatch(r"✓ Playwright \d+\.\d+\.\d+ \(its driver starts\)", lines[1])
    assert re.fullmatch(r"✓ .+, version \d+\.\d+\.\d+\.\d+", lines[2]), lines[2]
    assert lines[3].startswith("✗ No screen for the browser window") and lines[3].endswith(NO_SCREEN_FIX)
    assert [line[0] for line in lines[4:-1]] == ["✓"] * (len(NAMES) - 4)
    assert lines[-1] == "1 check failed: do what its line says, then run `optout-bot doctor` again."


def test_with_a_screen_every_check_passes_and_the_exit_code_is_0(home: Home) -> None:
    result = run_cli(home, "doctor", DISPLAY=":99")
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert [line[0] for line in lines[:-1]] == ["✓"] * len(NAMES)
    assert "✓ A screen is available for the browser window (DISPLAY=:99)" in lines
    assert lines[-1] == "All checks passed: optout-bot is ready."
    assert (home.data / "ledger.sqlite3").is_file()


def test_a_broken_settings_file_is_reported_at_its_line(home: Home) -> None:
    path = write_settings(home, 'schema_version = 1\nemail = "jane@example.com"\ncountry = FR\n')
    result = run_cli(home, "doctor", DISPLAY=":99")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    at = lines.index(
        f"✗ The settings file {path} has 1 mistake — fix: correct the line below in {path}, or write the file anew "
        "with `optout-bot init --force`"
    )
    assert lines[at + 1] == (
        f'    {path}:3: not valid TOML: Invalid value (column 11): text needs double quotes, such as country = "FR"'
    )
    # Which folder of flows the file names cannot be known either: that check says so, and to fix the file first.
    assert (
        "✗ Which flow files are in use is not known while the settings file cannot be read — fix: correct the "
        "settings file first (see above)" in lines
    )
    assert lines[-1].startswith("2 checks failed")


def test_no_browser_anywhere_fails_with_how_to_install_one(home: Home, tmp_path: Path) -> None:
    skip_if_a_browser_is_outside_path()
    nothing = tmp_path / "empty"
    nothing.mkdir()
    result = run_cli(home, "doctor", DISPLAY=":99", PATH=str(nothing), PLAYWRIGHT_BROWSERS_PATH=str(nothing))
    assert result.returncode == 2
    line = next(line for line in result.stdout.splitlines() if line.startswith("✗"))
    assert line.startswith("✗ No browser found — fix: No Chromium-family browser found: install Google Chrome ")
    assert "sudo apt install chromium" in line and "-m playwright install chromium" in line


def test_json_for_a_bug_report(home: Home) -> None:
    write_settings(home, "schema_version = 1\n")
    result = run_cli(home, "doctor", "--json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert (report["schema"], report["ok"]) == (1, False)
    assert [check["name"] for check in report["checks"]] == NAMES
    failed = [check for check in report["checks"] if not check["ok"]]
    assert [check["name"] for check in failed] == ["display"]
    assert failed[0]["fix"].startswith("run optout-bot on the computer you sit at")


def test_a_terminal_that_cannot_print_the_marks_gets_ok_and_fail(home: Home) -> None:
    result = run_cli(home, "doctor", PYTHONIOENCODING="cp1252")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OK Python ")
    assert lines[3].startswith("FAIL No screen for the browser window") and " - fix: run optout-bot" in lines[3]


def test_help_names_the_exit_codes_and_loads_neither_playwright_nor_pydantic(home: Home) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", "doctor", "--help"],
        env=home.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "exit code 0 only when all pass, 2 otherwise" in " ".join(result.stdout.split())
    assert "2  a check failed: its line says how to fix it" in result.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "optout_bot" in imported
    assert not imported & {"playwright", "pydantic", "loguru"}
