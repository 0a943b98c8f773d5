"""Removing personal data and session secrets from what the tool saves: a diagnostic's page, its trail, the log.

A diagnostic and the log are things a person may attach to a bug report, so they hold the page's *structure*
(what a contributor needs to fix a flow: tags, roles, Meta's own labels, headings, button and link texts, form
numbers) and nothing of theirs: no email address, name, phone number, user ID, value typed in a field, token
Meta puts in its pages (fb_dtsg, lsd, jazoest), cookie, or secret travelling in an address.

Two kinds of rules, applied together:
- the person's own values (emails, name, phone, reason, account name), learnt with `remember_personal` as soon
  as a run knows them, hidden in every form a page or a log can write them (lower case, URL- and HTML-encoded,
  JSON-escaped, the phone's digits in any grouping);
- shapes that are never needed to fix a flow: any email address, phone-like numbers, long numbers (user IDs),
  opaque tokens, queries and fragments of addresses, Authorization and Cookie headers, named secrets.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

if TYPE_CHECKING:
    from optout_bot.settings.config import Config
    from optout_bot.settings.options import RunOptions

# --- the person's own values ----------------------------------------------------------------------------------

EMAIL_MARK, NAME_MARK, PHONE_MARK, VALUE_MARK = "[email]", "[name]", "[phone]", "[removed]"
# Between the digits of a phone number as pages, addresses and JSON write them: spaces, dots, dashes, brackets,
# "+" and their encoded forms.
_PHONE_SEPARATOR = r"(?:[\s.\-/()+]|%20|%2[bBdDeEfF]|%28|%29|&nbsp;|&#160;|\\u00a0)*"
# Name parts shorter than this are left alone: "de", "la", "Li" would wipe every French or HTML text.
_SHORTEST_NAME_PART = 3


_generation = 0  # bumped whenever what is remembered changes: the key of scrub_text's cache


class _Personal:
    """What this run knows of the person, and the patterns that hide it (rebuilt when something is learnt)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}  # value -> its mark
        self.name_parts: set[str] = set()
        self.phone_tails: set[str] = set()  # the last 7 digits of each phone number
        self._pattern: re.Pattern[str] | None = None
        self._marks: dict[str, str] = {}
        self.generation = _generation

    def copy(self) -> _Personal:
        twin = _Personal()
        twin.values, twin.name_parts, twin.phone_tails = dict(self.values), set(self.name_parts), set(self.phone_tails)
        twin.changed()
        return twin

    def add(self, value: str, mark: str) -> None:
        self.values.setdefault(value, mark)
        self.changed()

    def changed(self) -> None:
        global _generation
        _generation += 1
        self.generation, self._pattern = _generation, None

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and (self.values or self.name_parts or self.phone_tails):
            self._marks = self._written_marks()
            self._pattern = _personal_pattern(self)
        return self._pattern

    def may_hold(self, text: str) -> bool:
        """A quick look before the slow pattern: most of a page's strings hold nothing of the person's."""
        lowered = text.lower()
        if any(form in lowered for form in self._marks) or any(p.lower() in lowered for p in self.name_parts):
            return True
        return bool(self.phone_tails) and sum(c.isdigit() for c in text) >= 7

    def marks(self) -> dict[str, str]:
        """Every written form of every value, lower case, with its mark (as of the last `pattern()`)."""
        return self._marks

    def _written_marks(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for value, mark in self.values.items():
            for form in _written_forms(value):
                found.setdefault(form.lower(), mark)
        return found


_personal = _Personal()


def remember_personal(
    *,
    emails: Iterable[str | None] = (),
    names: Iterable[str | None] = (),
    phones: Iterable[str | None] = (),
    texts: Iterable[str | None] = (),
) -> None:
    """Hide these values of the person's from every diagnostic and log line written from now on (this process)."""
    for email in filter(None, emails):
        _personal.add(email.strip(), EMAIL_MARK)
    for name in filter(None, names):
        name = " ".join(name.split())
        if len(name) >= _SHORTEST_NAME_PART:
            _personal.add(name, NAME_MARK)
            _personal.name_parts.update(p for p in re.split(r"[\W_]+", name) if len(p) >= _SHORTEST_NAME_PART)
    for phone in filter(None, phones):
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= 7:
            _personal.phone_tails.add(digits[-7:])
            _personal.changed()
    for text in filter(None, texts):
        if len(text.strip()) >= _SHORTEST_NAME_PART:
            _personal.add(" ".join(text.split()), VALUE_MARK)


def remember_run(options: RunOptions) -> None:
    """The values a run types or was given: its email, name, phone and reason, and the account's own name."""
    values = options.values
    remember_personal(emails=[values.email], names=[values.full_name], phones=[values.phone], texts=[values.reason])
    if not _is_generic_account_name(options.account):
        remember_personal(names=[options.account])


def remember_settings(config: Config) -> None:
    """Every value of the person's in the settings file, including other accounts' emails and names."""
    accounts = config.accounts
    remember_personal(
        emails=[config.email, *(a.email for a in accounts)],
        names=[config.full_name],
        phones=[config.phone],
        texts=[config.reason],
    )
    remember_personal(names=[a.name for a in accounts if not _is_generic_account_name(a.name)])


def forget_personal() -> None:
    """Forget every remembered value (the tests start each case afresh)."""
    global _personal
    _personal = _Personal()
    _personal.changed()


def personal_texts() -> list[str | re.Pattern[str]]:
    """The remembered values, and each part of a name as a word, to find where a page shows them."""
    parts = [re.compile(rf"\b{re.escape(part)}\b", re.IGNORECASE) for part in sorted(_personal.name_parts)]
    return [*_personal.values, *parts]


def personal_phone_patterns() -> list[re.Pattern[str]]:
    """A pattern per remembered phone number that finds it in any grouping (also usable by Playwright)."""
    return [re.compile(_phone_pattern(tail)) for tail in sorted(_personal.phone_tails)]


def _is_generic_account_name(name: str) -> bool:
    # An account named after its platform ("facebook") or left at "default" says nothing of the person, and
    # hiding it would hide www.facebook.com in every address.
    from optout_bot.platforms import PLATFORMS, site_of

    labels = {label for p in PLATFORMS for domain in site_of(p).domains for label in domain.split(".")}
    return len(name) < _SHORTEST_NAME_PART or name.lower() in {"default", *PLATFORMS, *labels}


def _written_forms(value: str) -> set[str]:
    """The value as pages, addresses and JSON write it."""
    forms: set[str] = set()
    for text in {value, unicodedata.normalize("NFC", value), unicodedata.normalize("NFD", value), *_idna(value)}:
        forms.update(
            {
                text,
                html.escape(text),
                quote(text, safe=""),
                quote(text),
                quote_plus(text),
                json.dumps(text)[1:-1],
                json.dumps(text, ensure_ascii=False)[1:-1],
            }
        )
    return {form for form in forms if form}


def _idna(value: str) -> list[str]:
    """An email address with an internationalised domain also travels as its ASCII (punycode) form."""
    local, at, domain = value.partition("@")
    if not at or domain.isascii():
        return []
    try:
        return [f"{local}@{domain.encode('idna').decode('ascii')}"]
    except UnicodeError:
        return []


def _phone_pattern(tail: str) -> str:
    # Whatever comes before the last seven digits (a country code, a 0, other groupings) goes with them.
    core = _PHONE_SEPARATOR.join(tail)
    return rf"(?:\+|%2[bB])?(?:\d{_PHONE_SEPARATOR})*{core}(?!\d)"


def _personal_pattern(personal: _Personal) -> re.Pattern[str]:
    forms = sorted(personal.marks(), key=len, reverse=True)  # "Jane Doe" before "Jane"
    alternatives = [re.escape(form) for form in forms]
    # Parts of a name stand alone as words ("Doe" but not "Does"); digits may touch them ("%20Doe").
    alternatives += [rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])" for part in sorted(personal.name_parts)]
    alternatives += [_phone_pattern(tail) for tail in sorted(personal.phone_tails)]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def _hide_personal(text: str) -> str:
    pattern = _personal.pattern()
    if pattern is None or not _personal.may_hold(text):
        return text
    marks = _personal.marks()

    def mark(match: re.Match[str]) -> str:
        found = match.group(0).lower()
        if found in marks:
            return marks[found]
        return PHONE_MARK if found[-1:].isdigit() else NAME_MARK

    return pattern.sub(mark, text)


