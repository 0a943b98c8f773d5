"""Removing personal data and session secrets from a page's HTML before it is saved as a diagnostic.

A diagnostic is something a person may attach to a bug report, so it must hold the page's *structure*
(what a contributor needs to fix a flow) and nothing of theirs: no email address, no name, no user ID, no
token Meta puts in its pages (fb_dtsg, lsd, jazoest), no cookie, no value typed in a field.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Inline scripts carry Meta's tokens and the user's IDs in JSON; their text is never needed to fix a flow.
_SCRIPT_BODY = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>)", re.IGNORECASE | re.DOTALL)
_TEXTAREA_BODY = re.compile(r"(<textarea\b[^>]*>)(.*?)(</textarea\s*>)", re.IGNORECASE | re.DOTALL)
_INPUT_TAG = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_VALUE_ATTR = re.compile(r"""(\svalue\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
# Named secrets wherever they appear (attributes, URLs, inline JSON that escaped the script rule).
_SECRET_PARAMS = re.compile(
    r"""((?:fb_dtsg|lsd|jazoest|__user|c_user|xs|sessionid|csrftoken|ds_user_id|datr|__a|__req|__hs|"""
    r"""dpr|__rev|__s|__hsi|__dyn|__csr|__comet_req|av|session_token|access_token)"""
    r"""["']?\s*(?:=|:|%3D)\s*["']?)([^"'&\s<>,}]+)""",
    re.IGNORECASE,
)
# Numeric IDs of 8+ digits (profile and user IDs); form IDs in known addresses are re-allowed below.
_LONG_NUMBER = re.compile(r"(?<![\w/])\d{8,}(?![\w])")


def scrub_html(html: str, names: list[str] | None = None) -> str:
    """The page's HTML with personal data and secrets replaced by markers like [email] or [removed]."""
    html = _SCRIPT_BODY.sub(lambda m: f"{m.group(1)}/* [script removed] */{m.group(3)}", html)
    html = _TEXTAREA_BODY.sub(lambda m: f"{m.group(1)}{m.group(3)}", html)
    html = _INPUT_TAG.sub(lambda m: _VALUE_ATTR.sub(r'\1"[removed]"', m.group(0)), html)
    html = _SECRET_PARAMS.sub(r"\1[removed]", html)
    html = _EMAIL.sub("[email]", html)
    html = _LONG_NUMBER.sub("[number]", html)
    for name in names or []:
        if name.strip():
            html = re.sub(re.escape(name.strip()), "[name]", html, flags=re.IGNORECASE)
    return html


def scrub_url(url: str) -> str:
    """An address without its query and fragment (where tokens and IDs travel) and without long numbers."""
    parts = urlsplit(url)
    return _LONG_NUMBER.sub("[number]", urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))
