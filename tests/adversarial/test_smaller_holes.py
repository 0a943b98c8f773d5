"""Issue 14, holes 8 (part) and 10: files that are not what they claim, a full disk, profile folders that cannot
be used, `--screenshot` paths, stale locks, the tool's own browser calling Google, and `demo` killed mid-walk.

Each failure must be one line with its documented exit code (README "Exit codes"), never "a bug" (exit 1).
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
from contextlib import suppress
from pathlib import Path

import pytest

from optout_bot.mock_site import MockMeta
from optout_bot.records.ledger import Ledger, Outcome
from tests.e2e.cli import FAST, Home, command, run_cli
from tests.unit.test_status import CONFIRMATION, png, record

# Every host name unresolvable: a test that goes wrong must not reach the real sites.
NOWHERE = "--browser-arg=--host-resolver-rules=MAP * ~NOTFOUND"
DRY_RUN = ("run", "--platform", "instagram", "--email", "jane.doe@example.com", "--country", "FR", "--dry-run",
           "--headless", NOWHERE, *FAST)  # fmt: skip


def config_file(home: Home) -> Path:
    path = home.root / "config" / "optout-bot" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def ledger_file(home: Home) -> Path:
    home.data.mkdir(parents=True, exist_ok=True)
    return home.data / "ledger.sqlite3"


def one_line(stderr: str) -> str:
    """The tool's single line on stderr: no traceback, no second line, no "bug"."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("optout-bot: ") and "bug" not in lines[0] and "Traceback" not in stderr, stderr
    return lines[0]


def run_limited(home: Home, *args: str, file_size: int | None = None, memory: int | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """The command with a limit the person's machine may impose: no file may grow (a full disk), or little memory."""

    def limit() -> None:
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) as on a full disk
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        command(*args), env=home.env(), capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL, preexec_fn=limit,
    )  # fmt: skip


# --- Hole 8: a deeply nested settings file ------------------------------------------------------------------------


@pytest.mark.parametrize("nested", ["[" * 100_000 + "]" * 100_000, "{b = " * 100_000 + "1" + "}" * 100_000],
                         ids=["arrays", "inline-tables"])  # fmt: skip
def test_a_deeply_nested_settings_file_is_exit_2_with_the_file(home: Home, nested: str) -> None:
    path = config_file(home)
    path.write_text(f"a = {nested}\n")
    for args in (("status",), DRY_RUN):
        result = run_cli(home, *args)
        assert result.returncode == 2
        assert one_line(result.stderr) == (
            f"optout-bot: invalid settings: {path}: lists or tables nested too deeply to read: a settings file "
            "needs no nesting beyond [[accounts]]; remove them"
        )


# --- Hole 10: reading a settings file or a receipt that is a device, a FIFO or huge --------------------------------


def test_a_settings_file_that_is_a_fifo_does_not_hang(home: Home) -> None:
    path = config_file(home)
    os.mkfifo(path)
    result = run_cli(home, "status", timeout=30)  # before: waited for a writer forever
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        f"optout-bot: invalid settings: {path}: cannot read the file: not a regular file (a device, a pipe or a socket)"
    )


def test_a_settings_file_that_is_a_device_is_not_read(home: Home) -> None:
    config_file(home).symlink_to("/dev/zero")
    result = run_limited(home, "status", memory=2_000_000_000)  # before: read /dev/zero until memory ran out
    assert result.returncode == 2
    assert "cannot read the file: not a regular file" in one_line(result.stderr)


def test_a_huge_settings_file_is_refused_unread(home: Home) -> None:
    config_file(home).write_text("# " + "x" * 5_000_000 + "\n")
    result = run_cli(home, "status")
    assert result.returncode == 2
    assert "cannot read the file: larger than 1 MB" in one_line(result.stderr)


@pytest.fixture
def confirmed_receipt(home: Home) -> Path:
    """personal objected on Instagram; its receipt sits where the runner keeps them."""
    receipt = home.data / "receipts" / "20261129-101500-personal-instagram-confirmation.png"
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(png(200, 100))
    with Ledger.open(ledger_file(home)) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, CONFIRMATION)
    return receipt


def test_a_receipt_that_is_a_fifo_is_named_in_the_report_not_waited_for(home: Home, confirmed_receipt: Path) -> None:
    confirmed_receipt.unlink()
    os.mkfifo(confirmed_receipt)
    result = run_cli(home, "report", "--format", "md", "--out", "-", timeout=30)
    assert result.returncode == 0, result.stderr
    # Named by its file name: the report shows no folder of the computer (issue 17.3)
    assert f"receipt file unreadable: {confirmed_receipt.name} (not a regular file" in result.stdout.replace("\\", "")


def test_a_receipt_that_is_a_device_is_not_embedded(home: Home, confirmed_receipt: Path) -> None:
    confirmed_receipt.unlink()
    confirmed_receipt.symlink_to("/dev/zero")
    result = run_limited(home, "report", "--format", "md", "--out", "-", memory=2_000_000_000)
    assert result.returncode == 0, result.stderr
    # Named by its file name: the report shows no folder of the computer (issue 17.3)
    assert f"receipt file unreadable: {confirmed_receipt.name} (not a regular file" in result.stdout.replace("\\", "")


