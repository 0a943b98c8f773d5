"""Finding a Chromium-family browser and opening the session the tool drives.

Two ways in: optout-bot's own persistent profile (the person logs in to Meta once, and stays logged in), or
attaching over CDP to a browser the person started themselves. Either way the person sees the same window the
tool works in, and they are the one who clicks Submit.

Imported only when a browser is needed, so Playwright is never loaded for --help.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from playwright.sync_api import Browser, BrowserContext, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

from optout_bot.errors import BrowserProblemError, UsageError
from optout_bot.i18n import N_, _
from optout_bot.paths import usable_profile_dir

# For the browsers optout-bot starts itself (never the person's own Chrome, reached with --cdp): no first-run
# dialogs, and no calls to Google's services while it walks Meta's pages with the person's session. Measured on
# the mock site, which answers every host name (tests/adversarial/test_smaller_holes.py): without these, every
# walk asked accounts.google.com for the signed-in accounts, update.googleapis.com for an AI model component,
# and content-autofill.googleapis.com for predictions about Meta's form (the query carries the form's signature).
OWN_PROFILE_ARGS = (
    "--no-first-run",
    "--disable-background-networking",  # field trials, sync, translate and other background fetches
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",  # reports about Google's own sites
    "--no-pings",  # <a ping> tracking beacons of the pages
    # Neither has a switch to turn it off in current Chromium: the browser's own Google sign-in (its
    # "ListAccounts" call) and the on-demand component updates are pointed at a closed local port instead, so
    # the request never leaves the computer. Web pages still reach Google normally ("Sign in with Google").
    "--gaia-url=http://127.0.0.1:9/",
    "--component-updater=url-source=http://127.0.0.1:9/",
)
# Safe Browsing is left as it is: it warns against phishing pages, the very danger the tool's domain checks guard.

# Chromium reads only the LAST --disable-features switch, and Playwright passes its own list first: the tool's
# list replaces it, so it repeats Playwright's (as of Playwright 1.65; tests/browser/test_browser.py checks it still
# covers the running Playwright's) and adds its own; a --browser-arg list is merged in, not lost.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
QUIET_FEATURES = ("AutofillServerCommunication",)  # the autofill query carries the form's signature to Google
DISABLE_FEATURES = "--disable-features="

CDP_TIMEOUT_MS = 15_000

# Ends the --cdp messages below: how to start a Chrome that optout-bot can attach to.
CDP_HELP = N_(
    "Start Chrome with --remote-debugging-port=9222 --user-data-dir=<a folder of its own> and pass "
    "--cdp http://127.0.0.1:9222 (Chrome 136+ ignores the port on its default profile)."
)


def has_display() -> bool:
    """Whether a headed browser window can be shown. macOS and Windows always have a screen for it."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# ---------------------------------------------------------------------------------------------------------------
# Finding a browser


@dataclass(frozen=True)
class BrowserChoice:
    executable_path: str | None  # None when channel is used
    channel: str | None  # "chrome" / "msedge" (Playwright channels)
    description: str  # for messages: "Chromium at /usr/bin/chromium"


@dataclass(frozen=True)
class System:
    """The computer a browser is looked for on: this one (`here()`), or one a test fakes with folders under tmp.

    `platform` is a sys.platform name ("linux", "darwin", "win32"); `root` stands for "/" in the fixed places
    (/snap/bin, /Applications, flatpak's folder); Windows' places come from its variables.
    """

    platform: str
    environ: Mapping[str, str]
    home: Path
    python: str  # the Python running optout-bot: `python -m playwright install chromium` installs for it
    root: Path = Path("/")

    @classmethod
    def here(cls) -> System:
        return cls(sys.platform, os.environ, Path.home(), sys.executable)

    @property
    def windows(self) -> bool:
        return self.platform == "win32"

    @property
    def mac(self) -> bool:
        return self.platform == "darwin"

    def variable(self, name: str) -> str | None:
        """An environment variable, its name in any case on Windows (%ProgramFiles% is PROGRAMFILES there)."""
        if not self.windows:
            return self.environ.get(name)
        return next((value for key, value in self.environ.items() if key.upper() == name.upper()), None)

    def which(self, command: str) -> Path | None:
        found = shutil.which(command, path=self.variable("PATH") or "")
        return Path(found) if found else None

    def python_command(self) -> str:
        """This Python as the person would type it: quoted if its path has spaces (PowerShell runs a quoted
        path only after `&`)."""
        if " " not in self.python:
            return self.python
        return f'& "{self.python}"' if self.windows else f'"{self.python}"'


