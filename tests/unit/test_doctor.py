"""Each of `optout-bot doctor`'s checks, passing and failing, on a machine whose folders are under tmp."""

from __future__ import annotations

import importlib.metadata
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Playwright

from optout_bot.cli.checkup import (
    ASCII_MARKS,
    UNICODE_MARKS,
    Check,
    check_browser,
    check_data_dir,
    check_display,
    check_flows_folder,
    check_ledger,
    check_log_dir,
    check_playwright,
    check_profiles,
    check_python,
    check_settings,
    checklist_line,
    marks_for,
    summary,
)
from optout_bot.records.ledger import Ledger
from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import Home
from tests.support.chromium import launch_cdp_chromium

T = TypeVar("T")


def config_file(home: Home) -> Path:
    return home.root / "config" / "optout-bot" / "config.toml"


def write_settings(home: Home, text: str) -> Path:
    path = config_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def in_own_thread(work: Callable[[], T]) -> T:
    """Playwright's sync API allows one driver per thread, and pytest-playwright's may be running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=120)


# --- 1. Python ------------------------------------------------------------------------------------------------


def test_this_python_passes() -> None:
    check = check_python()
    assert check == Check("python", True, f"Python {sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}")


def test_an_old_python_fails_with_the_version_needed() -> None:
    check = check_python((3, 10, 12))
    assert not check.ok
    assert check.detail == "Python 3.10.12 is too old: optout-bot needs Python 3.11 or newer"
    assert check.fix is not None and "install Python 3.11 or newer" in check.fix


# --- 2. Playwright --------------------------------------------------------------------------------------------


def test_playwright_passes_with_its_version_and_a_running_driver() -> None:
    def work() -> tuple[Check, bool]:
        with ExitStack() as stack:
            check, pw = check_playwright(stack)
            return check, pw is not None and pw.chromium.name == "chromium"

    check, driver_runs = in_own_thread(work)
    assert check == Check(
        "playwright", True, f"Playwright {importlib.metadata.version('playwright')} (its driver starts)"
    )
    assert driver_runs


def test_playwright_missing_fails_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # what `import` meets when it is not installed
    with ExitStack() as stack:
        check, pw = check_playwright(stack)
    assert pw is None
    assert not check.ok and check.detail.startswith("Playwright is not installed")
    assert check.fix == f"install it: {sys.executable} -m pip install playwright (or run scripts/setup)"


# --- 3. The browser -------------------------------------------------------------------------------------------


def test_the_browser_found_is_started_and_its_version_shown(playwright: Playwright) -> None:
    check = check_browser(playwright)
    assert check.ok, check
    assert check.name == "browser"
    assert check.detail.split(", version ")[1].split(".")[0].isdigit()


def test_a_browser_chosen_by_path_that_is_not_there_fails_with_the_fix(playwright: Playwright, tmp_path: Path) -> None:
    check = check_browser(playwright, executable_path=str(tmp_path / "nowhere" / "chromium"))
    assert not check.ok and check.detail == "No browser found"
    assert check.fix is not None and "is not an executable file" in check.fix


def test_a_program_that_is_not_a_browser_fails_to_start(playwright: Playwright) -> None:
    check = check_browser(playwright, executable_path="/bin/false")
    assert not check.ok
    assert check.detail.startswith("The browser at /bin/false does not start: ")
    assert check.fix is not None and "apt install chromium" in check.fix


def test_without_playwright_the_browser_is_not_checked() -> None:
    check = check_browser(None)
    assert (check.ok, check.fix) == (False, "fix Playwright first (see above)")


# --- 4. A screen ----------------------------------------------------------------------------------------------

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="macOS and Windows always have a screen")


@linux_only
def test_no_screen_fails_and_says_that_trial_runs_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    check = check_display()
    assert not check.ok and check.detail.startswith("No screen for the browser window")
    assert check.fix is not None
    assert "the computer you sit at" in check.fix and "run --dry-run --headless" in check.fix


@linux_only
@pytest.mark.parametrize(("variable", "value"), [("DISPLAY", ":99"), ("WAYLAND_DISPLAY", "wayland-0")])
def test_a_screen_passes(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv(variable, value)
    assert check_display() == Check(
        "display", True, f"A screen is available for the browser window ({variable}={value})"
    )


# --- 5. Browser profiles in use -------------------------------------------------------------------------------


def test_no_profile_yet_passes(home: Home) -> None:
    assert check_profiles() == [Check("profiles", True, "No browser profile yet (`optout-bot login` makes one)")]


def test_free_profiles_pass_those_of_the_settings_included(home: Home) -> None:
    (home.data / "profiles" / "work").mkdir(parents=True)
    accounts = (
        Account(name="perso", platform="instagram"),
        Account(name="insta", platform="instagram", profile="shared"),
    )
    write_config(Config(accounts=accounts), config_file(home))
    assert check_profiles() == [
        Check("profiles", True, "No browser profile is in use by a running browser (3 profiles: perso, shared, work)")
    ]


@pytest.mark.browser  # a real Chromium holds the profile, as the person's would
def test_a_profile_held_by_a_running_browser_fails_with_its_pid(home: Home) -> None:
    (home.data / "profiles" / "personal").mkdir(parents=True)
    work = home.data / "profiles" / "work"
    with launch_cdp_chromium(work) as running:
        checks = check_profiles()
    assert checks == [
        Check(
            "profiles",
            False,
            f"The browser profile work ({work}) is in use by a running browser (pid {running.process.pid})",
            f"close that browser window (pid {running.process.pid}); if an optout-bot `run` or `login` is using it, "
            "let it finish first",
        )
    ]
    assert check_profiles()[0].ok  # closed: free again


def test_a_profile_locked_from_another_computer_fails_with_how_to_unlock_it(home: Home) -> None:
    work = home.data / "profiles" / "work"
    work.mkdir(parents=True)
    (work / "SingletonLock").symlink_to("laptop.example-4242")
    [check] = check_profiles()
    assert not check.ok and check.detail.endswith("is locked by a browser on another computer (laptop.example)")
    assert (
        check.fix == f"close the browser on laptop.example that uses it; if there is none, delete {work}/SingletonLock"
    )


def test_a_stale_lock_passes(home: Home) -> None:
    work = home.data / "profiles" / "work"
    work.mkdir(parents=True)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid now names no process
    (work / "SingletonLock").symlink_to(f"{socket.gethostname()}-{gone.pid}")
    assert [check.ok for check in check_profiles()] == [True]


# --- 6. The settings file -------------------------------------------------------------------------------------


def test_no_settings_file_passes_it_is_optional(home: Home) -> None:
    assert check_settings() == Check("settings", True, "No settings file: it is optional, `optout-bot init` writes one")


def test_valid_settings_pass(home: Home) -> None:
    accounts = (Account(name="perso", platform="instagram"), Account(name="work", platform="facebook"))
    path = write_config(Config(email="jane@example.com", accounts=accounts), config_file(home))
    assert check_settings() == Check("settings", True, f"The settings file {path} is valid (2 accounts)")


def test_broken_settings_fail_with_each_mistake_at_its_line(home: Home) -> None:
    path = write_settings(home, 'schema_version = 1\nemial = "jane@example.com"\n\n[[accounts]]\nname = "a b"\n')
    check = check_settings()
    assert not check.ok
    assert check.detail == f"The settings file {path} has 3 mistakes"
    assert check.fix == f"correct the lines below in {path}, or write the file anew with `optout-bot init --force`"
    assert sorted(check.items) == [
        f"{path}:2: emial: unknown setting: remove it or correct its spelling (known here: schema_version, email, "
        "country, language, reason, full_name, phone, accounts, flows_dir)",
        f'{path}:4: accounts.0.platform: required: add a line such as platform = "…"',
        f"{path}:5: accounts.0.name: 'a b' is not allowed: use letters, digits, '.', '_' or '-' (up to 64)",
    ]


@pytest.fixture
def bundled_flows_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder of flows is chosen for the whole process (optout_bot.bundled): each test chooses its own."""
    from optout_bot import bundled

    monkeypatch.setattr(bundled, "_override", None)
    monkeypatch.setattr(bundled, "_find_override", None)