# --- shapes that are never needed to fix a flow ---------------------------------------------------------------

# Any email address, international ones too (jöhn@exämple.fr), and URL-encoded ("jane%40example.com"). The
# classes exclude what separates an address from its neighbours in text, URLs and markup.
_EMAIL_CHAR = r"""[^\s@<>()\[\]"',;:=&?/\\]"""
_EMAIL = re.compile(rf"{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\.[^\s@<>()\[\]\"',;:=&?/\\.]{{2,}}")
_ENCODED_EMAIL = re.compile(rf"{_EMAIL_CHAR}+?%40{_EMAIL_CHAR}+\.[A-Za-z0-9-]{{2,}}", re.IGNORECASE)
# The same, for Playwright to find the elements showing an address (JavaScript has no lookbehind-free \w for
# "ö", hence the negated classes).
EMAIL_PATTERN = _EMAIL
# Secrets drawn as text (an "Authorization: Bearer …" line, a token), for Playwright to find and mask.
SECRET_TEXT_PATTERN = re.compile(
    r"\b(?:authorization|bearer|cookie)\s*:?\s*[^\s]{8,}|\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{20,}\b", re.IGNORECASE
)
# Inline scripts carry Meta's tokens and the user's IDs in JSON; their text is never needed to fix a flow.
_SECRET_PARAMS = re.compile(
    r"""((?<![A-Za-z0-9_])(?:fb_dtsg|lsd|jazoest|__user|c_user|xs|datr|fr|sb|sessionid|csrftoken|csrf_token|"""
    r"""csrf|xsrf|ds_user_id|__a|__req|__hs|dpr|__rev|__s|__hsi|__dyn|__csr|__comet_req|av|access_token|"""
    r"""session_token|auth_token|token|password|passwd|pwd|pass|approvals_code|code|otp)"""
    r"""["']?\s*(?:=|:|%3D)\s*["']?)([^"'&\s<>,;)\]}]+)""",
    re.IGNORECASE,
)
# A whole cookie or authorization header: every value in it is a session secret.
_HEADER = re.compile(
    r"""(\b(?:set-)?cookie|\b(?:proxy-)?authorization|\bx-csrf-token)(["']?\s*:\s*)[^\r\n<]*""", re.IGNORECASE
)
_BEARER = re.compile(r"\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
# Any address with a scheme and a host; trailing punctuation is left out so "at https://x/y?z: ok" keeps ":".
_URL = re.compile(r"""\b[a-z][a-z0-9+.-]*://[^\s"'<>`]*[^\s"'<>`.,:;!?)\]}]""", re.IGNORECASE)
# Addresses whose whole content is the person's (mailto:, tel:) or code (javascript:, data:).
_OPAQUE_URL = re.compile(r"""\b(mailto|tel|sms|callto|javascript|data|blob|vbscript):[^\s"'<>`]+""", re.IGNORECASE)
# A phone number as pages write it: "+" and 7 to 15 digits, or three or more groups of digits making 9 or more.
_PLUS_PHONE = re.compile(r"(?<![\w+])\+\d(?:[\s.\-()\u00a0]{0,2}\d){6,14}(?!\d)")
_GROUPED_PHONE = re.compile(r"(?<![\w.+-])\d{2,4}([ .\-\u00a0])\d{2,4}(?:\1\d{2,4})+(?![\w.-]?\d)")
# User and profile IDs: 8+ digits standing alone, also in a path (facebook.com/100012345678901). Kept: the
# numbers of Meta's forms (/contact/712876720715583), which a contributor needs to fix a flow, and dates in
# file names (20261129-101500-…).
_LONG_NUMBER = re.compile(r"(?<![\w-])(?<!/contact/)\d{8,}(?![\w-])")
# Opaque tokens: long runs of letters, digits, "-" and "_" mixing letters and digits (see _looks_like_token).
_WORDISH = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])")


