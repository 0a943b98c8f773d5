"""What the person sent, and whose account it was: the facts a proof needs (issue 17.3), read as they happen.

At the hand-over the tool notes the account as the site names it in its header, and the fields the flow knows
(their `name` on the page, their label, a list's options). When the person's form is sent (handover.PersonWatch
sees the request), the values are read from that very request — what the platform received, not what the
settings say, since the person may change anything before clicking — and recorded in the ledger at once.

Only the fields the flow knows are ever read: a password, a code, a hidden token or a file is never among them,
and a field of such a kind is refused even if a flow named it. Addresses and ids in the header are never read,
only the name the site shows.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs

from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Request

from optout_bot.records.recording import RunReport
from optout_bot.walk.walker import FoundForm

# Where the logged-in sites show whose session it is, in their header (read for its text or its picture's alt,
# never its link): Facebook's and Instagram's link to the person's profile; LinkedIn's "Me" photo, whose alt is
# the person's name; X's account switcher (the header's button that opens a menu: its shape, not X's test ids,
# *inferred*), with the name and @handle. A site that shows none: nothing is recorded.
ACCOUNT_SHOWN = (
    '[role=banner] a[href*="profile.php"]',
    "header a[href*='profile.php']",
    "img.global-nav__me-photo[alt]",
    "header [role=button][aria-haspopup=menu]",
)
_LONGEST = 200  # a name, not a page: anything longer is not what we look for

_ACCOUNT_JS = """(selectors) => {
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      const text = (el.getAttribute('alt') || el.innerText || el.textContent || '').trim();
      if (text) return text;
    }
  }
  return '';
}"""

# A field's name, kind and label as the page shows them; a list's options by value. Nothing else of the page.
_FIELD_JS = """el => {
  const fold = s => (s || '').replace(/\\s+/g, ' ').trim();
  const byIds = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
    .map(id => fold(document.getElementById(id)?.innerText)).join(' ');
  const label = fold(el.labels && el.labels[0] ? el.labels[0].innerText : '') || fold(el.getAttribute('aria-label'))
    || byIds || fold(el.getAttribute('placeholder')) || el.name;
  const options = el.tagName === 'SELECT' ? [...el.options].map(o => [o.value, fold(o.text)]) : [];
  return {name: el.name || '', type: (el.type || '').toLowerCase(), autocomplete: (el.autocomplete || '').toLowerCase(),
          label, options, place: [...document.querySelectorAll('*')].indexOf(el)};
}"""
_NEVER_READ_TYPES = ("password", "hidden", "file")
_NEVER_READ_HINTS = ("password", "one-time-code")


@dataclass(frozen=True)
class KnownField:
    name: str  # the `name` the submission carries it under
    label: str  # as the page labels it ("Email address", « Adresse e-mail »)
    options: tuple[tuple[str, str], ...] = ()  # a list's (value, text shown)

    def shown(self, value: str) -> str:
        """The value as the person saw it: a list's option text rather than its code."""
        return next((text for option, text in self.options if option == value and text), value)


def account_shown(page: Page) -> str | None:
    """The account as the site names it in its header ("Jane Doe"); None where it shows none."""
    try:
        text: str = page.evaluate(_ACCOUNT_JS, list(ACCOUNT_SHOWN))
    except PlaywrightError as exc:
        logger.debug("the account shown could not be read: {}", exc)
        return None
    text = " ".join(text.split())
    return text[:_LONGEST] or None


def known_fields(form: FoundForm) -> list[KnownField]:
    """The fields the flow knows on this form — those of the person's values, and those left to them — as the page
    names them, in the page's order (read before the person has it)."""
    placed: list[tuple[int, KnownField]] = []
    for locator in [field for _value, field in form.value_fields()] + form.left_to_person:
        read = _read_field(locator)
        if read is not None and all(read[1].name != known.name for _place, known in placed):
            placed.append(read)
    return [field for _place, field in sorted(placed, key=lambda pair: pair[0])]


def _read_field(locator: Locator) -> tuple[int, KnownField] | None:
    """The field and where it stands among the page's elements; None for a field never read (see above)."""
    try:
        found = locator.evaluate(_FIELD_JS)
    except PlaywrightError:
        return None
    never = found["type"] in _NEVER_READ_TYPES or any(hint in found["autocomplete"] for hint in _NEVER_READ_HINTS)
    if not found["name"] or never:
        return None
    options = tuple((str(value), str(text)) for value, text in found["options"])
    return int(found["place"]), KnownField(str(found["name"]), str(found["label"]), options)


def submitted_values(fields: list[KnownField], request: Request) -> tuple[tuple[str, str], ...]:
    """The known fields' values as the submission carried them, in the form's order: (label, value)."""
    sent = _form_data(request)
    return tuple(
        (field.label, ", ".join(field.shown(value) for value in sent[field.name]))
        for field in fields
        if field.name in sent
    )


def _form_data(request: Request) -> dict[str, list[str]]:
    """A submission's fields: URL-encoded (a form, URLSearchParams), multipart (FormData) or a JSON object."""
    try:
        body = request.post_data_buffer or b""
    except PlaywrightError:
        return {}
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + kind.encode("latin-1") + b"\r\n\r\n" + body)
        found: dict[str, list[str]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str) and part.get_filename() is None:  # a file is never read
                payload = part.get_payload(decode=True)
                found.setdefault(name, []).append(
                    payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
                )
        return found
    text = body.decode("utf-8", "replace")
    if kind.startswith("application/json"):
        with contextlib.suppress(ValueError):
            document = json.loads(text)
            if isinstance(document, dict):
                return {str(k): [str(v)] for k, v in document.items() if isinstance(v, str | int | float)}
        return {}
    return parse_qs(text, keep_blank_values=True)


class SubmissionRecorder:
    """Made at the hand-over; called with the request that carries the person's submission (PersonWatch)."""

    def __init__(self, page: Page, form: FoundForm, report: RunReport) -> None:
        self.report = report
        self.fields = known_fields(form)
        report.account_shown = account_shown(page)

    def __call__(self, request: Request) -> None:
        self.report.submitted = submitted_values(self.fields, request)
        self.report.record_submission()