def _flows_as_the_command_line_chose() -> Check:
    """check_flows_folder after the command group chose as for `optout-bot doctor` (the settings' flows_dir)."""
    from optout_bot.bundled import use_flows_from
    from optout_bot.settings.config import flows_dir_setting

    use_flows_from(None, otherwise=flows_dir_setting)
    return check_flows_folder()


def test_the_bundled_flows_pass(home: Home, bundled_flows_again: None) -> None:
    assert _flows_as_the_command_line_chose() == Check("flows", True, "The bundled flow files are in use")


def test_the_settings_folder_of_flows_is_named_with_the_files_it_replaces(
    home: Home, bundled_flows_again: None, tmp_path: Path
) -> None:
    (tmp_path / "my-flows" / "words").mkdir(parents=True)
    (tmp_path / "my-flows" / "instagram.yaml").write_text("", encoding="utf-8")
    (tmp_path / "my-flows" / "words" / "fr.yaml").write_text("", encoding="utf-8")
    write_settings(home, f'flows_dir = "{tmp_path / "my-flows"}"\n')
    check = _flows_as_the_command_line_chose()
    assert check == Check(
        "flows",
        True,
        f"Flow files from {tmp_path / 'my-flows'} replace the bundled ones: instagram.yaml, words/fr.yaml",
    )


def test_a_settings_folder_of_flows_that_is_not_there_fails_with_its_line(
    home: Home, bundled_flows_again: None, tmp_path: Path
) -> None:
    path = write_settings(home, f'schema_version = 1\nflows_dir = "{tmp_path / "gone"}"\n')
    check = _flows_as_the_command_line_chose()
    assert not check.ok
    assert check.detail == "The folder of flow files named in the settings cannot be used"
    assert check.fix == f"correct the line below in {path}, or remove it to use the bundled flows"
    assert check.items == (
        f"{path}:2: flows_dir: there is no folder {tmp_path / 'gone'}: create it, correct the path, or remove the line",
    )
    assert check_settings().ok  # the file itself is valid: only the folder it names is missing