def _looks_like_token(run: str) -> bool:
    # A word mixes letters and digits rarely and briefly ("python3", "x1n2onr6"); a token does it at length.
    pieces = re.split(r"[-_]", run)
    if any(len(p) >= 10 and re.search(r"\d", p) and re.search(r"[A-Za-z]", p) for p in pieces):
        return True
    return len(run) >= 24 and all(re.search(c, run) for c in (r"\d", "[a-z]", "[A-Z]"))


def _hide_tokens(text: str) -> str:
    return _WORDISH.sub(lambda m: "[token]" if _looks_like_token(m.group(0)) else m.group(0), text)


def _hide_phones(text: str) -> str:
    text = _PLUS_PHONE.sub(PHONE_MARK, text)
    return _GROUPED_PHONE.sub(lambda m: PHONE_MARK if sum(c.isdigit() for c in m.group(0)) >= 9 else m.group(0), text)


def scrub_text(text: str) -> str:
    """Free text (a page's text or attribute, a trail step, a log line) without personal data or secrets."""
    return _scrub_text_cached(text, _personal.generation)


@functools.lru_cache(maxsize=65536)  # a page repeats its class names and labels thousands of times
def _scrub_text_cached(text: str, generation: int) -> str:
    text = _hide_personal(text)
    text = _HEADER.sub(r"\1\2[removed]", text)
    text = _BEARER.sub(r"\1 [removed]", text)
    text = _OPAQUE_URL.sub(lambda m: f"{m.group(1)}:[removed]", text)
    text = _URL.sub(lambda m: scrub_url(m.group(0)), text)
    text = _SECRET_PARAMS.sub(r"\1[removed]", text)
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _ENCODED_EMAIL.sub(EMAIL_MARK, text)
    text = _hide_phones(text)
    text = _LONG_NUMBER.sub("[number]", text)
    return _hide_tokens(text)


