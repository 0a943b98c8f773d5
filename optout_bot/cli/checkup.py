"""`optout-bot doctor`: is this computer ready for optout-bot? Each check is a small function returning a Check.

Every check says what it found (`detail`) and, when it fails, what to do about it in plain words (`fix`).
The checks look at the real machine — the Python running, Playwright, the browser (started headless for a
moment to read its version), the screen, the browser profiles, the settings file, the data and log folders
and the ledger — and change nothing but what optout-bot itself would create: its private folders, the
ledger, and a temporary file written and deleted to prove a folder is writable.

Imported only when `doctor` runs: it loads Playwright (and pydantic, for the settings) when it checks them.
"""

from __future__ import annotations

import importlib.metadata
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout_bot.errors import OptoutError
from optout_bot.i18n import _, ngettext
from optout_bot.paths import ACCOUNT_NAME, config_path, data_dir, private_dir, profiles_dir

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

    from optout_bot.walk.browser import System

MINIMUM_PYTHON = (3, 11)
# Starting the browser headless to read its version: a healthy one takes a second or two, a loaded machine more.
BROWSER_LAUNCH_TIMEOUT_MS = 30_000
JSON_SCHEMA = 1


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what was checked (`name`, stable for scripts), whether it passed, and why."""

    name: str
    ok: bool
    detail: str  # what was found, in the person's language
    fix: str | None = None  # what to do, when it failed
    items: tuple[str, ...] = field(default=())  # the particulars, one per line (a settings file's problems)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "items": list(self.items)}


def _python_command() -> str:
    return f'"{sys.executable}"' if " " in sys.executable else sys.executable


# --- 1. Python ------------------------------------------------------------------------------------------------


def check_python(version: Sequence[int] = tuple(sys.version_info[:3])) -> Check:
    found = ".".join(str(part) for part in version[:3])
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return Check("python", True, _("Python {version}").format(version=found))
    needed = ".".join(str(part) for part in MINIMUM_PYTHON)
    return Check(
        "python",
        False,
        _("Python {version} is too old: optout-bot needs Python {needed} or newer").format(
            version=found, needed=needed
        ),
        _(
            "install Python {needed} or newer (python.org, or your system's packages), then set optout-bot up "
            "again with it (scripts/setup)"
        ).format(needed=needed),
    )


# --- 2. Playwright --------------------------------------------------------------------------------------------


def _reinstall_playwright() -> str:
    return _("reinstall it: {python} -m pip install --force-reinstall playwright (or run scripts/setup)").format(
        python=_python_command()
    )


def check_playwright(stack: ExitStack) -> tuple[Check, Playwright | None]:
    """Playwright imports and its driver starts; the running driver (closed with `stack`) serves the browser check."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return Check(
            "playwright",
            False,
            _("Playwright is not installed ({reason})").format(reason=exc),
            _("install it: {python} -m pip install playwright (or run scripts/setup)").format(python=_python_command()),
        ), None
    try:
        version = importlib.metadata.version("playwright")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    try:
        pw = stack.enter_context(sync_playwright())
    except Exception as exc:  # the driver is a separate program: whatever stops it, the fix is the same
        return Check(
            "playwright",
            False,
            _("Playwright {version} is installed but its driver does not start: {reason}").format(
                version=version, reason=_first_line(str(exc)) or type(exc).__name__
            ),
            _reinstall_playwright(),
        ), None
    return Check("playwright", True, _("Playwright {version} (its driver starts)").format(version=version)), pw


# --- 3. The browser -------------------------------------------------------------------------------------------