def test_settings_that_cannot_be_read_leave_the_folder_of_flows_unknown(home: Home, bundled_flows_again: None) -> None:
    write_settings(home, "schema_version = 1\ncountry = FR\n")
    check = _flows_as_the_command_line_chose()
    assert (check.ok, check.fix, check.items) == (False, "correct the settings file first (see above)", ())


def test_settings_that_are_not_toml_fail_at_the_line(home: Home) -> None:
    path = write_settings(home, "schema_version = 1\ncountry = FR\n")
    check = check_settings()
    assert check.detail == f"The settings file {path} has 1 mistake"
    assert check.fix is not None and check.fix.startswith("correct the line below")
    assert check.items == (
        f'{path}:2: not valid TOML: Invalid value (column 11): text needs double quotes, such as country = "FR"',
    )


# --- 7. The data folder and the ledger; 8. the log folder -----------------------------------------------------


def test_the_data_folder_is_created_private_and_passes(home: Home) -> None:
    assert check_data_dir() == Check("data_dir", True, f"Data folder {home.data} is writable")
    assert home.data.stat().st_mode & 0o777 == 0o700
    assert list(home.data.iterdir()) == []  # the trial file is gone


def test_a_data_folder_that_cannot_exist_fails(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a regular file no folder can be made, even by root (whom chmod does not stop)."""
    blocker = home.root / "not-a-folder"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    check = check_data_dir()
    folder = blocker / "data" / "optout-bot"
    assert check.detail == f"Cannot write in the folder {folder}: Not a directory"
    assert check.fix is not None and check.fix.startswith(f"make sure {folder} is a folder that belongs to you")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes in a read-only folder all the same")
def test_a_read_only_data_folder_fails(home: Home) -> None:
    home.data.mkdir(parents=True, mode=0o700)
    home.data.chmod(0o500)
    try:
        check = check_data_dir()
    finally:
        home.data.chmod(0o700)
    assert check.detail == f"Cannot write in the folder {home.data}: Permission denied"


def test_a_new_ledger_is_created_and_passes(home: Home) -> None:
    path = home.data / "ledger.sqlite3"
    assert check_ledger() == Check("ledger", True, f"The ledger {path} opens (0 runs recorded)")
    assert path.is_file()


def test_a_ledger_with_runs_passes_and_says_how_many(home: Home) -> None:
    with Ledger.open(home.data / "ledger.sqlite3") as ledger:
        ledger.start_run("perso", "instagram", dry_run=True)
    assert check_ledger().detail.endswith("opens (1 run recorded)")


def test_a_damaged_ledger_fails_with_its_one_line_message(home: Home) -> None:
    path = home.data / "ledger.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, only some text long enough to be read as a header\n" * 20)
    check = check_ledger()
    assert not check.ok and check.detail == f"The ledger {path} cannot be used"
    assert check.fix is not None
    assert check.fix.startswith(f"the ledger {path} is damaged or is not an optout-bot ledger")
    assert "\n" not in check.fix


def test_the_log_folder_passes(home: Home) -> None:
    folder = home.root / "state" / "optout-bot" / "logs"
    assert check_log_dir() == Check("log_dir", True, f"Log folder {folder} is writable")


def test_a_log_folder_that_cannot_exist_fails(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = home.root / "not-a-folder"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    check = check_log_dir()
    assert not check.ok and check.detail.startswith(f"Cannot write in the folder {blocker}/optout-bot/logs: ")


# --- The checklist --------------------------------------------------------------------------------------------


def test_a_line_per_check_with_the_fix_after_a_failure() -> None:
    passed = Check("python", True, "Python 3.11.2")
    failed = Check("settings", False, "The settings file x has 1 mistake", "correct it", ("x:3: what",))
    assert checklist_line(passed, UNICODE_MARKS) == "✓ Python 3.11.2"
    assert (
        checklist_line(failed, UNICODE_MARKS) == "✗ The settings file x has 1 mistake — fix: correct it\n    x:3: what"
    )
    assert checklist_line(failed, ASCII_MARKS).startswith("FAIL The settings file x has 1 mistake - fix: correct it")
    assert checklist_line(passed, ASCII_MARKS) == "OK Python 3.11.2"


@pytest.mark.parametrize(
    ("encoding", "marks"),
    [("utf-8", UNICODE_MARKS), ("UTF-16", UNICODE_MARKS), ("cp1252", ASCII_MARKS), ("ascii", ASCII_MARKS),
     (None, ASCII_MARKS), ("no-such-codec", ASCII_MARKS)],
)  # fmt: skip
def test_marks_fall_back_to_ascii_where_the_terminal_cannot_print_them(encoding: str | None, marks: object) -> None:
    assert marks_for(encoding) == marks


def test_the_summary_counts_the_failures() -> None:
    passed = Check("python", True, "Python 3.11.2")
    failed = Check("display", False, "No screen", "sit at it")
    assert summary([passed]) == "All checks passed: optout-bot is ready."
    assert summary([passed, failed]) == ("1 check failed: do what its line says, then run `optout-bot doctor` again.")
    assert summary([failed, failed]).startswith("2 checks failed: do what their lines say")
