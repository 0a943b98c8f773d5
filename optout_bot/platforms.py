"""The platforms optout-bot has flows for (a tiny module: the command line imports it at start-up)."""

from typing import Literal, get_args

Platform = Literal["instagram", "facebook"]  # each has optout_bot/flows/<platform>.yaml
PLATFORMS: tuple[Platform, ...] = get_args(Platform)
