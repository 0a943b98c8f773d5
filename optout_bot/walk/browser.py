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
import sys
from collections.abc import Callable, Iterator
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
class _Known:
    """A Chromium-family browser and where it is usually installed."""

    name: str
    commands: tuple[str, ...]  # names on PATH (Linux packages)
    mac_app: str  # path inside /Applications
    windows_exe: tuple[str, ...]  # path parts under %ProgramFiles%, %ProgramFiles(x86)% or %LocalAppData%
    chromium_build: bool = False


KNOWN_BROWSERS = (
    _Known(
        "Google Chrome",
        ("google-chrome", "google-chrome-stable"),
        "Google Chrome.app/Contents/MacOS/Google Chrome",
        ("Google", "Chrome", "Application", "chrome.exe"),
    ),
    _Known(
        "Chromium",
        ("chromium", "chromium-browser"),
        "Chromium.app/Contents/MacOS/Chromium",
        ("Chromium", "Application", "chrome.exe"),
        chromium_build=True,
    ),
    _Known(
        "Microsoft Edge",
        ("microsoft-edge", "microsoft-edge-stable"),
        "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        ("Microsoft", "Edge", "Application", "msedge.exe"),
    ),
    _Known(
        "Brave",
        ("brave-browser",),
        "Brave Browser.app/Contents/MacOS/Brave Browser",
        ("BraveSoftware", "Brave-Browser", "Application", "brave.exe"),
    ),
)

CHANNELS = {"chrome": "Google Chrome", "msedge": "Microsoft Edge"}


def find_browser(pw: Playwright, channel: str | None = None, executable_path: str | None = None) -> BrowserChoice:
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
    only_chromium = channel == "chromium"
    found = next(_installed(pw, only_chromium), None)
    if found is None:
        raise BrowserProblemError(_no_browser_message(only_chromium))
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


def _installed(pw: Playwright, only_chromium: bool) -> Iterator[tuple[str, Path]]:
    """Every installed candidate, best first: Playwright's own Chromium, then the person's browsers."""
    own = Path(pw.chromium.executable_path)  # where Playwright would put it, whether downloaded or not
    if _is_executable(own):
        yield _("Playwright's Chromium"), own
    for known in KNOWN_BROWSERS:
        if only_chromium and not known.chromium_build:
            continue
        for path in _locations(known):
            if _is_executable(path):
                yield known.name, path


def _locations(known: _Known) -> Iterator[Path]:
    for command in known.commands:
        found = shutil.which(command)
        if found:
            yield Path(found)
    # Outside Linux browsers are rarely on PATH: look where their installers put them.
    if sys.platform == "darwin":
        for apps in (Path("/Applications"), Path.home() / "Applications"):
            yield apps / known.mac_app
    elif sys.platform == "win32":
        for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
            root = os.environ.get(variable)
            if root:
                yield Path(root).joinpath(*known.windows_exe)


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _no_browser_message(only_chromium: bool) -> str:
    python = f'"{sys.executable}"' if " " in sys.executable else sys.executable
    if only_chromium:
        message = _(
            "No Chromium browser found. Install Chromium (Debian/Ubuntu: sudo apt-get install chromium), "
            "or run: {python} -m playwright install chromium"
        )
    else:
        message = _(
            "No Chromium-family browser found. Install Google Chrome or Chromium (Debian/Ubuntu: sudo apt-get "
            "install chromium), or run: {python} -m playwright install chromium"
        )
    return message.format(python=python)


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

    Windows locks differently (no symlink): there only the launch failure tells, and is mapped to the same message.
    """
    try:
        target = os.readlink(profile_dir / "SingletonLock")
    except OSError:
        return None
    host, _, pid = target.rpartition("-")
    return (host, int(pid)) if host and pid.isdigit() else None


def profile_lock_holder(profile_dir: Path) -> int | None:
    """The pid of a running browser on this computer holding `profile_dir`, else None.

    A lock whose process is gone is stale: Chromium replaces it at launch, so it is no obstacle.
    """
    lock = profile_lock(profile_dir)
    if lock is None or lock[0] != socket.gethostname():
        return None
    return lock[1] if _is_running_browser(lock[1], profile_dir) else None


@dataclass(frozen=True)
class ProfileInUse:
    """Who keeps a profile from being opened: a browser on another computer (`host`), or one here (`pid`)."""

    host: str | None = None
    pid: int | None = None


def profile_in_use(profile_dir: Path) -> ProfileInUse | None:
    """Whether a browser holds `profile_dir`, and which; None when it can be opened (a stale lock is no obstacle)."""
    lock = profile_lock(profile_dir)
    if lock is not None and lock[0] != socket.gethostname():
        return ProfileInUse(host=lock[0])
    holder = profile_lock_holder(profile_dir)
    return ProfileInUse(pid=holder) if holder is not None else None


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


def _is_running_browser(pid: int, profile_dir: Path) -> bool:
    """Whether process `pid` is a browser running on `profile_dir` (as far as this system can tell)."""
    if os.name == "nt":
        return False  # os.kill() would terminate the process on Windows; no symlink lock there anyway
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    uses = _uses_profile(pid, profile_dir)
    if uses is not None:
        return uses
    return _looks_like_a_browser(pid)


def _uses_profile(pid: int, profile_dir: Path) -> bool | None:
    """Whether process `pid` was started on `profile_dir` (its --user-data-dir); None where the system cannot tell.

    After a reboot a stale lock's pid may be the person's everyday Chromium, on its own profile: not this one's.
    Linux tells by /proc/PID/cmdline; elsewhere (macOS) there is no such file, and the lock is trusted.
    """
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


def _looks_like_a_browser(pid: int) -> bool:
    """After a reboot a stale lock's pid may belong to an unrelated process: where Linux tells, check its name."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip().lower()
    except OSError:
        return True  # no /proc (macOS): the pid is alive, trust the lock
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