def check_browser(
    pw: Playwright | None, channel: str | None = None, executable_path: str | None = None, system: System | None = None
) -> Check:
    """The browser optout-bot would use (browser.find_browser), started headless for a moment to read its version.

    `system`: the computer looked at (this one; tests fake others), for where browsers are and how to get one."""
    if pw is None:
        return Check(
            "browser",
            False,
            _("Browser not checked: Playwright does not work"),
            _("fix Playwright first (see above)"),
        )
    from playwright.sync_api import Error as PlaywrightError

    from optout_bot.walk.browser import OWN_PROFILE_ARGS, System, browser_install_hint, find_browser

    system = system or System.here()
    try:
        choice = find_browser(pw, channel, executable_path, system)
    except OptoutError as exc:
        return Check("browser", False, _("No browser found"), exc.message)
    try:
        browser = pw.chromium.launch(
            headless=True,
            executable_path=choice.executable_path,
            channel=choice.channel,
            args=list(OWN_PROFILE_ARGS),
            timeout=BROWSER_LAUNCH_TIMEOUT_MS,
        )
        try:
            version = browser.version
        finally:
            browser.close()
    except PlaywrightError as exc:
        return Check(
            "browser",
            False,
            _("{browser} does not start: {reason}").format(
                browser=_capitalised(choice.description), reason=_playwright_reason(exc)
            ),
            _(
                "reinstall that browser, or choose another one with --browser-channel or --executable-path, or {how}"
            ).format(how=browser_install_hint(system)),
        )
    return Check(
        "browser",
        True,
        _("{browser}, version {version}").format(browser=_capitalised(choice.description), version=version),
    )


def _capitalised(text: str) -> str:
    """find_browser's "the browser at /path" opens a line of the checklist here."""
    return text[:1].upper() + text[1:]


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.strip().splitlines() if line.strip()), "")


def _playwright_reason(exc: Exception) -> str:
    """Playwright's first line without its "BrowserType.launch: " prefix (its call log follows on other lines)."""
    first = _first_line(getattr(exc, "message", "") or str(exc)) or type(exc).__name__
    api, sep, rest = first.partition(": ")
    return rest if sep and "." in api and " " not in api else first


# --- 4. A screen ----------------------------------------------------------------------------------------------


def check_display() -> Check:
    """`run` and `login` show the browser window, for the person to log in and click Submit: they need a screen."""
    from optout_bot.walk.browser import has_display

    if has_display():
        variable = next((name for name in ("DISPLAY", "WAYLAND_DISPLAY") if os.environ.get(name)), None)
        if variable is None or sys.platform in ("darwin", "win32"):
            return Check("display", True, _("A screen is available for the browser window"))
        return Check(
            "display",
            True,
            _("A screen is available for the browser window ({variable}={value})").format(
                variable=variable, value=os.environ[variable]
            ),
        )
    return Check(
        "display",
        False,
        _(
            "No screen for the browser window (DISPLAY and WAYLAND_DISPLAY are not set): `run` and `login` need "
            "one, because you log in and click Submit in that window"
        ),
        _(
            "run optout-bot on the computer you sit at, in its desktop session. Without a screen, trial runs "
            "still work: `optout-bot run --dry-run --headless` and `optout-bot demo --dry-run --headless`"
        ),
    )


# --- 5. Browser profiles in use -------------------------------------------------------------------------------


def profile_names() -> list[str]:
    """Every browser profile optout-bot has (folders under profiles/) or will use (the accounts in the settings)."""
    names: set[str] = set()
    folder = profiles_dir()
    if folder.is_dir():
        names.update(entry.name for entry in folder.iterdir() if entry.is_dir() and ACCOUNT_NAME.match(entry.name))
    from optout_bot.settings.config import ConfigFileError, load_config

    try:
        config = load_config()
    except ConfigFileError:
        pass  # reported by the settings check; the folders are still checked
    else:
        names.update(account.profile_name for account in config.accounts)
    return sorted(names, key=str.casefold)