# --- addresses -----------------------------------------------------------------------------------------------


def scrub_url(url: str) -> str:
    """An address without its query and fragment (where tokens and IDs travel), the "user:password@" before
    its host, and the long numbers, tokens and personal values in its path. A form's number is kept."""
    opaque = _OPAQUE_URL.fullmatch(url.strip())
    if opaque:
        return f"{opaque.group(1)}:[removed]"
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced "[" in the host: not worth keeping any of it
        return "[url]"
    if not parts.scheme and not parts.netloc and not parts.path:
        return "#" if url.strip().startswith("#") else ""
    host = parts.netloc.rpartition("@")[2]
    path = "/".join(_scrub_path_segment(segment) for segment in parts.path.split("/"))
    return urlunsplit((parts.scheme, host, _LONG_NUMBER.sub("[number]", path), "", ""))


def _scrub_path_segment(segment: str) -> str:
    segment = _hide_personal(segment)
    segment = _EMAIL.sub(EMAIL_MARK, _ENCODED_EMAIL.sub(EMAIL_MARK, segment))
    return _hide_tokens(segment)


# --- pages ---------------------------------------------------------------------------------------------------

# Addresses in attributes: kept without query, fragment or token (a contributor needs where a link leads).
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "cite", "background", "longdesc", "manifest", "xlink:href"}
)
# Attributes that describe structure, kept (scrubbed like text). Any other attribute keeps its name, not its
# value: `value`, `data-*`, `content`, event handlers and whatever a page invents may all carry data.
_STRUCTURE_ATTRIBUTES = frozenset(
    {
        *("class", "id", "role", "type", "name", "for", "lang", "dir", "tabindex", "hidden", "disabled"),
        *("readonly", "required", "checked", "selected", "multiple", "method", "enctype", "autocomplete"),
        *("placeholder", "title", "alt", "rel", "target", "label", "maxlength", "minlength", "pattern"),
        *("inputmode", "contenteditable", "width", "height", "colspan", "rowspan", "scope", "open", "accept"),
        *("charset", "spellcheck", "draggable", "translate", "loading", "sizes", "media", "as", "crossorigin"),
        *("referrerpolicy", "http-equiv", "property", "itemprop", "slot", "xmlns", "viewbox", "inert"),
    }
)
# The only metas whose content says how to draw the page rather than something about the person or session.
_KEPT_META_CONTENT = frozenset({"viewport", "color-scheme"})
_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.IGNORECASE)


