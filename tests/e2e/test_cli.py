"""The command itself: bad input, browser problems, the demo, the persistent profile, start-up cost."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from optout_bot.mock_site import MockMeta
from tests.e2e.cli import Home, run_cli
from tests.support.browsers import skip_if_a_browser_is_outside_path
from tests.support.chromium import launch_cdp_chromium


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_malformed_email_stops_before_any_browser_starts(home: Home) -> None:
    result = run_cli(home, "run", "--platform", "instagram", "--email", "jane@", "--executable-path", "/nonexistent")
    assert result.returncode == 2
    assert result.stderr == (
        "optout-bot: --email 'jane@' is not an email address (expected something like name@example.com)\n"
    )
    assert "Traceback" not in result.stderr


def test_an_unknown_country_code_is_a_usage_error(home: Home) -> None:
    result = run_cli(home, "run", "--platform", "facebook", "--country", "XX")
    assert result.returncode == 2
    assert "is not a two-letter country code" in result.stderr


def test_headless_without_dry_run_is_refused(home: Home) -> None:
    result = run_cli(home, "run", "--platform", "instagram", "--headless")
    assert result.returncode == 2
    assert "--headless only works with --dry-run" in result.stderr


def test_no_browser_found_gives_exit_7_with_the_fix(home: Home, tmp_path: Path) -> None:
    skip_if_a_browser_is_outside_path()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(
        home, "run", "--platform", "instagram", "--headless", "--dry-run",
        PATH=str(empty), PLAYWRIGHT_BROWSERS_PATH=str(empty),
    )  # fmt: skip
    assert result.returncode == 7, result.stderr
    assert result.stderr.startswith("optout-bot: No Chromium-family browser found")
    assert "apt install chromium" in result.stderr and "\n" not in result.stderr.strip()


def test_an_unreachable_cdp_address_gives_exit_7(home: Home) -> None:
    result = run_cli(home, "run", "--platform", "instagram", "--cdp", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 7
    assert "--remote-debugging-port" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(home: Home) -> None:
    result = run_cli(home, "--debug", "run", "--platform", "instagram", "--cdp", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 7
    assert "Traceback" in result.stderr


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_the_demo_walks_the_bundled_site_headless(platform: str, home: Home, tmp_path: Path) -> None:
    shot = tmp_path / "form.png"
    result = run_cli(home, "demo", "--platform", platform, "--headless", "--dry-run", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert "route: settings-privacy-center" in result.stdout
    assert "Email: jane.doe@example.com (filled in by Meta)." in result.stdout
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_the_demo_without_a_screen_falls_back_to_a_headless_dry_run(home: Home) -> None:
    result = run_cli(home, "demo", "--platform", "instagram", "--page-lang", "fr")
    assert result.returncode == 0, result.stderr
    assert "No screen found" in result.stdout
    (shot,) = (home.data / "demo" / "screenshots").glob("*.png")  # the demo's own home
    assert oct(shot.stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow
def test_run_uses_a_private_persistent_profile_per_account(home: Home) -> None:
    with MockMeta() as site:
        args = [f"--browser-arg={a}" for a in site.chromium_args()]
        first = run_cli(home, "run", "--platform", "instagram", "--account", "work", "--headless", "--dry-run", *args)
        second = run_cli(home, "run", "--platform", "instagram", "--account", "work", "--headless", "--dry-run", *args)
        assert site.posts() == []
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    profile = home.data / "profiles" / "work"
    assert oct(profile.stat().st_mode & 0o777) == "0o700"
    assert (profile / "Default").is_dir()  # Chromium kept its profile: sessions persist across runs


def test_a_profile_in_use_by_a_running_browser_gives_exit_7(home: Home) -> None:
    profile = home.data / "profiles" / "default"
    profile.mkdir(parents=True)
    running = launch_cdp_chromium(profile, [])
    try:
        result = run_cli(home, "run", "--platform", "instagram", "--headless", "--dry-run")
    finally:
        running.stop()
    assert result.returncode == 7
    assert "in use" in result.stderr


def test_an_invalid_account_name_is_a_usage_error(home: Home) -> None:
    result = run_cli(home, "run", "--platform", "instagram", "--account", "../escape", "--headless", "--dry-run")
    assert result.returncode == 2
    assert "account name '../escape' is not allowed" in result.stderr


def test_help_lists_the_exit_codes_and_does_not_load_playwright() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", "run", "--help"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "7  browser problem" in result.stdout
    assert "playwright" not in result.stderr  # -X importtime lists every module imported


def test_flows_check_passes_on_the_bundled_flows(home: Home) -> None:
    result = run_cli(home, "flows", "check")
    assert (result.returncode, result.stdout) == (0, "flows OK\n")


def test_flows_check_points_at_the_wrong_line(home: Home, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "flows" / "facebook.yaml"
    broken = tmp_path / "facebook.yaml"
    broken.write_text(source.read_text().replace("role: button, name: your_profile", "role: buton, name: your_profile"))
    line = next(i for i, text in enumerate(broken.read_text().splitlines(), 1) if "buton" in text)
    result = run_cli(home, "flows", "check", str(broken))
    assert result.returncode == 2
    assert f"facebook.yaml:{line}: routes.0.steps.1.click.role: Input should be 'button'" in result.stderr
