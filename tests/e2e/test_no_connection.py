"""No connection to the platform's site is its own exit code (10), said at once, naming the host (issue 15.4).

The real CLI, with the browser's name resolution pointed at a closed port (connection refused) or at nothing
(name not resolved): it must stop on the first page, not try every route for a minute and then blame Meta.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e.cli import FAST, Home, run_cli

CLOSED_PORT = "MAP * 127.0.0.1:9"  # the discard port: nothing listens there, the connection is refused
NO_SUCH_NAME = "MAP * ~NOTFOUND"  # every name fails to resolve, as when offline or a DNS is down

# Every route of a flow is tried within a step timeout of 5 s (FAST); stopping at the first page takes seconds.
QUICK_S = 20.0


@pytest.mark.parametrize(
    ("rules", "reason"),
    [(CLOSED_PORT, "the connection was refused"), (NO_SUCH_NAME, "the name could not be found")],
    ids=["refused", "not-resolved"],
)
def test_no_connection_stops_at_once_with_exit_10_naming_the_host(home: Home, rules: str, reason: str) -> None:
    started = time.monotonic()
    result = run_cli(
        home,
        "run",
        "--platform",
        "instagram",
        "--dry-run",
        "--headless",
        f"--browser-arg=--host-resolver-rules={rules}",
        *FAST,
    )
    elapsed = time.monotonic() - started

    assert result.returncode == 10, result.stdout + result.stderr
    assert result.stderr.strip() == (
        f"optout-bot: no connection to instagram.com ({reason}): check your internet connection, then run again. "
        "Nothing was filled."
    )
    assert elapsed < QUICK_S, f"took {elapsed:.1f} s: it should stop at the first page"
    assert "trying another way" not in result.stdout  # no other route was tried
    assert not (home.data / "diagnostics").exists()  # no diagnostic claiming Meta's pages changed

    status = json.loads(run_cli(home, "status", "--json").stdout)
    (account,) = status["accounts"]
    assert account["last_outcome"] == "no_connection"
