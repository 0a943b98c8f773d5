"""A demo keeps its files (screenshots, receipts, log) in its own home, never among the person's real ones."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli import Home, run_cli


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def test_a_demo_adds_nothing_to_the_persons_receipts_screenshots_or_log(home: Home) -> None:
    result = run_cli(home, "demo", "--platform", "facebook", "--headless", "--dry-run")
    assert result.returncode == 0, result.stderr

    demo = home.data / "demo"
    (shot,) = (demo / "screenshots").glob("*.png")
    assert str(shot) in result.stdout  # the person is told where it is
    assert (demo / "logs" / "optout-bot.log").is_file()
    real = [path for path in files_under(home.data) if demo not in path.parents]
    assert real == []  # no receipt, screenshot, diagnostic or ledger of the person's was touched
    assert files_under(home.root / "state" / "optout-bot" / "logs") == []
