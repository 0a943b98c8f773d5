"""optout-bot finds the Chromium-family browser a person already has, where each system's installers put it, and
when there is none says how to get one on THAT system. Each system is faked under tmp: its fixed folders
(System.root for "/"), its home, its environment (PATH, %ProgramFiles%…) and fake executables."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pytest
from playwright.sync_api import Playwright

from optout_bot.cli.checkup import check_browser
from optout_bot.errors import BrowserProblemError
from optout_bot.walk.browser import System, find_browser, installed_browsers, no_browser_message

PYTHON = "/home/jane/.local/share/pipx/venvs/optout-bot/bin/python"


@dataclass
class FakeChromium:
    executable_path: str


@dataclass
class FakePlaywright:
    """What discovery asks Playwright: where its own Chromium would be (downloaded or not)."""

    chromium: FakeChromium


def no_playwright_chromium(tmp_path: Path) -> Playwright:
    return cast(Playwright, FakePlaywright(FakeChromium(str(tmp_path / "ms-playwright" / "chromium-1" / "chrome"))))


def fake_executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@dataclass
class Case:
    platform: str
    installed: list[str]  # fake executables, relative to tmp (root/…: the system's "/"; home/…; pf/…: Windows)
    expected: list[tuple[str, str]]  # (browser, path relative to tmp), best first
    environ: dict[str, str] = field(default_factory=dict)  # {tmp} is the test's folder
    only_chromium: bool = False


LINUX_EVERYWHERE = [
    "bin/microsoft-edge",
    "bin/chromium",
    "root/snap/bin/chromium",
    "root/var/lib/flatpak/exports/bin/com.google.Chrome",
    "home/.local/share/flatpak/exports/bin/com.brave.Browser",
]
# Places of the other systems, which a system must not look in.
MAC_PLACES = ["root/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]
LINUX_PLACES = ["root/snap/bin/chromium", "root/var/lib/flatpak/exports/bin/org.chromium.Chromium"]
WINDOWS_EVERYWHERE = [
    "pf86/Microsoft/Edge/Application/msedge.exe",
    "pf/BraveSoftware/Brave-Browser/Application/brave.exe",
    "local/Google/Chrome/Application/chrome.exe",
    "local/Chromium/Application/chrome.exe",
]
WINDOWS_ENVIRON = {"ProgramFiles": "{tmp}/pf", "ProgramFiles(x86)": "{tmp}/pf86", "LocalAppData": "{tmp}/local"}

CASES = {
    # Installed packages first (Chrome, Chromium, Edge, Brave), then sandboxed ones (snap, flatpak) in that order.
    "linux: PATH, then snap and flatpak": Case(
        "linux",
        LINUX_EVERYWHERE,
        [
            ("Chromium", "bin/chromium"),
            ("Microsoft Edge", "bin/microsoft-edge"),
            ("Google Chrome", "root/var/lib/flatpak/exports/bin/com.google.Chrome"),
            ("Chromium", "root/snap/bin/chromium"),
            ("Brave", "home/.local/share/flatpak/exports/bin/com.brave.Browser"),
        ],
    ),
    "linux: a snap on PATH still comes after the packages": Case(
        "linux",
        ["root/snap/bin/chromium", "bin/brave-browser"],
        [("Brave", "bin/brave-browser"), ("Chromium", "root/snap/bin/chromium")],
        environ={"PATH": "{tmp}/root/snap/bin:{tmp}/bin"},
    ),
    "linux: the person's flatpak folder follows XDG_DATA_HOME": Case(
        "linux",
        ["data/flatpak/exports/bin/org.chromium.Chromium", "home/.local/share/flatpak/exports/bin/com.brave.Browser"],
        [("Chromium", "data/flatpak/exports/bin/org.chromium.Chromium")],
        environ={"XDG_DATA_HOME": "{tmp}/data"},
    ),
    "linux: only Chromium builds for --browser-channel chromium": Case(
        "linux",
        LINUX_EVERYWHERE,
        [("Chromium", "bin/chromium"), ("Chromium", "root/snap/bin/chromium")],
        only_chromium=True,
    ),
    "linux: nothing in macOS's places": Case("linux", MAC_PLACES, []),
    "macOS: /Applications and ~/Applications": Case(
        "darwin",
        [
            "root/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
            "root/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
            "home/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "root/Applications/Chromium.app/Contents/MacOS/Chromium",
            *LINUX_PLACES,
        ],
        [
            ("Google Chrome", "home/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
            ("Chromium", "root/Applications/Chromium.app/Contents/MacOS/Chromium"),
            ("Microsoft Edge", "root/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
            ("Brave", "root/Applications/Brave Browser.app/Contents/MacOS/Brave Browser"),
        ],
    ),
    "macOS: /Applications before ~/Applications": Case(
        "darwin",
        [
            "home/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "root/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        ],
        [
            ("Google Chrome", "root/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
            ("Google Chrome", "home/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
        ],
    ),
    "Windows: Program Files, Program Files (x86), LocalAppData": Case(
        "win32",
        [*WINDOWS_EVERYWHERE, *LINUX_PLACES, *MAC_PLACES],
        [
            ("Google Chrome", "local/Google/Chrome/Application/chrome.exe"),
            ("Chromium", "local/Chromium/Application/chrome.exe"),
            ("Microsoft Edge", "pf86/Microsoft/Edge/Application/msedge.exe"),
            ("Brave", "pf/BraveSoftware/Brave-Browser/Application/brave.exe"),
        ],
        environ=WINDOWS_ENVIRON,
    ),
    "Windows: a 32-bit Python still finds 64-bit Program Files (ProgramW6432)": Case(
        "win32",
        ["pf/Google/Chrome/Application/chrome.exe"],
        [("Google Chrome", "pf/Google/Chrome/Application/chrome.exe")],
        environ={"PROGRAMFILES": "{tmp}/pf86", "ProgramW6432": "{tmp}/pf"},
    ),
    "Windows: Program Files before LocalAppData": Case(
        "win32",
        ["local/Google/Chrome/Application/chrome.exe", "pf/Google/Chrome/Application/chrome.exe"],
        [
            ("Google Chrome", "pf/Google/Chrome/Application/chrome.exe"),
            ("Google Chrome", "local/Google/Chrome/Application/chrome.exe"),
        ],
        environ=WINDOWS_ENVIRON,
    ),
}


def fake_system(tmp_path: Path, platform: str, environ: dict[str, str] | None = None, python: str = PYTHON) -> System:
    (tmp_path / "bin").mkdir(exist_ok=True)
    variables = {"PATH": "{tmp}/bin", **(environ or {})}
    return System(
        platform=platform,
        environ={name: value.format(tmp=tmp_path) for name, value in variables.items()},
        home=tmp_path / "home",
        python=python,
        root=tmp_path / "root",
    )


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_browsers_are_found_where_each_system_installs_them_best_first(tmp_path: Path, case: Case) -> None:
    for relative in case.installed:
        fake_executable(tmp_path / relative)
    system = fake_system(tmp_path, case.platform, case.environ)
    pw = no_playwright_chromium(tmp_path)

    found = list(installed_browsers(pw, system, case.only_chromium))

    assert found == [(name, tmp_path / relative) for name, relative in case.expected]
    if case.expected:
        name, relative = case.expected[0]
        channel = "chromium" if case.only_chromium else None
        chosen = find_browser(pw, channel, system=system)
        assert chosen.executable_path == str(tmp_path / relative)
        assert chosen.description == f"{name} at {tmp_path / relative}"


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_playwrights_own_chromium_comes_first_on_every_system(tmp_path: Path, platform: str) -> None:
    fake_executable(tmp_path / "bin" / "google-chrome")
    fake_executable(tmp_path / "local/Google/Chrome/Application/chrome.exe")
    fake_executable(tmp_path / "root/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
    pw = no_playwright_chromium(tmp_path)
    own = fake_executable(Path(pw.chromium.executable_path))
    chosen = find_browser(pw, system=fake_system(tmp_path, platform, WINDOWS_ENVIRON))
    assert chosen.description == f"Playwright's Chromium at {own}"


def test_a_file_that_is_not_executable_is_not_a_browser(tmp_path: Path) -> None:
    system = fake_system(tmp_path, "linux")
    (tmp_path / "bin" / "chromium").write_text("not a program")  # mode 0644
    assert list(installed_browsers(no_playwright_chromium(tmp_path), system)) == []


# --- None found: how to get one, on that system


def no_browser(tmp_path: Path, platform: str, only_chromium: bool = False, python: str = PYTHON) -> str:
    system = fake_system(tmp_path, platform, WINDOWS_ENVIRON, python)
    with pytest.raises(BrowserProblemError) as raised:
        find_browser(no_playwright_chromium(tmp_path), "chromium" if only_chromium else None, system=system)
    assert str(raised.value) == no_browser_message(system, only_chromium)
    return str(raised.value)


def test_with_none_on_linux_it_says_apt_dnf_or_playwright(tmp_path: Path) -> None:
    assert no_browser(tmp_path, "linux") == (
        "No Chromium-family browser found: install Google Chrome (google.com/chrome) or Chromium (Debian: sudo apt "
        f"install chromium; Fedora: sudo dnf install chromium), or run: {PYTHON} -m playwright install chromium"
    )
    assert no_browser(tmp_path, "linux", only_chromium=True) == (
        "No Chromium browser found: install Chromium (Debian: sudo apt install chromium; Fedora: sudo dnf install "
        f"chromium), or run: {PYTHON} -m playwright install chromium"
    )


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_with_none_on_macos_or_windows_it_says_download_chrome_or_edge_or_playwright(
    tmp_path: Path, platform: str
) -> None:
    message = no_browser(tmp_path, platform)
    assert message == (
        "No Chromium-family browser found: install Google Chrome (google.com/chrome) or Microsoft Edge "
        f"(microsoft.com/edge), or run: {PYTHON} -m playwright install chromium"
    )
    assert "apt" not in message and "dnf" not in message
    only = no_browser(tmp_path, platform, only_chromium=True)
    assert only.startswith(f"No Chromium browser found: run {PYTHON} -m playwright install chromium, or leave out")


def test_a_python_path_with_spaces_is_quoted_as_each_shell_runs_it(tmp_path: Path) -> None:
    windows_python = r"C:\Users\Jane Doe\pipx\venvs\optout-bot\Scripts\python.exe"
    assert f'run: & "{windows_python}" -m playwright' in no_browser(tmp_path, "win32", python=windows_python)
    mac_python = "/Users/jane/Library/Application Support/pipx/venvs/optout-bot/bin/python"
    assert f'run: "{mac_python}" -m playwright' in no_browser(tmp_path, "darwin", python=mac_python)


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_doctor_offers_to_install_one_the_systems_way(tmp_path: Path, platform: str) -> None:
    system = fake_system(tmp_path, platform, WINDOWS_ENVIRON)
    check = check_browser(no_playwright_chromium(tmp_path), system=system)
    assert (check.ok, check.detail) == (False, "No browser found")
    assert check.fix == no_browser_message(system)
    assert ("sudo apt install chromium" in check.fix) == (platform == "linux")
    assert ("microsoft.com/edge" in check.fix) == (platform != "linux")
