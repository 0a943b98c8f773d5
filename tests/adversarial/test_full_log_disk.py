"""Issue 14, hole 8 (the log's part): a log that cannot be written must not flood the terminal with tracebacks.

A full disk is played by /dev/full, which accepts the file being opened and refuses every write with ENOSPC
("No space left on device"): the log file is a symbolic link to it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.cli import Home, run_cli, run_cli_with_a_bug


def log_file(home: Home) -> Path:
    """The log of a `demo`, which keeps it in its own home (paths.demo_home)."""
    return home.data / "demo" / "logs" / "optout-bot.log"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full to play a full disk")
@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_full_log_disk_costs_one_line_and_nothing_else(home: Home, debug: list[str]) -> None:
    log = log_file(home)
    log.parent.mkdir(parents=True, mode=0o700)
    log.symlink_to("/dev/full")

    result = run_cli(home, *debug, "demo", "--platform", "facebook", "--headless", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "Dry run: the form is ready" in result.stdout
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr
    about_the_log = [line for line in result.stderr.splitlines() if "log" in line.lower() and str(log) in line]
    assert len(about_the_log) == 1, result.stderr
    assert "could not be written" in about_the_log[0]
    if not debug:
        assert result.stderr.strip().splitlines() == about_the_log  # nothing else on the terminal


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full to play a full disk")
def test_a_full_log_disk_leaves_a_failures_exit_code_alone(home: Home, tmp_path: Path) -> None:
    log = log_file(home)
    log.parent.mkdir(parents=True, mode=0o700)
    log.symlink_to("/dev/full")
    # The same unexpected error as tests/e2e/test_logfile.py: exit 1, and no "details in <log>" it could not write.
    result = run_cli_with_a_bug(home, "demo", "--platform", "instagram", "--headless", "--dry-run")

    assert result.returncode == 1, result.stderr
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr
    assert f"details in {log}" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if "could not be written" in line]) == 1
    assert oct(os.stat("/dev/full").st_mode & 0o777) == "0o666"  # the device the link led to is untouched