@dataclass(frozen=True)
class _Known:
    """A Chromium-family browser and where it is usually installed."""

    name: str
    commands: tuple[str, ...]  # names on PATH, in /usr/bin or /snap/bin (Linux packages)
    flatpak: str  # its Flathub id, the name of its launcher in flatpak's exports/bin
    mac_app: str  # the bundle in /Applications or ~/Applications: Contents/MacOS/<mac_app without .app>
    windows_exe: tuple[str, ...]  # path parts under %ProgramFiles%, %ProgramFiles(x86)% or %LocalAppData%
    chromium_build: bool = False


KNOWN_BROWSERS = (
    _Known(
        "Google Chrome",
        ("google-chrome", "google-chrome-stable"),
        "com.google.Chrome",
        "Google Chrome.app",
        ("Google", "Chrome", "Application", "chrome.exe"),
    ),
    _Known(
        "Chromium",
        ("chromium", "chromium-browser"),
        "org.chromium.Chromium",
        "Chromium.app",
        ("Chromium", "Application", "chrome.exe"),
        chromium_build=True,
    ),
    _Known(
        "Microsoft Edge",
        ("microsoft-edge", "microsoft-edge-stable"),
        "com.microsoft.Edge",
        "Microsoft Edge.app",
        ("Microsoft", "Edge", "Application", "msedge.exe"),
    ),
    _Known(
        "Brave",
        ("brave-browser", "brave-browser-stable", "brave"),
        "com.brave.Browser",
        "Brave Browser.app",
        ("BraveSoftware", "Brave-Browser", "Application", "brave.exe"),
    ),
)

# Where Windows installers put browsers: for everyone (64- and 32-bit Program Files; ProgramW6432 is the 64-bit
# one even to a 32-bit Python), or for one person (Chrome, Brave and Chromium can install in %LocalAppData%).
WINDOWS_INSTALL_VARIABLES = ("PROGRAMFILES", "PROGRAMW6432", "PROGRAMFILES(X86)", "LOCALAPPDATA")

CHANNELS = {"chrome": "Google Chrome", "msedge": "Microsoft Edge"}


def find_browser(
    pw: Playwright, channel: str | None = None, executable_path: str | None = None, system: System | None = None
) -> BrowserChoice:
    """The browser to drive: --executable-path, else a Playwright channel, else the first one installed."""
    if executable_path:
        return _explicit(executable_path)
    if channel in CHANNELS:
        # Playwright knows where each channel lives; a missing one fails at launch with its own message.
        return BrowserChoice(executable_path=None, channel=channel, description=CHANNELS[channel])
    if channel not in (None, "chromium"):
        raise UsageError(
            _("unknown browser channel '{channel}': use chrome, msedge or chromium").format(channel=channel)
        )
    system = system or System.here()
    only_chromium = channel == "chromium"
    found = next(installed_browsers(pw, system, only_chromium), None)
    if found is None:
        raise BrowserProblemError(no_browser_message(system, only_chromium))
    description, path = found
    return BrowserChoice(
        executable_path=str(path),
        channel=None,
        description=_("{browser} at {path}").format(browser=description, path=path),
    )


def _explicit(executable_path: str) -> BrowserChoice:
    path = Path(executable_path).expanduser()
    if not _is_executable(path):
        raise BrowserProblemError(
            _("--executable-path {path} is not an executable file: give the path of a browser program.").format(
                path=executable_path
            )
        )
    return BrowserChoice(
        executable_path=str(path), channel=None, description=_("the browser at {path}").format(path=path)
    )


