"""The built wheel works on its own: installed in a fresh virtual environment, far from the checkout, it finds
its flows and the mock site's fixtures (which live at the top of the checkout, outside the package).

It is also installed the ways the README's install lines say — `pipx install` and `uv tool install` — from the
built file (no network needed for optout-bot itself; its dependencies come from the package index), and the
command found on PATH then works from any folder and writes its hints as `optout-bot …`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.cli import Home

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT, cwd=dist)
    assert built.returncode == 0, built.stderr
    (found,) = dist.glob("optout_bot-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed with pip in a fresh virtual environment."""
    folder = tmp_path_factory.mktemp("fresh")
    assert run(sys.executable, "-m", "venv", folder, cwd=folder).returncode == 0
    installed = run(folder / "bin" / "pip", "install", "-q", wheel, cwd=folder)
    assert installed.returncode == 0, installed.stderr
    return folder


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"  # no checkout here or above it
    folder.mkdir()
    return folder


def as_installed(home: Home, bin_dir: Path) -> dict[str, str]:
    """The environment of a person who installed optout-bot: its folder on PATH, and nothing telling the tool how
    it was started (the tests' Home sets OPTOUT_BOT_COMMAND; a person's shell does not)."""
    env = home.env(PATH=os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]))
    del env["OPTOUT_BOT_COMMAND"]
    return env


def test_the_installed_wheel_checks_its_flows_and_runs_the_demo(venv: Path, elsewhere: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
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


def check_the_command_on_path(bin_dir: Path, elsewhere: Path, home: Home) -> None:
    """`optout-bot doctor` typed in any folder: its checklist finds the browser, keeps the person's files in their
    data folder, and the command it suggests is `optout-bot …` as typed."""
    doctor = run("optout-bot", "--lang", "en", "doctor", cwd=elsewhere, env=as_installed(home, bin_dir))
    lines = doctor.stdout.splitlines()
    assert any(line.startswith("✓ Python ") for line in lines), doctor.stdout + doctor.stderr
    assert any(line.startswith("✓ ") and ", version " in line for line in lines), doctor.stdout  # the browser
    assert f"✓ Data folder {home.data} is writable" in lines
    # No screen here (Home drops DISPLAY): that check fails, and the summary says what to type next.
    assert doctor.returncode == 2, doctor.stdout + doctor.stderr
    assert lines[-1] == "1 check failed: do what its line says, then run `optout-bot doctor` again."
    as_json = run("optout-bot", "doctor", "--json", cwd=elsewhere, env=as_installed(home, bin_dir))
    checks = {check["name"]: check for check in json.loads(as_json.stdout)["checks"]}
    assert checks["browser"]["ok"] and checks["ledger"]["ok"], as_json.stdout


def test_the_command_on_path_works_from_any_folder(venv: Path, elsewhere: Path, tmp_path: Path) -> None:
    check_the_command_on_path(venv / "bin", elsewhere, Home(tmp_path / "home"))


@pytest.fixture(scope="module")
def installers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pipx and uv, in a throwaway environment (as a person gets them: `pip install --user pipx`, or uv's own)."""
    folder = tmp_path_factory.mktemp("installers")
    assert run(sys.executable, "-m", "venv", folder, cwd=folder).returncode == 0
    got = run(folder / "bin" / "pip", "install", "-q", "pipx", "uv", cwd=folder)
    if got.returncode != 0:
        pytest.skip(f"pipx and uv could not be installed from the package index here: {got.stderr.strip()[-300:]}")
    return folder / "bin"


@pytest.fixture
def tool_home(tmp_path: Path) -> Iterator[dict[str, str]]:
    """pipx's and uv's folders under tmp (never the person's ~/.local), for the installer's environment."""
    env = dict(os.environ)
    env.update(
        PIPX_HOME=str(tmp_path / "pipx"),
        PIPX_BIN_DIR=str(tmp_path / "bin"),
        PIPX_MAN_DIR=str(tmp_path / "man"),
        UV_TOOL_DIR=str(tmp_path / "uv-tools"),
        UV_TOOL_BIN_DIR=str(tmp_path / "bin"),
        UV_PYTHON_DOWNLOADS="never",  # the Python already here, as on a machine that has one
    )
    yield env


def test_pipx_install_from_the_wheel_gives_a_command_that_works_anywhere(
    installers: Path, wheel: Path, tool_home: dict[str, str], elsewhere: Path, tmp_path: Path
) -> None:
    installed = run(installers / "pipx", "install", wheel, cwd=elsewhere, env=tool_home)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    bin_dir = Path(tool_home["PIPX_BIN_DIR"])
    assert (bin_dir / "optout-bot").exists(), installed.stdout
    home = Home(tmp_path / "home")
    demo = run(
        "optout-bot", "--lang", "en", "demo", "--platform", "instagram", "--headless", "--dry-run",
        cwd=elsewhere, env=as_installed(home, bin_dir),
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "the form is ready and nothing was submitted" in demo.stdout
    check_the_command_on_path(bin_dir, elsewhere, home)


def test_uv_tool_install_from_the_wheel_gives_a_command_that_works_anywhere(
    installers: Path, wheel: Path, tool_home: dict[str, str], elsewhere: Path, tmp_path: Path
) -> None:
    uv = installers / "uv"
    installed = run(uv, "tool", "install", "--python", sys.executable, wheel, cwd=elsewhere, env=tool_home)
    if installed.returncode != 0 and "Failed to fetch" in installed.stderr:
        pytest.skip(f"uv cannot reach its package index from here: {installed.stderr.strip()[-300:]}")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    bin_dir = Path(tool_home["UV_TOOL_BIN_DIR"])
    home = Home(tmp_path / "home")
    checked = run("optout-bot", "flows", "check", cwd=elsewhere, env=as_installed(home, bin_dir))
    assert checked.returncode == 0 and "flows OK" in checked.stdout, checked.stdout + checked.stderr
    check_the_command_on_path(bin_dir, elsewhere, home)
