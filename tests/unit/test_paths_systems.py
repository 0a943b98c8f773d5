"""Every folder optout-bot keeps is the system's own place for it, on Linux, macOS and Windows.

The system is faked as platformdirs reads it: sys.platform picks the class (optout_bot.paths.app_dirs), and the
home folder (HOME), the XDG variables (Linux, and macOS when set) or Windows' known folders (platformdirs'
WIN_PD_OVERRIDE_* variables, which stand for what Windows' shell API would answer) say where.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

import pytest

from optout_bot import paths
from optout_bot.records import ledger, logfile

HOME = "/home/jane"
MAC_HOME = "/Users/jane"
LOCAL_APPDATA = r"C:\Users\Jane Doe\AppData\Local"
XDG = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


def fake_system(monkeypatch: pytest.MonkeyPatch, platform: str, home: str) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("HOME", home)
    for variable in XDG:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", LOCAL_APPDATA)
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", r"C:\Users\Jane Doe\AppData\Roaming")


# Where each thing goes: the function that says so, and the folder expected on each system.
FOLDERS: dict[str, Callable[[], Path]] = {
    "settings": paths.config_path,
    "data": paths.data_dir,
    "ledger": ledger.default_path,
    "log": logfile.log_dir,
    "demo profiles": paths.demo_profiles_dir,
}
EXPECTED = {
    "linux": {
        "settings": "/home/jane/.config/optout-bot/config.toml",
        "data": "/home/jane/.local/share/optout-bot",
        "ledger": "/home/jane/.local/share/optout-bot/ledger.sqlite3",
        "log": "/home/jane/.local/state/optout-bot/logs",
        "demo profiles": "/home/jane/.cache/optout-bot/demo-profiles",
    },
    "darwin": {
        "settings": "/Users/jane/Library/Application Support/optout-bot/config.toml",
        "data": "/Users/jane/Library/Application Support/optout-bot",
        "ledger": "/Users/jane/Library/Application Support/optout-bot/ledger.sqlite3",
        "log": "/Users/jane/Library/Application Support/optout-bot/logs",
        "demo profiles": "/Users/jane/Library/Caches/optout-bot/demo-profiles",
    },
    "win32": {
        "settings": r"C:\Users\Jane Doe\AppData\Local\optout-bot\config.toml",
        "data": r"C:\Users\Jane Doe\AppData\Local\optout-bot",
        "ledger": r"C:\Users\Jane Doe\AppData\Local\optout-bot\ledger.sqlite3",
        "log": r"C:\Users\Jane Doe\AppData\Local\optout-bot\logs",
        "demo profiles": r"C:\Users\Jane Doe\AppData\Local\optout-bot\Cache\demo-profiles",
    },
}


def as_written_on(platform: str, path: Path | str) -> PurePath:
    """A path as the faked system reads it (a Windows path built here has both kinds of separator)."""
    return PureWindowsPath(str(path)) if platform == "win32" else PurePosixPath(str(path))


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
@pytest.mark.parametrize("what", list(FOLDERS))
def test_each_folder_is_in_the_systems_own_place(monkeypatch: pytest.MonkeyPatch, platform: str, what: str) -> None:
    fake_system(monkeypatch, platform, MAC_HOME if platform == "darwin" else HOME)
    if what == "ledger":
        assert ledger.LEDGER_FILE == "ledger.sqlite3"  # the expected paths above name it
    found = as_written_on(platform, FOLDERS[what]())
    assert found == as_written_on(platform, EXPECTED[platform][what])


def test_windows_has_no_author_folder_above_the_tools_own(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_system(monkeypatch, "win32", HOME)
    parts = as_written_on("win32", paths.data_dir()).parts
    assert parts.count("optout-bot") == 1


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_xdg_variables_move_the_folders_on_linux_and_macos(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str
) -> None:
    """The tests' Home and people who set XDG_DATA_HOME rely on it (platformdirs honours it on macOS too)."""
    fake_system(monkeypatch, platform, HOME)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert paths.data_dir() == tmp_path / "data" / "optout-bot"
    assert logfile.log_dir() == tmp_path / "state" / "optout-bot" / "logs"


def test_this_computers_folders_are_the_platform_defaults() -> None:
    """app_dirs() without a system is platformdirs' own choice for this computer."""
    from platformdirs import PlatformDirs

    assert paths.app_dirs().user_data_path == PlatformDirs("optout-bot", appauthor=False).user_data_path