def installed_browsers(pw: Playwright, system: System, only_chromium: bool = False) -> Iterator[tuple[str, Path]]:
    """Every installed candidate, best first: Playwright's own Chromium, then the person's browsers as their
    system installs them, then sandboxed ones (snap, flatpak), whose sandbox may keep them from the profile folder."""
    own = Path(pw.chromium.executable_path)  # where Playwright would put it, whether downloaded or not
    if _is_executable(own):
        yield _("Playwright's Chromium"), own
    browsers = [known for known in KNOWN_BROWSERS if known.chromium_build or not only_chromium]
    seen: set[Path] = set()
    for sandboxed in (False, True):
        for known in browsers:
            for path in _locations(known, system):
                if _sandboxed(path, system) == sandboxed and path not in seen and _is_executable(path):
                    seen.add(path)
                    yield known.name, path


def _locations(known: _Known, system: System) -> Iterator[Path]:
    """Where `known` may be on `system`, in the order it is looked for."""
    for command in known.commands:
        found = system.which(command)
        if found:
            yield found
    # Outside Linux browsers are rarely on PATH: look where their installers put them.
    if system.mac:
        for apps in (system.root / "Applications", system.home / "Applications"):
            yield apps / known.mac_app / "Contents" / "MacOS" / known.mac_app.removesuffix(".app")
    elif system.windows:
        for variable in WINDOWS_INSTALL_VARIABLES:
            folder = system.variable(variable)
            if folder:
                yield Path(folder).joinpath(*known.windows_exe)
    else:
        # Linux packages put their command in /usr/bin, on every PATH (a PATH without it is a choice, which tests
        # make to show "no browser"). Snap's /snap/bin is on PATH only in login shells; flatpak's launchers never are.
        yield from (system.root / "snap" / "bin" / command for command in known.commands)
        for exports in _flatpak_exports(system):
            yield exports / known.flatpak


def _flatpak_exports(system: System) -> tuple[Path, Path]:
    """Flatpak's launchers: for everyone, then the person's own installs (in $XDG_DATA_HOME, ~/.local/share)."""
    data_home = system.variable("XDG_DATA_HOME") or str(system.home / ".local" / "share")
    return system.root / "var/lib/flatpak/exports/bin", Path(data_home) / "flatpak" / "exports" / "bin"


def _sandboxed(path: Path, system: System) -> bool:
    snap = system.root / "snap"
    return path.is_relative_to(snap) or any(path.is_relative_to(exports) for exports in _flatpak_exports(system))


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def browser_install_hint(system: System) -> str:
    """How to get a Chromium-family browser on `system`, starting "install …" (it ends other sentences)."""
    if system.mac or system.windows:
        hint = _(
            "install Google Chrome (google.com/chrome) or Microsoft Edge (microsoft.com/edge), or run: "
            "{python} -m playwright install chromium"
        )
    else:
        hint = _(
            "install Google Chrome (google.com/chrome) or Chromium (Debian: sudo apt install chromium; Fedora: "
            "sudo dnf install chromium), or run: {python} -m playwright install chromium"
        )
    return hint.format(python=system.python_command())


def no_browser_message(system: System, only_chromium: bool = False) -> str:
    if not only_chromium:
        return _("No Chromium-family browser found: {how}").format(how=browser_install_hint(system))
    if system.mac or system.windows:
        message = _(
            "No Chromium browser found: run {python} -m playwright install chromium, or leave out "
            "--browser-channel chromium to use Chrome or Edge"
        )
    else:
        message = _(
            "No Chromium browser found: install Chromium (Debian: sudo apt install chromium; Fedora: sudo dnf "
            "install chromium), or run: {python} -m playwright install chromium"
        )
    return message.format(python=system.python_command())


# ---------------------------------------------------------------------------------------------------------------
# Opening the session


@dataclass
class SessionRequest:
    headless: bool
    profile_dir: Path | None = None  # persistent profile (launch_persistent_context); created with mode 0700
    cdp_url: str | None = None  # attach to the person's running browser instead
    channel: str | None = None
    executable_path: str | None = None
    extra_args: list[str] = field(default_factory=list)  # extra Chromium flags (tests and the demo map hosts)
    ignore_https_errors: bool = False  # the demo's self-signed certificate