def scrub_html(html_text: str, names: list[str] | None = None) -> str:
    """The page's structure: tags, Meta's labels and texts, with personal data and secrets replaced by marks.

    `names`: more of the person's values to hide (the account email, say), besides those remembered.
    """
    global _personal
    remembered = _personal
    if names:  # for this page only: a copy of what is remembered, with these added
        _personal = remembered.copy()
        remember_personal(emails=[n for n in names if "@" in n], names=[n for n in names if "@" not in n])
    try:
        parser = _StructureOnly()
        parser.feed(html_text)
        parser.close()
    finally:
        _personal = remembered
    return "".join(parser.out)


class _StructureOnly(HTMLParser):
    """Writes the page back with only what describes its structure: see _attribute and handle_data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # text and attributes arrive decoded: "&#64;" is "@" by then
        self.out: list[str] = []
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, whether their text is blanked)

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        meta_content_kept = tag == "meta" and (dict(attrs).get("name") or "").lower() in _KEPT_META_CONTENT
        kept = "".join(_attribute(name, value, meta_content_kept) for name, value in attrs)
        self.out.append(f"<{tag}{kept}{' /' if closed else ''}>")
        if closed or tag in _VOID_ELEMENTS:
            return
        editable = any(n == "contenteditable" and (v or "").lower() != "false" for n, v in attrs)
        blanked = tag == "textarea" or editable or (bool(self._open) and self._open[-1][1])
        self._open.append((tag, blanked))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        tag, blanked = self._open[-1] if self._open else ("", False)
        if tag == "script":
            if data.strip():
                self.out.append("/* [script removed] */")
        elif tag == "style":
            self.out.append(_scrub_css(data))
        elif not blanked:  # a textarea's or an editable element's text is what the person (or tool) typed
            self.out.append(html.escape(scrub_text(data), quote=False))

    # Comments, processing instructions and CDATA are not structure: dropped.


def _attribute(name: str, value: str | None, meta_content_kept: bool) -> str:
    if value is None:
        return f" {name}"
    if name in _URL_ATTRIBUTES:
        kept = scrub_url(value)
    elif name == "srcset":
        kept = ", ".join(" ".join([scrub_url(c.split()[0]), *c.split()[1:]]) for c in value.split(",") if c.split())
    elif name == "style":
        kept = _scrub_css(value)
    elif name in _STRUCTURE_ATTRIBUTES or name.startswith("aria-") or (name == "content" and meta_content_kept):
        kept = scrub_text(value)
    else:
        kept = VALUE_MARK
    return f' {name}="{html.escape(kept)}"'


def _scrub_css(css: str) -> str:
    return _CSS_URL.sub(lambda m: f"url({m.group(1)}{scrub_url(m.group(2))}{m.group(1)})", scrub_text(css))


# --- log lines -------------------------------------------------------------------------------------------
# The log file is kept for weeks and may be attached to a bug report, so every line goes through
# `scrub_log_text` first: the same rules as a page's text, and those of Playwright's call logs, which write
# the values typed ("fill("jane@example.com")") and the elements found (<input value="…">).

_TYPED = re.compile(
    r"""(\b(?:fill|type|press_sequentially|insert_text|select_option|set_input_files|set_value)\(\s*)"""
    r"""(["'])(?:\\.|(?!\2).)*\2""",
    re.IGNORECASE | re.DOTALL,
)
_VALUE_IN_MARKUP = re.compile(r"""(\bvalue\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def scrub_log_text(text: str) -> str:
    """A log line (or a traceback) without values typed, tokens, cookies, passwords, codes, emails or user IDs."""
    text = _TYPED.sub(r'\1"[removed]"', text)
    text = _VALUE_IN_MARKUP.sub(r'\1"[removed]"', text)
    return scrub_text(text)
