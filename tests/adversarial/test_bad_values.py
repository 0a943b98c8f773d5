"""Issue 14, hole 9: values the command accepted that it should not.

`nan`/`inf` timeouts (then blamed on Meta's pages), emails with control or bidi characters or 100,000 of them,
an empty `--cdp` or `--from-link` silently ignored, `--lang de` silently ignored, and `--from-link` checked
against Meta's domains for LinkedIn. Each must stop the real command before anything opens: exit 2 (or 6 for a
link that is not the platform's), one line, no traceback, no browser started, no ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli import Home, run_cli

# If the command got as far as the browser, it would say this one does not exist (exit 7).
NO_BROWSER = ("--executable-path", "/nonexistent")

BAD_VALUES = {
    "step timeout nan": ("--step-timeout", "nan"),
    "user timeout inf": ("--user-timeout", "inf"),
    "login timeout 1e309 (inf)": ("--login-timeout", "1e309"),
    "step timeout of a year": ("--step-timeout", "31536000"),
    "email with a bidi override": ("--email", "jane\u202e@example.com"),
    "email with a control character": ("--email", "jane\x07@example.com"),
    "email of 100,000 characters": ("--email", "j" * 100_000 + "@example.com"),
    "name with a bidi isolate": ("--full-name", "Jane \u2066Doe"),
    "phone with an escape": ("--phone", "+33 6 12 34\x1b 56 78"),
    "reason with a control character": ("--reason", "mine\x1b[2J"),
    "reason with a bidi override": ("--reason", "my photos \u202eare mine"),
    "empty --cdp": ("--cdp", ""),
    "empty --from-link": ("--from-link", ""),
    "--lang de": ("--lang", "de"),
    "--lang empty": ("--lang", ""),
}


def _ledger(home: Home) -> Path:
    return home.data / "ledger.sqlite3"


def _stops_with_one_line(home: Home, *args: str, status: int = 2) -> str:
    result = run_cli(home, "run", "--platform", "instagram", *args, *NO_BROWSER, timeout=60)
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("optout-bot: "), result.stderr[:2000]
    assert not _ledger(home).exists()
    return lines[0]


@pytest.mark.parametrize(("option", "value"), BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_bad_value_stops_the_command_with_one_line(home: Home, option: str, value: str) -> None:
    line = _stops_with_one_line(home, option, value)
    assert option in line
    assert len(line) < 400  # the 100,000 characters are not printed back


def test_an_unknown_language_lists_the_known_ones(home: Home) -> None:
    assert "en, fr" in _stops_with_one_line(home, "--lang", "de")


def test_a_bad_email_in_the_settings_file_is_refused(home: Home) -> None:
    settings = home.root / "config" / "optout-bot" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('email = "jane\u202e@example.com"\n', encoding="utf-8")
    result = run_cli(home, "run", "--platform", "instagram", *NO_BROWSER, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "config.toml:1" in result.stderr and "Traceback" not in result.stderr
    assert not _ledger(home).exists()


@pytest.mark.parametrize(
    ("platform", "link"),
    [
        ("linkedin", "https://www.meta.com/help/"),  # Meta's, but the walk is LinkedIn's
        ("x", "https://www.facebook.com/help/contact/712876720715583"),
    ],
)
def test_a_link_is_checked_against_the_chosen_platforms_own_site(home: Home, platform: str, link: str) -> None:
    result = run_cli(home, "run", "--platform", platform, "--from-link", link, *NO_BROWSER, timeout=60)
    assert result.returncode in (2, 6), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not _ledger(home).exists()