def check_profiles() -> list[Check]:
    """Profiles a running browser holds: `run` and `login` cannot open them (the same browser.profile_in_use)."""
    from optout_bot.walk.browser import profile_in_use

    names = profile_names()
    failures: list[Check] = []
    for name in names:
        profile = profiles_dir() / name
        in_use = profile_in_use(profile)
        if in_use is not None and in_use.host is not None:
            failures.append(
                Check(
                    "profiles",
                    False,
                    _("The browser profile {name} ({path}) is locked by a browser on another computer ({host})").format(
                        name=name, path=profile, host=in_use.host
                    ),
                    _("close the browser on {host} that uses it; if there is none, delete {lock}").format(
                        host=in_use.host, lock=profile / "SingletonLock"
                    ),
                )
            )
        elif in_use is not None and in_use.pid is None:  # Windows tells that a browser holds it, not which
            failures.append(
                Check(
                    "profiles",
                    False,
                    _("The browser profile {name} ({path}) is in use by a running browser").format(
                        name=name, path=profile
                    ),
                    _(
                        "close the browser window that uses it; if an optout-bot `run` or `login` is using it, "
                        "let it finish first"
                    ),
                )
            )
        elif in_use is not None:
            failures.append(
                Check(
                    "profiles",
                    False,
                    _("The browser profile {name} ({path}) is in use by a running browser (pid {pid})").format(
                        name=name, path=profile, pid=in_use.pid
                    ),
                    _(
                        "close that browser window (pid {pid}); if an optout-bot `run` or `login` is using it, "
                        "let it finish first"
                    ).format(pid=in_use.pid),
                )
            )
    if failures:
        return failures
    if not names:
        return [Check("profiles", True, _("No browser profile yet (`optout-bot login` makes one)"))]
    detail = ngettext(
        "No browser profile is in use by a running browser ({count} profile: {names})",
        "No browser profile is in use by a running browser ({count} profiles: {names})",
        len(names),
    )
    return [Check("profiles", True, detail.format(count=len(names), names=", ".join(names)))]


# --- 6. The settings file -------------------------------------------------------------------------------------


def check_settings() -> Check:
    from optout_bot.settings.config import ConfigFileError, load_config

    path = config_path()
    try:
        config = load_config(path)
    except ConfigFileError as exc:
        count = len(exc.problems)
        detail = ngettext(
            "The settings file {path} has {count} mistake", "The settings file {path} has {count} mistakes", count
        )
        return Check(
            "settings",
            False,
            detail.format(path=path, count=count),
            ngettext(
                "correct the line below in {path}, or write the file anew with `optout-bot init --force`",
                "correct the lines below in {path}, or write the file anew with `optout-bot init --force`",
                count,
            ).format(path=path),
            tuple(str(problem) for problem in exc.problems),
        )
    if not path.is_file():
        return Check("settings", True, _("No settings file: it is optional, `optout-bot init` writes one"))
    accounts = len(config.accounts)
    detail = ngettext(
        "The settings file {path} is valid ({count} account)",
        "The settings file {path} is valid ({count} accounts)",
        accounts,
    )
    return Check("settings", True, detail.format(path=path, count=accounts))


def check_flows_folder() -> Check:
    """The flow files in use: the bundled ones, or which of them a chosen folder replaces (the settings' flows_dir,
    --flows-dir, OPTOUT_BOT_FLOWS_DIR); a settings key naming no folder fails here, with its line."""
    from optout_bot.bundled import flows_override, replaced_files
    from optout_bot.settings.config import FLOWS_DIR_KEY, ConfigFileError

    try:
        folder = flows_override()
    except ConfigFileError as exc:
        if not any(problem.where == FLOWS_DIR_KEY for problem in exc.problems):  # the file itself: said above
            detail = _("Which flow files are in use is not known while the settings file cannot be read")
            return Check("flows", False, detail, _("correct the settings file first (see above)"))
        return Check(
            "flows",
            False,
            _("The folder of flow files named in the settings cannot be used"),
            _("correct the line below in {path}, or remove it to use the bundled flows").format(path=config_path()),
            tuple(str(problem) for problem in exc.problems),
        )
    if folder is None:
        return Check("flows", True, _("The bundled flow files are in use"))
    detail = _("Flow files from {folder} replace the bundled ones: {files}")
    return Check("flows", True, detail.format(folder=folder, files=", ".join(replaced_files()) or "-"))


# --- 7. The data folder and the ledger; 8. the log folder -----------------------------------------------------


def _writable(folder: Path) -> str | None:
    """None when `folder` (created private if missing) takes a new file; else why not."""
    try:
        private_dir(folder)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".doctor-", suffix=".tmp")
        try:
            os.write(fd, b"optout-bot doctor\n")
        finally:
            os.close(fd)
            Path(temporary).unlink()
    except OSError as exc:
        return str(exc.strerror or exc)
    return None


