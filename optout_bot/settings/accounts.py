"""Which account a command is about, and the form values for it: the settings file, then the command line.

An account is a name, a platform and a browser profile of that name (paths.profile_dir). People who never
wrote a settings file have one account per platform without knowing it: "default".
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from optout_bot.errors import UsageError
from optout_bot.i18n import _
from optout_bot.paths import check_account_name
from optout_bot.platforms import PLATFORMS
from optout_bot.settings.config import Account, Config

DEFAULT_ACCOUNT = "default"


@dataclass(frozen=True)
class ChosenAccount:
    name: str
    platform: str
    email: str | None  # the account's own email from the settings, if it has one
    profile: str  # the name of its browser profile folder


def _chosen(account: Account) -> ChosenAccount:
    return ChosenAccount(account.name, account.platform, account.email, account.profile_name)


def choose_account(config: Config, name: str | None, platform: str | None) -> ChosenAccount:
    """The account `--account NAME` / `--platform P` mean, given the accounts in the settings file."""
    if name is not None:
        return _named(config, name, platform)
    candidates = [a for a in config.accounts if platform is None or a.platform == platform]
    if len(candidates) == 1:
        (account,) = candidates
        return _chosen(account)
    if len(candidates) > 1:
        names = ", ".join(a.name for a in candidates)
        raise UsageError(
            _("you have several accounts ({names}): choose one with --account NAME, or use --all").format(names=names)
        )
    if platform is None:
        raise UsageError(
            _(
                "say which platform: --platform instagram or --platform facebook (or save your accounts with "
                "`optout-bot init`)"
            )
        )
    return ChosenAccount(DEFAULT_ACCOUNT, platform, None, DEFAULT_ACCOUNT)


def _named(config: Config, name: str, platform: str | None) -> ChosenAccount:
    account = config.account(name)
    if account is None:
        if platform is None:
            known = ", ".join(a.name for a in config.accounts) or _("none yet")
            message = _(
                "there is no account {name!r} in your settings (saved accounts: {known}): add it with "
                "`optout-bot init`, or give its platform with --platform"
            )
            raise UsageError(message.format(name=name, known=known))
        return ChosenAccount(check_account_name(name), platform, None, name)
    if platform is not None and platform != account.platform:
        message = _(
            "the account {name!r} is a {platform} account in your settings, not {other}: "
            "drop --platform or choose another account"
        )
        raise UsageError(message.format(name=name, platform=account.platform, other=platform))
    return _chosen(account)


def platform_of_link(url: str) -> str | None:
    """The platform a link from Meta's email is for, from its host (None when the host does not say)."""
    host = (urlsplit(url).hostname or "").lower()
    for platform in PLATFORMS:
        if host == f"{platform}.com" or host.endswith(f".{platform}.com"):
            return platform
    return None  # meta.com and the like: the person says which with --platform


def merged(option: str | None, *fallbacks: str | None) -> str | None:
    """The command line's value, else the first setting that has one."""
    for value in (option, *fallbacks):
        if value is not None:
            return value
    return None
