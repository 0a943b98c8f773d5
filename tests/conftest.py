"""pytest-playwright on this machine: the system's Chromium, kept quiet (no calls to Google's hosts)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.chromium import QUIET_ARGS, system_chromium


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": system_chromium(),
        "args": [*browser_type_launch_args.get("args", []), *QUIET_ARGS],
    }
