"""The platforms optout-bot has flows for, and whose sites each one may act on (promise 3).

A tiny module with no imports of weight: the command line reads it at start-up. Which domains a platform
owns is written here, in code, and not in the flow files: a flow is data a contributor edits when a page
changes, and an edit there must never be able to send the tool to another site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

# Each has flows/<platform>.yaml (its own-information flow), perhaps <platform>-<flow>.yaml too.
Platform = Literal["instagram", "facebook", "whatsapp", "linkedin", "x"]
PLATFORMS: tuple[Platform, ...] = get_args(Platform)

# facebook.com, instagram.com and their subdomains, meta.com, whatsapp.com (meta-objection-facts.md): a Meta
# walk may cross from one to another (Facebook's settings lead to its Privacy Center on facebook.com, the
# Instagram app to help.instagram.com, the accounts are one Accounts Center).
META_DOMAINS: tuple[str, ...] = ("facebook.com", "instagram.com", "meta.com", "whatsapp.com")


@dataclass(frozen=True)
class Site:
    """Whose pages a platform's walk may open, click and type into: the company and its domains."""

    company: str  # named to the person: "the page went to … which is not one of Meta's sites"
    domains: tuple[str, ...]  # each with all its subdomains


META = Site("Meta", META_DOMAINS)
_SITES: dict[str, Site] = {
    "instagram": META,
    "facebook": META,
    "whatsapp": META,
    "linkedin": Site("LinkedIn", ("linkedin.com",)),
    "x": Site("X", ("x.com", "twitter.com")),
}
_NAMES = {"instagram": "Instagram", "facebook": "Facebook", "whatsapp": "WhatsApp", "linkedin": "LinkedIn", "x": "X"}


def platform_name(platform: str) -> str:
    """How the platform is written for the person: a name, the same in every language."""
    return _NAMES.get(platform, platform)


def site_of(platform: str) -> Site:
    """The site a platform's walk is confined to; Meta's for a platform this version does not know."""
    return _SITES.get(platform, META)
