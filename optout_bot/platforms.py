"""The platforms optout-bot has flows for (a tiny module: the command line imports it at start-up)."""

from typing import Literal, get_args

Platform = Literal["instagram", "facebook"]  # each has optout_bot/flows/<platform>.yaml
PLATFORMS: tuple[Platform, ...] = get_args(Platform)
_NAMES = {"instagram": "Instagram", "facebook": "Facebook"}


def platform_name(platform: str) -> str:
    """How the platform is written for the person: a name, the same in every language."""
    return _NAMES.get(platform, platform)
