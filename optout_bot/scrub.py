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
# User and profile IDs: 8+ digits standing alone, also in a path (facebook.com/100012345678901). Kept: the
# numbers of Meta's forms (/contact/712876720715583), which a contributor needs to fix a flow, and dates in
# file names (20261129-101500-…).
_LONG_NUMBER = re.compile(r"(?<![\w-])(?<!/contact/)\d{8,}(?![\w-])")


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


# --- log lines -------------------------------------------------------------------------------------------
# The log file is kept for weeks and may be attached to a bug report, so every line goes through
# `scrub_log_text` first: the same idea as a diagnostic (keep what a contributor needs, drop what is the
# person's), applied to free text such as URLs, error messages and tracebacks rather than HTML.

# Any address with a scheme; trailing punctuation is left out so "at https://x/y?z: ok" keeps its colon.
_LOG_URL = re.compile(r"""\b[a-z][a-z0-9+.-]*://[^\s"'<>`]*[^\s"'<>`.,:;!?)\]}]""", re.IGNORECASE)
# A whole cookie or authorization header: every value in it is a session secret.
_LOG_HEADER = re.compile(r"""(\b(?:set-)?cookie|\bauthorization)(["']?\s*:\s*)[^\r\n]*""", re.IGNORECASE)
# Meta's tokens, session cookies, and anything called a password or a code, as name=value, name: value,
# "name": "value" or URL-encoded name%3Dvalue. `code` and `otp` catch one-time codes a page or URL named.
_LOG_SECRET = re.compile(
    r"""((?<![A-Za-z0-9_])(?:fb_dtsg|lsd|jazoest|__user|c_user|xs|datr|fr|sb|sessionid|csrftoken|ds_user_id|"""
    r"""access_token|session_token|auth_token|token|password|passwd|pwd|pass|approvals_code|code|otp)"""
    r"""["']?\s*(?:=|:|%3D)\s*["']?)([^"'&\s<>,;)\]}]*)""",
    re.IGNORECASE,
)


def scrub_log_text(text: str) -> str:
    """A log line (or a traceback) without tokens, cookies, passwords, codes, email addresses or user IDs."""
    text = _LOG_URL.sub(lambda m: _scrub_log_url(m.group(0)), text)
    text = _LOG_HEADER.sub(r"\1\2[removed]", text)
    text = _LOG_SECRET.sub(r"\1[removed]", text)
    text = _EMAIL.sub("[email]", text)
    return _LONG_NUMBER.sub("[number]", text)


def _scrub_log_url(url: str) -> str:
    # Query and fragment are where tokens and IDs travel; "user:password@" before the host is a credential.
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host: not worth keeping any of it
        return "[url]"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