# --- Hole 10: `status` and `report` on a full disk -----------------------------------------------------------------


def test_status_and_report_work_on_a_full_disk(home: Home, confirmed_receipt: Path) -> None:
    """No file may grow (RLIMIT_FSIZE 0: every write fails as on a full disk): reading must still work."""
    status = run_limited(home, "status", file_size=0)
    assert status.returncode == 0, status.stderr
    assert "personal  instagram" in status.stdout and "confirmed" in status.stdout
    report = run_limited(home, "report", "--format", "md", "--out", "-", file_size=0)
    assert report.returncode == 0, report.stderr
    assert CONFIRMATION in report.stdout


def test_reading_an_old_ledger_does_not_migrate_it_on_disk(home: Home, confirmed_receipt: Path) -> None:
    path = ledger_file(home)
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    before = path.read_bytes()
    assert run_cli(home, "status").returncode == 0
    assert path.read_bytes() == before
    assert version >= 1


# --- Hole 8: a damaged ledger, for every command that opens it ----------------------------------------------------


def damage(path: Path, how: str) -> None:
    if how == "garbage":
        path.write_bytes(os.urandom(20_000))
    elif how == "truncated":
        with Ledger.open(path) as ledger:
            for _ in range(300):
                record(ledger, "personal", "instagram", Outcome.NOT_SUBMITTED)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "folder":
        path.mkdir()
    elif how == "fifo":  # reading it would wait for a writer forever
        os.mkfifo(path)
    elif how == "other-schema":  # another program's database, with a version number optout-bot knows
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE runs (x)")
        conn.execute("PRAGMA user_version = 3")
        conn.close()


@pytest.mark.parametrize("how", ["garbage", "truncated", "folder", "fifo", "other-schema"])
@pytest.mark.parametrize(
    "args",
    [("status",), ("report", "--out", "-"), ("verify", "--headless", *FAST[:2]), DRY_RUN],
    ids=["status", "report", "verify", "run"],
)
def test_a_damaged_ledger_is_exit_2_with_the_file_and_the_fix(home: Home, how: str, args: tuple[str, ...]) -> None:
    path = ledger_file(home)
    damage(path, how)
    result = run_cli(home, *args)
    assert result.returncode == 2, result.stderr
    line = one_line(result.stderr)
    assert f"the ledger {path} is" in line and "move it aside" in line


@pytest.mark.parametrize("how", ["garbage", "folder", "other-schema"])
def test_doctor_names_a_damaged_ledger_and_the_fix(home: Home, how: str) -> None:
    path = ledger_file(home)
    damage(path, how)
    result = run_cli(home, "doctor")
    assert result.returncode != 1, result.stderr
    assert f"The ledger {path} cannot be used" in result.stdout and "move it aside" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# --- Hole 8 and 10: a browser profile folder that cannot be used, or is a symbolic link ----------------------------


def profiles(home: Home) -> Path:
    return home.data / "profiles"


@pytest.mark.parametrize("where", ["the folder", "its parent"])
def test_a_file_where_the_profile_folder_should_be_is_exit_7_with_the_folder(home: Home, where: str) -> None:
    profile = profiles(home) / "default"
    in_the_way = profile if where == "the folder" else profile.parent
    in_the_way.parent.mkdir(parents=True, exist_ok=True)
    in_the_way.write_text("not a folder\n")
    result = run_cli(home, *DRY_RUN)
    assert result.returncode == 7, result.stderr
    line = one_line(result.stderr)
    assert line.startswith(f"optout-bot: Cannot use the browser profile folder {profile} (")
    assert line.endswith("(not files), or move what is in the way aside.")


def test_a_symlinked_profile_folder_is_refused_and_its_target_left_alone(home: Home, tmp_path: Path) -> None:
    target = tmp_path / "shared-folder"
    target.mkdir(mode=0o755)
    target.chmod(0o755)
    profiles(home).mkdir(parents=True)
    (profiles(home) / "default").symlink_to(target)
    result = run_cli(home, *DRY_RUN)
    assert result.returncode == 7, result.stderr
    assert one_line(result.stderr) == (
        f"optout-bot: The browser profile folder {profiles(home) / 'default'} is a symbolic link: optout-bot only "
        "uses a folder of its own. Remove the link (optout-bot makes a new folder), or use your own browser with --cdp."
    )
    assert target.stat().st_mode & 0o777 == 0o755  # before: chmod 0700 through the link
    assert list(target.iterdir()) == []  # and Chromium never wrote its profile into someone else's folder


def test_a_symlinked_data_folder_is_used_without_changing_its_targets_permissions(tmp_path: Path) -> None:
    from optout_bot.paths import private_dir

    target = tmp_path / "on-another-disk"
    target.mkdir()
    target.chmod(0o750)
    link = tmp_path / "optout-bot"
    link.symlink_to(target)
    assert private_dir(link) == link
    assert target.stat().st_mode & 0o777 == 0o750
    assert private_dir(link / "receipts").stat().st_mode & 0o777 == 0o700  # what is inside is still private


