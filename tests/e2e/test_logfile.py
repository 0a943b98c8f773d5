"""The log file of the real command: where it is, what a walk and a failure leave in it, and no secret."""

from __future__ import annotations

import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from optout_bot.mock_site import MockMeta, Scenario
from tests.e2e.cli import Home, run_cli, run_cli_with_a_bug

# The mock account (optout_bot/mock_site/scenario.py) and the shape of the mock's tokens (state.py).
PERSONAL = ("jane.doe@example.com", "Jane Doe", "100012345678901")
TOKEN_SHAPES = (re.compile(r"NAc[\w-]{20,}"), re.compile(r"(?:fb_dtsg|lsd|jazoest)\W{1,6}(?!\[removed\])\w"))


def log_file(home: Home) -> Path:
    return home.root / "state" / "optout-bot" / "logs" / "optout-bot.log"


def demo_log_file(home: Home) -> Path:
    return home.data / "demo" / "logs" / "optout-bot.log"  # a demo keeps its log in its own home


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def assert_no_secrets(text: str, *secrets: str) -> None:
    assert [s for s in (*PERSONAL, *secrets) if s in text] == []
    assert [p.pattern for p in TOKEN_SHAPES if p.search(text)] == []


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_leaves_its_trail_in_a_private_log(home: Home) -> None:
    result = run_cli(home, "demo", "--platform", "facebook", "--headless", "--dry-run")
    assert result.returncode == 0, result.stderr

    log = demo_log_file(home)
    assert (mode(log), mode(log.parent), mode(log.parent.parent)) == ("0o600", "0o700", "0o700")
    text = log.read_text(encoding="utf-8")
    assert "| DEBUG   | settings-privacy-center: " in text
    assert "recognise the objection form at https://www.facebook.com/help/contact/712876720715583: ok" in text
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text)  # each line starts with the date and time
    assert_no_secrets(text)
    assert "| DEBUG" not in result.stderr  # without --debug the terminal stays as it was


def test_a_failing_run_logs_its_exit_code_message_and_traceback(home: Home) -> None:
    result = run_cli(home, "run", "--platform", "instagram", "--cdp", f"http://127.0.0.1:{closed_port()}",
                     "--headless", "--dry-run")  # fmt: skip
    assert result.returncode == 7, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

    text = log_file(home).read_text(encoding="utf-8")
    assert "| ERROR   | exit 7: Could not attach to a browser at http://127.0.0.1:" in text
    assert "Traceback (most recent call last)" in text and "BrowserProblemError" in text


@pytest.mark.slow
def test_a_redesigned_site_leaves_no_token_or_personal_data_in_the_log(home: Home) -> None:
    with MockMeta(Scenario(layout="changed")) as site:
        args = [f"--browser-arg={a}" for a in site.chromium_args()]
        result = run_cli(home, "run", "--platform", "facebook", "--headless", "--dry-run", "--step-timeout", "1", *args)
        secrets = list(site.secrets().values())
    assert result.returncode == 5, result.stderr

    text = log_file(home).read_text(encoding="utf-8")
    assert "form-address-2025: recognise the objection form at" in text and "| ERROR   | exit 5: " in text
    assert_no_secrets(text, *secrets)


def test_tokens_in_the_address_of_a_link_from_meta_never_reach_the_log(home: Home) -> None:
    # Links in Meta's emails and redirects carry tokens and IDs in their query; the walk logs every address.
    with MockMeta(Scenario()) as site:
        secrets = list(site.secrets().values())
        link = (
            f"https://www.facebook.com/help/contact/712876720715583?fb_dtsg={secrets[0]}&lsd={secrets[1]}"
            "&email=jane.doe%40example.com&id=100012345678901#c_user=100012345678901"
        )
        args = [f"--browser-arg={a}" for a in site.chromium_args()]
        result = run_cli(home, "run", "--platform", "facebook", "--headless", "--dry-run", "--from-link", link, *args)
    assert result.returncode == 0, result.stderr

    text = log_file(home).read_text(encoding="utf-8")
    form = "https://www.facebook.com/help/contact/712876720715583"
    assert f"from-link: goto {form} at {form}: ok" in text  # the address stays, its query goes
    assert_no_secrets(text, *secrets, "jane.doe%40example.com")


def test_an_unexpected_error_says_where_its_details_are(home: Home, tmp_path: Path) -> None:
    result = run_cli_with_a_bug(home, "demo", "--platform", "instagram", "--headless", "--dry-run")

    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("optout-bot: unexpected error (")
    assert result.stderr.rstrip().endswith(f"; details in {demo_log_file(home)}.")
    assert "Traceback" not in result.stderr
    text = demo_log_file(home).read_text(encoding="utf-8")
    assert "| ERROR   | exit 1: unexpected error (" in text and "Traceback (most recent call last)" in text


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["run", "--platform", "instagram", "--email", "x@"]])
def test_help_and_usage_errors_do_not_load_loguru_nor_write_a_log(args: list[str], home: Home) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", *args],
        env=home.env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 2)
    assert "loguru" not in result.stderr  # -X importtime lists every module imported
    assert not log_file(home).exists()