def _folder_check(name: str, folder: Path, found: str) -> Check:
    reason = _writable(folder)
    if reason is None:
        return Check(name, True, found.format(path=folder))
    return Check(
        name,
        False,
        _("Cannot write in the folder {path}: {reason}").format(path=folder, reason=reason),
        _(
            "make sure {path} is a folder that belongs to you (not a file, nor another user's folder) and that "
            "the disk is not full"
        ).format(path=folder),
    )


def check_data_dir() -> Check:
    """Browser profiles, the ledger, receipts and diagnostics are kept there."""
    return _folder_check("data_dir", data_dir(), _("Data folder {path} is writable"))


def check_ledger() -> Check:
    """The ledger opens (created if new): a damaged one would stop every `run` from being recorded."""
    from optout_bot.records.ledger import Ledger, default_path

    path = default_path()
    try:
        with Ledger.open(path) as ledger:
            runs = len(ledger.runs())
    except OptoutError as exc:
        return Check("ledger", False, _("The ledger {path} cannot be used").format(path=path), exc.message)
    except sqlite3.Error as exc:  # not one of the file's troubles the ledger words itself: still worth a line
        return Check(
            "ledger",
            False,
            _("The ledger {path} cannot be used: {reason}").format(path=path, reason=exc),
            _("move it aside (for example rename it to {name}.broken) and run again to start a new one").format(
                name=path.name
            ),
        )
    detail = ngettext(
        "The ledger {path} opens ({count} run recorded)", "The ledger {path} opens ({count} runs recorded)", runs
    )
    return Check("ledger", True, detail.format(path=path, count=runs))


def check_log_dir() -> Check:
    from optout_bot.records.logfile import log_dir

    return _folder_check("log_dir", log_dir(), _("Log folder {path} is writable"))


# --- All of them ----------------------------------------------------------------------------------------------


def run_checks(channel: str | None = None, executable_path: str | None = None) -> Iterator[Check]:
    """Every check, in the order a person would fix them; yielded one by one, as the browser check takes seconds."""
    yield check_python()
    with ExitStack() as stack:
        playwright, pw = check_playwright(stack)
        yield playwright
        yield check_browser(pw, channel, executable_path)
    yield check_display()
    yield from check_profiles()
    yield check_settings()
    yield check_flows_folder()
    yield check_data_dir()
    yield check_ledger()
    yield check_log_dir()


# --- Showing them ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marks:
    ok: str
    fail: str
    dash: str


UNICODE_MARKS = Marks("✓", "✗", "—")
ASCII_MARKS = Marks("OK", "FAIL", "-")


def marks_for(encoding: str | None) -> Marks:
    """✓ and ✗ where the terminal can print them; OK and FAIL elsewhere (a Windows console in cp1252, say)."""
    try:
        "".join((UNICODE_MARKS.ok, UNICODE_MARKS.fail, UNICODE_MARKS.dash)).encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return UNICODE_MARKS


def checklist_line(check: Check, marks: Marks) -> str:
    """`✓ Python 3.11.2`, or `✗ No browser found — fix: …`, then the check's particulars indented."""
    line = f"{marks.ok if check.ok else marks.fail} {check.detail}"
    if not check.ok and check.fix:
        line += f" {marks.dash} " + _("fix: {fix}").format(fix=check.fix)
    return "\n".join([line, *(f"    {item}" for item in check.items)])


def summary(checks: Sequence[Check]) -> str:
    failed = sum(not check.ok for check in checks)
    if not failed:
        return _("All checks passed: optout-bot is ready.")
    return ngettext(
        "{count} check failed: do what its line says, then run `optout-bot doctor` again.",
        "{count} checks failed: do what their lines say, then run `optout-bot doctor` again.",
        failed,
    ).format(count=failed)


def as_json(checks: Sequence[Check]) -> dict[str, Any]:
    from optout_bot import __version__

    return {
        "schema": JSON_SCHEMA,
        "optout_bot": __version__,
        "platform": sys.platform,
        "ok": all(check.ok for check in checks),
        "checks": [check.as_json() for check in checks],
    }
