"""Where optout-bot keeps things on the person's machine: profiles, receipts, diagnostics.

Everything lives under the user data directory (platformdirs), in folders only the person can open,
because a browser profile holds their Meta session and a receipt shows their account.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from platformdirs.api import PlatformDirsABC
from platformdirs.macos import MacOS
from platformdirs.unix import Unix
from platformdirs.windows import Windows

from optout_bot.errors import BrowserProblemError, UsageError
from optout_bot.i18n import _

ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
APP = "optout-bot"


def app_dirs(system: str | None = None) -> PlatformDirsABC:
    """platformdirs' folders for optout-bot on `system` (a sys.platform name; this computer's when None).

    Every folder the tool keeps comes from here, so that each system's own places are used (tested for all three
    in tests/unit/test_paths_systems.py): Linux ~/.local/share/optout-bot (XDG), macOS ~/Library/Application
    Support/optout-bot, Windows %LOCALAPPDATA%\\optout-bot. appauthor=False: no author folder above the tool's own
    on Windows (…\\optout-bot, not …\\optout-bot\\optout-bot).
    """
    system = system or sys.platform
    dirs = Windows if system == "win32" else MacOS if system == "darwin" else Unix
    return dirs(APP, appauthor=False)


CONFIG_FILE = "config.toml"
# A settings file is a few hundred bytes; anything beyond this is not one (a log pasted in, a device).
CONFIG_SIZE_LIMIT = 1_000_000


def config_path() -> Path:
    """The settings file (`optout-bot init`); here rather than in settings/config.py, which loads pydantic."""
    return app_dirs().user_config_path / CONFIG_FILE


def data_dir() -> Path:
    """Where the person's files go: receipts, screenshots, diagnostics, the ledger, profiles — or, during a
    `demo`, the demo's own home inside it (`demo_home`)."""
    root = app_dirs().user_data_path
    return root / DEMO_HOME if _in_demo else root


DEMO_HOME = "demo"
_in_demo = False


@contextmanager
def demo_home() -> Iterator[None]:
    """While a `demo` runs: its screenshots, receipts, diagnostics and log go to the demo's home (<data
    folder>/demo), never among the person's real receipts. Its parent is made private first. Undone after, so a
    demo run in-process (the guided start, tests) leaves the next command's files where they belong."""
    global _in_demo
    private_dir(app_dirs().user_data_path)
    _in_demo = True
    try:
        yield
    finally:
        _in_demo = False


def in_demo_home() -> bool:
    return _in_demo


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the person only; tighten it if it already exists.

    A symbolic link is used as it is, never tightened: chmod would change its target, a folder that is not
    optout-bot's (a data folder moved to another disk keeps the permissions its owner gave it).
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.is_symlink() and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def check_account_name(account: str) -> str:
    """An account name is also a folder name: nothing that could leave the profiles folder."""
    if not ACCOUNT_NAME.match(account):
        raise UsageError(
            _("account name {account!r} is not allowed: use letters, digits, '.', '_' or '-' (up to 64)").format(
                account=account
            )
        )
    return account


def profiles_dir() -> Path:
    """The folder of the accounts' browser profiles, one folder per account (its name)."""
    return data_dir() / "profiles"


def profile_dir(account: str) -> Path:
    """The account's browser profile folder, private and ready for Chromium (else a BrowserProblemError)."""
    check_account_name(account)
    path = profiles_dir() / account
    with _unusable_profile(path):
        private_dir(data_dir())
        private_dir(path.parent)
    return usable_profile_dir(path)


def usable_profile_dir(path: Path) -> Path:
    """`path` as a private folder of optout-bot's own for a browser profile, or one line saying why it cannot be.

    A symbolic link is refused: the tool launches its profile with its own flags and keeps it private, which it
    cannot promise of a folder that belongs elsewhere (another browser's profile, someone else's folder).
    """
    if path.is_symlink():
        message = _(
            "The browser profile folder {path} is a symbolic link: optout-bot only uses a folder of its own. "
            "Remove the link (optout-bot makes a new folder), or use your own browser with --cdp."
        )
        raise BrowserProblemError(message.format(path=path))
    with _unusable_profile(path):
        return private_dir(path)


@contextmanager
def _unusable_profile(path: Path) -> Iterator[None]:
    """A file where the profile folder (or a folder above it) should be: one line with the folder and the fix."""
    try:
        yield
    except OSError as exc:
        message = _(
            "Cannot use the browser profile folder {path} ({reason}): make sure it and the folders above it are "
            "folders of yours (not files), or move what is in the way aside."
        )
        raise BrowserProblemError(message.format(path=path, reason=exc.strerror or exc)) from exc


