"""Which addresses optout-bot may act on: the platform's own domains only (promise 3).

Phishing copies of Meta's Privacy Center exist (meta-objection-facts.md, "Scope and obstacles"), so every
address the tool navigates to, clicks on or types into is checked here first, against the domains
optout_bot.platforms gives the platform (Meta's for Facebook, Instagram and WhatsApp).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from ada_url import URL, join_url

from optout_bot.platforms import META, Site
from optout_bot.platforms import META_DOMAINS as META_DOMAINS  # for the mock site's certificate


def is_site_host(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def is_site_url(url: str, site: Site) -> bool:
    """True for an https address on one of the site's domains (no credentials, no odd ports).

    The address is read as the browser reads it (the WHATWG URL standard, by the `ada-url` parser), not as
    Python's urlsplit does: the two disagree on `\\`, tabs and escapes, and `https://evil\\.instagram.com/`
    is Instagram's for urlsplit but goes to the host `evil` in the browser.
    """
    try:
        parsed = URL(url)
    except ValueError:
        return False
    if parsed.protocol != "https:" or parsed.username or parsed.password or parsed.port not in ("", "443"):
        return False
    return is_site_host(parsed.hostname, site.domains)


def resolve_link(base: str, href: str) -> str:
    """Where a link's `href` on the page at `base` leads, as the browser resolves it ("" if it leads nowhere)."""
    try:
        return str(join_url(base, href))
    except ValueError:
        return ""


def host_of(url: str) -> str:
    """The host the browser would contact for `url` (the address itself if it has none), to name to the person."""
    try:
        return URL(url).hostname or url
    except ValueError:
        return url


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