# --- Hole 8 and 10: `--screenshot` paths ---------------------------------------------------------------------------


def dry_run_on(site: MockMeta, *args: str) -> tuple[str, ...]:
    return (*DRY_RUN[: -len(FAST) - 1], *(f"--browser-arg={flag}" for flag in site.chromium_args()), *FAST, *args)


def test_a_screenshot_folder_blocked_by_a_file_is_exit_2_before_the_browser(
    home: Home, site: MockMeta, tmp_path: Path
) -> None:
    (tmp_path / "shots").write_text("a file where the folder would go\n")
    shot = tmp_path / "shots" / "form.png"
    result = run_cli(home, *dry_run_on(site, "--screenshot", str(shot)))
    assert result.returncode == 2, result.stderr
    assert one_line(result.stderr) == (
        f"optout-bot: --screenshot {shot} cannot be created: {tmp_path / 'shots'} is a file, not a folder"
    )
    assert site.requests == []  # refused while planning: no browser reached the site


def test_a_screenshot_path_that_is_a_folder_is_exit_2(home: Home, site: MockMeta, tmp_path: Path) -> None:
    result = run_cli(home, *dry_run_on(site, "--screenshot", str(tmp_path)))
    assert result.returncode == 2, result.stderr
    assert "is a directory" in result.stderr and "Traceback" not in result.stderr
    assert site.requests == []


def test_a_screenshot_never_overwrites_a_file_that_is_not_a_screenshot(
    home: Home, site: MockMeta, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.png"  # a typo, or the wrong tab completion: the person's own file
    notes.write_text("my notes\n")
    result = run_cli(home, *dry_run_on(site, "--screenshot", str(notes)))
    assert result.returncode == 2, result.stderr
    assert one_line(result.stderr) == (
        f"optout-bot: --screenshot {notes} exists and is not a PNG picture: optout-bot will not overwrite it; "
        "give another file name"
    )
    assert notes.read_text() == "my notes\n"
    assert site.requests == []


def test_an_earlier_screenshot_is_replaced_and_the_person_is_told(home: Home, site: MockMeta, tmp_path: Path) -> None:
    shot = tmp_path / "form.png"
    shot.write_bytes(png(10, 10))
    before = shot.read_bytes()
    result = run_cli(home, *dry_run_on(site, "--screenshot", str(shot)))
    assert result.returncode == 0, result.stderr
    assert f"Replacing the earlier picture {shot}." in result.stdout
    assert shot.read_bytes() != before and shot.read_bytes().startswith(b"\x89PNG")


# --- Hole 10: the tool's own browser calling Google's services ----------------------------------------------------

GOOGLE_SERVICES = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com", "gvt2.com", "googleusercontent.com",
                   "doubleclick.net", "google-analytics.com", "googletagmanager.com")  # fmt: skip


def test_the_tools_own_browser_calls_no_google_service_during_a_walk(home: Home, site: MockMeta) -> None:
    """The mock resolves EVERY host name to itself, so a call to Google's update, account or autofill service
    lands there and is recorded (before: ListAccounts, update2 and the autofill query with Meta's form)."""
    result = run_cli(home, *dry_run_on(site))
    assert result.returncode == 0, result.stderr
    called = sorted({f"{r.host}{r.path}" for r in site.requests if r.host.endswith(GOOGLE_SERVICES)})
    assert called == []
    assert any(r.host.endswith("instagram.com") for r in site.requests)  # the walk itself did reach the mock


# --- Hole 10: `kill -9` of `demo` leaves its temporary profile behind --------------------------------------------


def demo_profiles(home: Home) -> list[Path]:
    folder = home.root / "cache" / "optout-bot" / "demo-profiles"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_demo_killed_mid_walk_leaves_no_profile_after_the_next_demo(home: Home, tmp_path: Path) -> None:
    demo = ("demo", "--platform", "instagram", "--headless", "--dry-run", *FAST)
    killed = subprocess.Popen(
        command(*demo), env=home.env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        text=True, start_new_session=True,  # its own group: the browser it started is ended with it below
    )  # fmt: skip
    assert killed.stdout is not None
    try:
        for line in killed.stdout:
            if "Looking for Meta's objection form" in line:  # the browser is open on its profile: mid-walk
                break
        else:
            raise AssertionError("the demo ended before its walk began")
        left = demo_profiles(home)
        assert [folder.name.split("-")[0] for folder in left] == [str(killed.pid)]
        os.kill(killed.pid, signal.SIGKILL)  # kill -9 of `optout-bot demo`
        killed.wait(timeout=30)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(killed.pid, signal.SIGKILL)  # the driver and browser it left, if still there
        killed.stdout.close()
    assert demo_profiles(home) == left  # before the next demo, the killed one's profile is still there

    again = run_cli(home, *demo)
    assert again.returncode == 0, again.stderr
    assert demo_profiles(home) == []  # the killed demo's profile is gone, and so is this one's
