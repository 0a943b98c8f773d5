"""pytest-playwright on this machine: the system's Chromium, kept quiet (no calls to Google's hosts); and
what the in-process walker tests share: one mock site, a browser pointed at it, the flows' words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright

from optout_bot.flows import Vocabulary, load_vocabulary
from optout_bot.mock_site import MockMeta
from tests.support.chromium import QUIET_ARGS, system_chromium


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": system_chromium(),
        "args": [*browser_type_launch_args.get("args", []), *QUIET_ARGS],
    }


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture(scope="module")
def mock_site() -> Iterator[MockMeta]:
    with MockMeta() as server:
        yield server


@pytest.fixture(scope="module")
def mock_browser(playwright: Playwright, mock_site: MockMeta) -> Iterator[Browser]:
    """One browser for the module: --host-resolver-rules names the port of that module's one mock server."""
    browser = playwright.chromium.launch(
        executable_path=system_chromium(), args=[*QUIET_ARGS, *mock_site.chromium_args()]
    )
    yield browser
    browser.close()
