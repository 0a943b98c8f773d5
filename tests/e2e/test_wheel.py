"""The built wheel works on its own: installed in a fresh virtual environment, far from the checkout, it finds
its flows and the mock site's fixtures (which live at the top of the checkout, outside the package)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.cli import Home

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_installed_wheel_checks_its_flows_and_runs_the_demo(tmp_path: Path) -> None:
    built = run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("optout_bot-*.whl")
    venv = tmp_path / "fresh"
    assert run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    installed = run(venv / "bin" / "pip", "install", "-q", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    home = Home(tmp_path / "home")
    elsewhere = tmp_path / "elsewhere"  # no checkout here or above it
    elsewhere.mkdir()

    where = run(venv / "bin" / "python", "-c", "import optout_bot.bundled as b; print(b.FLOWS_DIR)", cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    checked = run(venv / "bin" / "optout-bot", "flows", "check", cwd=elsewhere, env=home.env())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "flows OK" in checked.stdout

    demo = run(
        venv / "bin" / "optout-bot", "--lang", "en", "demo", "--platform", "instagram", "--headless", "--dry-run",
        cwd=elsewhere, env=home.env(),
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "the form is ready and nothing was submitted" in demo.stdout
