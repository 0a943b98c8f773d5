"""Where optout-bot keeps things on the person's machine: profiles, receipts, diagnostics.

Everything lives under the user data directory (platformdirs), in folders only the person can open,
because a browser profile holds their Meta session and a receipt shows their account.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from optout_bot.errors import UsageError
from optout_bot.i18n import _

ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


CONFIG_FILE = "config.toml"


def config_path() -> Path:
    """The settings file (`optout-bot init`); here rather than in config.py, which loads pydantic."""
    return user_config_path("optout-bot", appauthor=False) / CONFIG_FILE


def data_dir() -> Path:
    return user_data_path("optout-bot", appauthor=False)


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the person only; tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
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


def profile_dir(account: str) -> Path:
    check_account_name(account)
    private_dir(data_dir())
    return private_dir(data_dir() / "profiles" / account)


def timestamped_file(folder: str, stem: str, suffix: str) -> Path:
    """A new file path such as receipts/20261129-101500-instagram-confirmation.png in a private folder."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    private_dir(data_dir())
    return private_dir(data_dir() / folder) / f"{stamp}-{stem}{suffix}"


def make_private(path: Path) -> Path:
    """Files that show the person's account (screenshots, diagnostics) are mode 0600."""
    os.chmod(path, 0o600)
    return path