class BrowserSession:
    """The tab the tool drives, in either optout-bot's own browser or the person's (attached over CDP)."""

    def __init__(self, context: BrowserContext, page: Page, *, attached: bool, release: Callable[[], None]) -> None:
        self.context = context
        self.page = page
        self.attached = attached
        self._release = release
        self._closed = False

    def close(self) -> None:
        """Let go of the browser: ours is closed; the person's only disconnected (their tabs all stay)."""
        if self._closed:
            return
        self._closed = True
        # If the person already closed the tab or the browser, there is nothing left to close.
        with suppress(PlaywrightError):
            self._release()

    def __enter__(self) -> BrowserSession:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_session(pw: Playwright, request: SessionRequest) -> BrowserSession:
    if request.cdp_url is not None and request.profile_dir is None:
        return _attach(pw, request.cdp_url)
    if request.profile_dir is not None and request.cdp_url is None:
        return _launch(pw, request, request.profile_dir)
    raise ValueError("SessionRequest needs exactly one of profile_dir and cdp_url")


def _launch(pw: Playwright, request: SessionRequest, profile_dir: Path) -> BrowserSession:
    usable_profile_dir(profile_dir)  # the profile holds the person's Meta session: theirs alone to read
    _refuse_locked_profile(profile_dir)
    try:
        context = pw.chromium.launch_persistent_context(
            profile_dir,
            headless=request.headless,
            executable_path=request.executable_path,
            channel=request.channel,
            args=own_browser_args(request.extra_args),
            ignore_https_errors=request.ignore_https_errors,
            no_viewport=not request.headless,  # a headed window keeps the size the person gives it
        )
    except PlaywrightError as error:
        raise BrowserProblemError(_launch_failure_message(error, profile_dir)) from error
    try:
        page = _blank_page(context)
    except PlaywrightError as error:
        context.close()
        raise BrowserProblemError(
            _("The browser started but no tab could be opened ({error}). Close it and try again.").format(
                error=_first_line(error)
            )
        ) from error
    return BrowserSession(context, page, attached=False, release=context.close)


def own_browser_args(extra_args: list[str]) -> list[str]:
    """The flags for a browser the tool starts: its own, then `extra_args`, with one merged --disable-features."""
    features = [*PLAYWRIGHT_DISABLED_FEATURES, *QUIET_FEATURES]
    others = []
    for arg in extra_args:
        if arg.startswith(DISABLE_FEATURES):
            features += [name for name in arg.removeprefix(DISABLE_FEATURES).split(",") if name]
        else:
            others.append(arg)
    merged = DISABLE_FEATURES + ",".join(dict.fromkeys(features))  # in order, each once
    return [*OWN_PROFILE_ARGS, *others, merged]


def _blank_page(context: BrowserContext) -> Page:
    """A persistent context starts with one blank tab: use it rather than leave an empty tab beside ours."""
    for page in context.pages:
        if page.url == "about:blank":
            return page
    return context.new_page()


def _attach(pw: Playwright, cdp_url: str) -> BrowserSession:
    try:
        # no_defaults: leave the person's downloads, focus and colour settings alone in their own browser.
        browser = pw.chromium.connect_over_cdp(cdp_url, timeout=CDP_TIMEOUT_MS, no_defaults=True)
    except PlaywrightError as error:
        raise BrowserProblemError(
            _("Could not attach to a browser at {address} ({error}). {help}").format(
                address=cdp_url, error=_first_line(error), help=_(CDP_HELP)
            )
        ) from error
    try:
        page = _new_tab(browser, cdp_url)
    except BrowserProblemError:
        browser.close()
        raise
    # Browser.close() on a CDP connection only disconnects: the person's browser and all their tabs stay open,
    # and so does the tool's own tab, with Meta's confirmation on it (checked in tests/browser/test_browser.py).
    return BrowserSession(page.context, page, attached=True, release=browser.close)


def _new_tab(browser: Browser, cdp_url: str) -> Page:
    """A new tab in the person's own context (their cookies, their Meta session), never one of their tabs."""
    if not browser.contexts:
        raise BrowserProblemError(
            _("The browser at {address} has no window to open a tab in. {help}").format(
                address=cdp_url, help=_(CDP_HELP)
            )
        )
    try:
        return browser.contexts[0].new_page()
    except PlaywrightError as error:
        raise BrowserProblemError(
            _(
                "Attached to {address} but could not open a tab ({error}). Open a window in that browser and try again."
            ).format(address=cdp_url, error=_first_line(error))
        ) from error


# ---------------------------------------------------------------------------------------------------------------
# A profile in use by a running browser


