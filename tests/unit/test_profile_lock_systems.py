"""Whether a browser holds a profile, told the way each system can tell it.

Linux and macOS: Chromium's SingletonLock symlink "host-pid"; a lock whose pid is alive is checked against that
process's command line (--user-data-dir): /proc on Linux (tests/browser/test_browser.py), `ps` on macOS, which has
no /proc. Windows: no symlink; Chromium keeps <profile>/lockfile open, letting others only read it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout_bot.cli.checkup import Check, check_profiles
from optout_bot.walk import browser
from optout_bot.walk.browser import ProfileInUse, System, profile_in_use
from tests.e2e.cli import Home


def fake(platform: str) -> System:
    return System(platform=platform, environ={}, home=Path("/nowhere"), python=sys.executable)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    folder = tmp_path / "Application Support" / "optout-bot" / "profiles" / "personal"  # a space, as on macOS
    folder.mkdir(parents=True)
    return folder


def lock_here(profile: Path, pid: int) -> None:
    (profile / "SingletonLock").symlink_to(f"{socket.gethostname()}-{pid}")


# --- Windows


def sharing_violation(path: Path) -> None:
    raise PermissionError(13, "The process cannot access the file because it is being used by another process")


def test_windows_a_held_lockfile_is_a_profile_in_use(profile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (profile / "lockfile").write_bytes(b"")
    monkeypatch.setattr(browser, "_open_for_writing", sharing_violation)
    assert profile_in_use(profile, fake("win32")) == ProfileInUse(host=None, pid=None)


def test_windows_no_lockfile_or_a_leftover_one_is_free(profile: Path) -> None:
    assert profile_in_use(profile, fake("win32")) is None
    (profile / "lockfile").write_bytes(b"")  # a crashed browser's: it opens, so nobody holds it
    assert profile_in_use(profile, fake("win32")) is None
    assert (profile / "lockfile").read_bytes() == b""  # looked at, not changed


def test_windows_ignores_a_symlink_lock_and_never_signals_its_pid(
    profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.kill(pid, 0) would end the process on Windows: it must not be called there."""
    lock_here(profile, os.getpid())

    def no_kill(pid: int, signal: int) -> None:
        raise AssertionError("os.kill called on Windows")

    monkeypatch.setattr(os, "kill", no_kill)
    assert profile_in_use(profile, fake("win32")) is None


def test_doctor_names_a_profile_held_on_windows_without_a_pid(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    work = home.data / "profiles" / "work"
    work.mkdir(parents=True)
    (work / "lockfile").write_bytes(b"")
    monkeypatch.setattr(System, "here", classmethod(lambda cls: fake("win32")))
    monkeypatch.setattr(browser, "_open_for_writing", sharing_violation)
    assert check_profiles() == [
        Check(
            "profiles",
            False,
            f"The browser profile work ({work}) is in use by a running browser",
            "close the browser window that uses it; if an optout-bot `run` or `login` is using it, let it finish first",
        )
    ]


# --- macOS: no /proc, `ps` tells


@pytest.mark.parametrize(
    ("shown", "held"),
    [
        ("/Applications/Chromium.app/Contents/MacOS/Chromium --no-first-run --user-data-dir={profile} --mute", True),
        ("/Applications/Chromium.app/Contents/MacOS/Chromium --user-data-dir=/Users/jane/other-profile", False),
        ("/usr/bin/python3 -m pytest", False),  # a pid reused by another program after a reboot
        (None, True),  # no `ps`: the pid is alive, the lock is trusted
    ],
    ids=["this profile's browser", "another profile's browser", "not a browser", "cannot tell"],
)
def test_macos_asks_ps_what_the_locks_pid_is(
    profile: Path, monkeypatch: pytest.MonkeyPatch, shown: str | None, held: bool
) -> None:
    lock_here(profile, os.getpid())  # alive: this very process, whatever `ps` is made to say of it
    command_line = None if shown is None else shown.format(profile=profile)
    monkeypatch.setattr(browser, "_ps_command_line", lambda pid: command_line)
    expected = ProfileInUse(pid=os.getpid()) if held else None
    assert profile_in_use(profile, fake("darwin")) == expected


def test_macos_a_lock_whose_process_is_gone_is_stale(profile: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock_here(profile, gone.pid)
    assert profile_in_use(profile, fake("darwin")) is None


@pytest.fixture
def process_on(profile: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process whose command line names the profile, as a browser's does (`ps` is the real one here)."""
    program = "import sys, time; sys.stdout.write('up'); sys.stdout.flush(); time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", program, f"--user-data-dir={profile}"], stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.read(2) == b"up"
    yield process
    process.kill()
    process.wait()


@pytest.mark.skipif(not os.path.exists("/bin/ps") and not os.path.exists("/usr/bin/ps"), reason="no ps here")
def test_macos_reads_the_command_line_from_the_real_ps(profile: Path, process_on: subprocess.Popen[bytes]) -> None:
    lock_here(profile, process_on.pid)
    assert profile_in_use(profile, fake("darwin")) == ProfileInUse(pid=process_on.pid)
    (profile / "SingletonLock").unlink()
    lock_here(profile, os.getpid())  # pytest: alive, started on no profile
    assert profile_in_use(profile, fake("darwin")) is None
