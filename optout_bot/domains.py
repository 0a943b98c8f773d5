"""Which addresses optout-bot may act on: the platform's own domains only (promise 3).

Phishing copies of Meta's Privacy Center exist (meta-objection-facts.md, "Scope and obstacles"), so every
address the tool navigates to, clicks on or types into is checked here first, against the domains
optout_bot.platforms gives the platform (Meta's for Facebook, Instagram and WhatsApp).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from optout_bot.platforms import META, Site
from optout_bot.platforms import META_DOMAINS as META_DOMAINS  # for the mock site's certificate


def is_site_host(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def is_site_url(url: str, site: Site) -> bool:
    """True for an https address on one of the site's domains (no credentials, no odd ports)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        return False
    return is_site_host(parts.hostname or "", site.domains)


def is_meta_host(host: str) -> bool:
    return is_site_host(host, META_DOMAINS)


def is_meta_url(url: str) -> bool:
    """True for an https address on one of Meta's domains (no credentials, no odd ports)."""
    return is_site_url(url, META)


def without_query(url: str) -> str:
    """The address without its query and fragment (where tokens travel) or any user:password@: safe to show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