def profile_lock(profile_dir: Path) -> tuple[str, int] | None:
    """Chromium's mark on a profile in use: its `SingletonLock` symlink to "hostname-pid" (None if absent).

    Linux and macOS; Windows locks differently (`_windows_lock_held`).
    """
    try:
        target = os.readlink(profile_dir / "SingletonLock")
    except OSError:
        return None
    host, _, pid = target.rpartition("-")
    return (host, int(pid)) if host and pid.isdigit() else None


def profile_lock_holder(profile_dir: Path, system: System | None = None) -> int | None:
    """The pid of a running browser on this computer holding `profile_dir`, else None.

    A lock whose process is gone is stale: Chromium replaces it at launch, so it is no obstacle.
    """
    lock = profile_lock(profile_dir)
    if lock is None or lock[0] != socket.gethostname():
        return None
    return lock[1] if _is_running_browser(lock[1], profile_dir, system or System.here()) else None


@dataclass(frozen=True)
class ProfileInUse:
    """Who keeps a profile from being opened: a browser on another computer (`host`), or one here (`pid`, when
    the system tells it: Windows does not)."""

    host: str | None = None
    pid: int | None = None


def profile_in_use(profile_dir: Path, system: System | None = None) -> ProfileInUse | None:
    """Whether a browser holds `profile_dir`, and which; None when it can be opened (a stale lock is no obstacle)."""
    system = system or System.here()
    if system.windows:
        return ProfileInUse() if _windows_lock_held(profile_dir / WINDOWS_LOCKFILE) else None
    lock = profile_lock(profile_dir)
    if lock is not None and lock[0] != socket.gethostname():
        return ProfileInUse(host=lock[0])
    holder = profile_lock_holder(profile_dir, system)
    return ProfileInUse(pid=holder) if holder is not None else None


# Chromium on Windows keeps <profile>/lockfile open while it runs, letting others only read it, and has it deleted
# when it closes (process_singleton_win.cc): no symlink, no pid.
WINDOWS_LOCKFILE = "lockfile"


def _windows_lock_held(lockfile: Path) -> bool:
    """Whether a running browser holds `lockfile`: it cannot be opened for writing (a sharing violation).

    A lockfile that opens is a crashed browser's leftover, which Chromium replaces: no obstacle.
    """
    try:
        _open_for_writing(lockfile)
    except PermissionError:
        return True
    except OSError:
        return False  # absent (the usual case) or unreadable for another reason: let Chromium decide
    return False


def _open_for_writing(path: Path) -> None:
    """Opens `path` for writing without changing it, and closes it (only on Windows does another program's open
    file refuse this)."""
    with path.open("r+b"):
        pass


def _refuse_locked_profile(profile_dir: Path) -> None:
    """Say clearly, before launching, that the profile is taken (Chromium would only fail with a log line)."""
    in_use = profile_in_use(profile_dir)
    if in_use is not None and in_use.host is not None:
        raise BrowserProblemError(_other_computer_message(profile_dir, in_use.host))
    if in_use is not None:
        raise BrowserProblemError(_in_use_message(profile_dir, in_use.pid))
    _remove_stale_lock(profile_dir)


def _remove_stale_lock(profile_dir: Path) -> None:
    """A lock of this computer that no browser holds any more goes, before Chromium reads it.

    Its pid may now be the person's everyday Chromium: Chromium itself would take that process for the
    profile's owner, wait for it, and may end it as "unresponsive".
    """
    if profile_lock(profile_dir) is None:
        return
    for name in ("SingletonLock", "SingletonSocket", "SingletonCookie"):  # Chromium's three symlinks
        with suppress(OSError):
            if (profile_dir / name).is_symlink():
                (profile_dir / name).unlink()


def _is_running_browser(pid: int, profile_dir: Path, system: System) -> bool:
    """Whether process `pid` is a browser running on `profile_dir` (as far as this system can tell)."""
    if system.windows:
        return False  # os.kill() would terminate the process on Windows; no symlink lock there anyway
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    uses = _uses_profile(pid, profile_dir, system)
    if uses is not None:
        return uses
    return _looks_like_a_browser(pid, system)


