"""Running the real `optout-bot` command in a subprocess, with its data kept in a test folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Short waits so a test that goes wrong fails in seconds, long enough for a loaded CI machine.
FAST = ("--step-timeout", "5", "--user-timeout", "60", "--login-timeout", "60")


@dataclass
class Home:
    """The person's machine as the tool sees it: data, config and state folders under tmp."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data" / "optout-bot"

    def env(self, **extra: str) -> dict[str, str]:
        dropped = ("DISPLAY", "WAYLAND_DISPLAY", "OPTOUT_BOT_DEBUG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env.update(
            LANG="C.UTF-8",  # English messages whatever the machine's locale; tests in French say --lang fr
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_STATE_HOME=str(self.root / "state"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            PYTHONUNBUFFERED="1",
            # The tests start `python -m optout_bot`; its hints name the command as a person typing `optout-bot`
            # would see them (scripts/optout-bot sets its own: tests/e2e/test_pasted_hints.py).
            OPTOUT_BOT_COMMAND="optout-bot",
        )
        env.update(extra)
        return env


def command(*args: str, prefix: tuple[str, ...] = ()) -> list[str]:
    return [*prefix, sys.executable, "-m", "optout_bot", *args]


def run_cli(home: Home, *args: str, timeout: float = 90, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args),
        env=home.env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def start_cli(home: Home, *args: str, prefix: tuple[str, ...] = (), **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(*args, prefix=prefix),
        env=home.env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str, str]:
    """Wait for the tool to exit; return (exit code, stdout, stderr)."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"optout-bot did not exit in {timeout} s\n--- stdout\n{out}\n--- stderr\n{err}") from None
    return process.returncode, out, err


# How a bug is reported can only be tested with a bug: every failure the code expects has its own exit code, so
# no input of the person's may stand in for one. The real command runs, with the walk of `demo` replaced by a
# function that fails as no code expects.
_WITH_A_PLANTED_BUG = """
import sys

import optout_bot.walk.objection


def planted_bug(*args, **kwargs):
    raise RuntimeError("a bug planted by the test")


optout_bot.walk.objection.run_demo = planted_bug
from optout_bot.entry import main

main(sys.argv[1:])
"""


def run_cli_with_a_bug(home: Home, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """`optout-bot ARGS` (a `demo` command line) whose walk fails with an unexpected error."""
    return subprocess.run(
        [sys.executable, "-c", _WITH_A_PLANTED_BUG, *args],
        env=home.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