# --- The demo's throwaway profiles ------------------------------------------------------------------------------

# On Windows a pid cannot be probed safely (os.kill would end the process): a folder this old is stale there.
STALE_DEMO_PROFILE_SECONDS = 24 * 3600


def state_dir() -> Path:
    """Where the log folder goes (records/logfile.py): ~/.local/state/optout-bot on Linux, the data folder elsewhere."""
    return app_dirs().user_state_path


def demo_profiles_dir() -> Path:
    return app_dirs().user_cache_path / "demo-profiles"


@contextmanager
def demo_profile() -> Iterator[Path]:
    """A fresh browser profile for one `demo`, in a known place, removed when the demo ends.

    A demo killed with SIGKILL cannot clean up after itself: its folder, named after its pid, is removed by
    the next demo once that pid is gone.
    """
    root = demo_profiles_dir()
    private_dir(root.parent)
    private_dir(root)
    _remove_stale_demo_profiles(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))  # mode 0700
    try:
        yield folder / "profile"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_stale_demo_profiles(root: Path) -> None:
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if folder.is_dir() and not folder.is_symlink() and pid.isdigit() and _demo_is_gone(int(pid), folder):
            shutil.rmtree(folder, ignore_errors=True)


def _demo_is_gone(pid: int, folder: Path) -> bool:
    if os.name == "nt":
        return time.time() - folder.stat().st_mtime > STALE_DEMO_PROFILE_SECONDS
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user (a reused pid): keep the folder for now
    return False


def timestamped_file(folder: str, stem: str, suffix: str) -> Path:
    """A new file path such as receipts/20261129-101500-instagram-confirmation.png in a private folder."""
    private_dir(data_dir())
    return private_dir(data_dir() / folder) / timestamped_name(stem, suffix)


def timestamped_name(stem: str, suffix: str) -> str:
    """A file name that sorts by when it was made: 20261129-101500-instagram-confirmation.png."""
    return f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{stem}{suffix}"


def make_private(path: Path) -> Path:
    """Files that show the person's account (screenshots, diagnostics) are mode 0600; never through a symlink."""
    if not path.is_symlink():
        os.chmod(path, 0o600)
    return path


# --- Reading a file the person gave ---------------------------------------------------------------------------


class UnreadableFileError(OSError):
    """A path that is not a regular file, or one too large to be what it claims: refused before reading."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; else an OSError whose strerror says why.

    A settings file or a receipt could be a FIFO (reading waits forever), a device (/dev/zero never ends) or a
    huge file: it is opened without waiting (O_NONBLOCK), checked on the open file, and read to `limit` only.
    """
    with _open_regular(path) as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        message = _("larger than {size} MB, too large to be what it should be")
        raise UnreadableFileError(errno.EFBIG, message.format(size=limit // 1_000_000))
    return data


def _open_regular(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    file = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        file.close()
        if stat.S_ISDIR(mode):
            raise UnreadableFileError(errno.EISDIR, os.strerror(errno.EISDIR))
        raise UnreadableFileError(errno.EINVAL, _("not a regular file (a device, a pipe or a socket)"))
    return file


# --- Where --screenshot writes ----------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_screenshot_path(path: Path | None) -> None:
    """Refuse, before any browser starts, a --screenshot that could not be written or would destroy a file.

    An existing PNG picture is taken for an earlier screenshot and replaced (the run says so); any other
    existing file could be the person's own, picked by a typo, and is never overwritten.
    """
    if path is None:
        return
    if path.is_symlink():
        raise UsageError(_("--screenshot {path} is a symbolic link: give the path of a file").format(path=path))
    if path.exists():
        if not is_png_picture(path):
            message = _(
                "--screenshot {path} exists and is not a PNG picture: optout-bot will not overwrite it; "
                "give another file name"
            )
            raise UsageError(message.format(path=path))
        return
    blocker = next((folder for folder in path.parents if folder.exists() or folder.is_symlink()), None)
    if blocker is not None and not blocker.is_dir():
        message = _("--screenshot {path} cannot be created: {blocker} is a file, not a folder")
        raise UsageError(message.format(path=path, blocker=blocker))


def is_png_picture(path: Path) -> bool:
    """A regular file that starts like a PNG (a FIFO or a device is not read, and is not one)."""
    try:
        with _open_regular(path) as file:
            return file.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE
    except OSError:
        return False