def _uses_profile(pid: int, profile_dir: Path, system: System) -> bool | None:
    """Whether process `pid` was started on `profile_dir` (its --user-data-dir); None where the system cannot tell.

    After a reboot a stale lock's pid may be the person's everyday Chromium, on its own profile: not this one's.
    Linux tells by /proc/PID/cmdline; macOS has no /proc, but `ps` shows the command line.
    """
    if system.mac:
        return _ps_uses_profile(pid, profile_dir)
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    for argument in arguments:
        if argument.startswith(b"--user-data-dir="):
            folder = Path(os.fsdecode(argument.removeprefix(b"--user-data-dir=")))
            if not folder.is_absolute():
                folder = Path(f"/proc/{pid}/cwd") / folder
            with suppress(OSError):
                if os.path.samefile(folder, profile_dir):
                    return True
    return False


def _ps_uses_profile(pid: int, profile_dir: Path) -> bool | None:
    """macOS: whether `ps` shows process `pid` started with --user-data-dir=`profile_dir`; None without `ps`.

    `ps` joins the arguments with spaces, so the folder (which may contain spaces: "Application Support") is
    looked for as a whole. Playwright passes it as given, and optout-bot gives it absolute.
    """
    command_line = _ps_command_line(pid)
    if command_line is None:
        return None
    folders = {str(profile_dir), str(profile_dir.resolve())}
    return any(f"--user-data-dir={folder}" in command_line for folder in folders)


def _ps_command_line(pid: int) -> str | None:
    """Process `pid`'s command line as `ps` shows it, never cut to a width (-ww: macOS's and Linux's ps alike)."""
    try:
        shown = subprocess.run(
            ["ps", "-ww", "-p", str(pid), "-o", "command="], capture_output=True, text=True, timeout=PS_TIMEOUT_S
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if shown.returncode != 0:
        return None  # no such process any more, or a `ps` that does not know these options
    return shown.stdout.strip() or None


PS_TIMEOUT_S = 5


def _looks_like_a_browser(pid: int, system: System) -> bool:
    """After a reboot a stale lock's pid may belong to an unrelated process: where Linux tells, check its name."""
    if system.mac:
        return True  # `ps` did not answer: the pid is alive, trust the lock
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip().lower()
    except OSError:
        return True  # the system cannot tell (no /proc, no ps): the pid is alive, trust the lock
    return any(part in name for part in ("chrom", "msedge", "brave", "edge"))


def _in_use_message(profile_dir: Path, pid: int | None) -> str:
    if pid is None:
        message = _(
            "The browser profile {profile} is in use by another browser window. Close that window and try again."
        )
    else:
        message = _(
            "The browser profile {profile} is in use by another browser window (pid {pid}). Close that window and "
            "try again."
        )
    return message.format(profile=profile_dir, pid=pid)


def _other_computer_message(profile_dir: Path, host: str) -> str:
    return _(
        "The browser profile {profile} is locked by a browser on another computer ({host}). "
        "If no browser there uses it, delete {lock} and try again."
    ).format(profile=profile_dir, host=host, lock=profile_dir / "SingletonLock")


# ---------------------------------------------------------------------------------------------------------------
# Playwright's launch errors, in one line


def _launch_failure_message(error: PlaywrightError, profile_dir: Path) -> str:
    text = error.message
    if "ProcessSingleton" in text or "profile appears to be in use" in text or "profile is already in use" in text:
        lock = profile_lock(profile_dir)
        if lock is not None and lock[0] != socket.gethostname():
            return _other_computer_message(profile_dir, lock[0])
        return _in_use_message(profile_dir, profile_lock_holder(profile_dir))
    if "XServer" in text or "Missing X server" in text:
        return _("Could not open a browser window: no screen found (DISPLAY is not set). Run it in a desktop session.")
    return _(
        "Could not start the browser ({error}). Run again with --debug for details, or choose another browser "
        "with --browser-channel or --executable-path."
    ).format(error=_first_line(error))


def _first_line(error: PlaywrightError) -> str:
    """Playwright's message without its "BrowserType.launch…: " prefix, call log and ASCII-art boxes."""
    first = error.message.strip().splitlines()[0] if error.message.strip() else type(error).__name__
    api, sep, rest = first.partition(": ")
    return rest if sep and "." in api and " " not in api else first
