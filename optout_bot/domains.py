"""Which addresses optout-bot may act on: Meta's own domains only (promise 3).

Phishing copies of the Privacy Center exist (meta-objection-facts.md, "Scope and obstacles"), so every
address the tool navigates to, clicks on or types into is checked here first.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

# facebook.com, instagram.com and their subdomains, meta.com, whatsapp.com (meta-objection-facts.md).
META_DOMAINS: tuple[str, ...] = ("facebook.com", "instagram.com", "meta.com", "whatsapp.com")


def is_meta_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in META_DOMAINS)


def is_meta_url(url: str) -> bool:
    """True for an https address on one of Meta's domains (no credentials, no odd ports)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        return False
    return is_meta_host(parts.hostname or "")


def without_query(url: str) -> str:
    """The address without its query and fragment (where tokens travel) or any user:password@: safe to show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
