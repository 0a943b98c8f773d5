"""Browsers on this machine that optout-bot finds whatever PATH says (snap, flatpak, macOS/Windows install places).

Tests that show "no browser found" empty PATH and Playwright's folder; where such a browser exists, they cannot.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from optout_bot.walk.browser import KNOWN_BROWSERS, System, _is_executable, _locations


def browsers_outside_path() -> list[Path]:
    """As the command sees them with an empty PATH (the tests' Home keeps HOME, so ~/Applications counts)."""
    system = System(sys.platform, {**os.environ, "PATH": ""}, Path.home(), sys.executable)
    return [path for known in KNOWN_BROWSERS for path in _locations(known, system) if _is_executable(path)]


def skip_if_a_browser_is_outside_path() -> None:
    found = browsers_outside_path()
    if found:
        pytest.skip(f"{found[0]} is installed outside PATH here: optout-bot finds it whatever PATH says")
