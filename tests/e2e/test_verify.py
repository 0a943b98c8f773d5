"""`optout-bot verify`, end to end: the real CLI in a subprocess, the account's own profile, the mock's settings.

The platform switches its setting back on between runs (MockMeta.set_setting), as platforms have done; verify
must notice, say so, exit 8 — and never touch the switch itself.
"""

from __future__ import annotations

import json

import pytest

from optout_bot.mock_site import MockMeta
from tests.e2e.cli import Home, run_cli
from tests.e2e.conftest import form_posts

WAITS = ("--step-timeout", "5", "--login-timeout", "30")


def browser_args(site: MockMeta) -> list[str]:
    return [f"--browser-arg={flag}" for flag in site.chromium_args()]


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_verify_notices_a_setting_switched_back_on_and_never_touches_it(
    platform: str, site: MockMeta, home: Home
) -> None:
    # An earlier rehearsal saw the setting on; the person then switched it off by hand, in their browser.
    rehearsal = run_cli(
        home,
        "run",
        "--platform",
        platform,
        "--dry-run",
        "--headless",
        *browser_args(site),
        *WAITS,
        "--user-timeout",
        "30",
    )
    assert rehearsal.returncode == 0, rehearsal.stderr
    site.set_setting(platform, False)

    still_off = run_cli(home, "verify", "--headless", *browser_args(site), *WAITS)
    assert still_off.returncode == 0, still_off.stderr
    name = "LinkedIn" if platform == "linkedin" else "X"
    assert f"default ({name}): off (it was never seen off before)." in still_off.stdout

    site.set_setting(platform, True)  # the platform switched it back on
    back_on = run_cli(home, "verify", "--headless", "--json", *browser_args(site), *WAITS)
    assert back_on.returncode == 8, back_on.stderr
    (seen,) = json.loads(back_on.stdout)["settings"]
    assert (seen["account"], seen["platform"], seen["state"], seen["switched_back_on"]) == (
        "default", platform, "on", True,
    )  # fmt: skip
    assert f"default ({name}): SWITCHED BACK ON" in back_on.stderr
    assert f"optout-bot run --account default --platform {platform}" in back_on.stderr

    assert form_posts(site) == [], "verify saved the setting: it must only read it"
    assert site.setting(platform) is True
    status = json.loads(run_cli(home, "status", "--json").stdout)
    (account,) = status["accounts"]
    assert account["setting"]["switched_back_on"] is True and account["setting"]["last_check_state"] == "on"
