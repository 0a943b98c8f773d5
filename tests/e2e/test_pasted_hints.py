"""Issue 17.6: a hint the tool prints works when pasted.

A README follower runs `scripts/optout-bot`; the hints must name that command, not an `optout-bot` their shell
does not know. The wrapper runs as the person would (from the checkout, by its relative path); the suggested
command is taken from its output and pasted into a shell in the same folder.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.e2e.cli import Home

CHECKOUT = Path(__file__).resolve().parents[2]
WRAPPER = "scripts/optout-bot"
# The commands of the tool a hint may name, as `backticked` in the hints.
HINTED = re.compile(r"`([^`]*optout-bot [a-z][^`]*)`")


def as_typed(home: Home, line: str) -> subprocess.CompletedProcess[str]:
    """`line` typed in a shell at the checkout's root, with the test's home."""
    return subprocess.run(
        line,
        shell=True,
        cwd=CHECKOUT,
        env=home.env(),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def suggested_commands(output: str) -> list[str]:
    return HINTED.findall(output)


def test_a_hint_printed_through_the_wrapper_runs_when_pasted(home: Home) -> None:
    # No settings yet: `run` without a platform says to save the accounts with `… init`.
    first = as_typed(home, f"{WRAPPER} run")
    assert first.returncode == 2, first.stderr
    (hint,) = suggested_commands(first.stderr)
    assert hint.startswith(f"{WRAPPER} "), hint  # the command as the person typed it

    pasted = as_typed(home, hint)

    assert pasted.returncode != 127, pasted.stderr  # 127: the shell found no such command
    assert "not found" not in pasted.stderr, pasted.stderr
    assert pasted.stdout + pasted.stderr  # the tool itself answered


def test_every_hint_of_status_names_the_command_as_typed(home: Home) -> None:
    typed = f"./{WRAPPER}"
    result = as_typed(home, f"{typed} status")
    assert result.returncode == 0, result.stderr
    hints = suggested_commands(result.stdout)
    assert hints, result.stdout
    assert all(hint.startswith(f"{typed} ") for hint in hints), hints
