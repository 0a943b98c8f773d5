"""What goes over the wire: a request as the server recorded it, and the response it sends back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from optout_bot.bundled import FIXTURES_DIR as FIXTURES


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    time: float  # time.monotonic() when received
    method: str
    host: str  # from the Host header, without port
    path: str  # path only
    query: str
    body: str  # decoded request body ("" for GET)
    form: dict[str, list[str]] = field(default_factory=dict)  # parsed urlencoded body (empty if none)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


Headers = tuple[tuple[str, str], ...]

_NO_CACHE = (
    # Pages depend on the scenario and the login, which tests change between page loads.
    ("Cache-Control", "private, no-cache, no-store, must-revalidate"),
)
_HTML_HEADERS = (("Content-Type", "text/html; charset=utf-8"), *_NO_CACHE)


def html_page(status: int, document: str, headers: Headers = ()) -> Response:
    return Response(status, document.encode("utf-8"), _HTML_HEADERS + headers)


def redirect(location: str, method: str = "GET", headers: Headers = (), permanent: bool = False) -> Response:
    """302 (301 if permanent) for a GET; 303 after a POST, so the browser follows with a GET as Meta's do."""
    status = 301 if permanent else 303 if method == "POST" else 302
    return Response(status, b"", (("Location", location), *_HTML_HEADERS, *headers))


def async_payload(payload: str) -> Response:
    """An answer to a form sent by script: JSON behind Meta's `for (;;);` guard against JSON hijacking."""
    headers = (("Content-Type", "application/json; charset=utf-8"), *_NO_CACHE)
    return Response(200, ("for (;;);" + payload).encode("utf-8"), headers)


def json_response(payload: object, status: int = 200) -> Response:
    """A plain JSON answer, as LinkedIn's and X's settings give the page script that saved them."""
    headers = (("Content-Type", "application/json; charset=utf-8"), *_NO_CACHE)
    return Response(status, json.dumps(payload).encode("utf-8"), headers)


def not_found() -> Response:
    return html_page(404, (FIXTURES / "templates" / "not_found.html").read_text(encoding="utf-8"))


def method_not_allowed() -> Response:
    return html_page(405, (FIXTURES / "templates" / "not_found.html").read_text(encoding="utf-8"), (("Allow", "GET"),))


def first(values: Mapping[str, list[str]], name: str) -> str:
    """The first value of `name` in a parsed query or form, stripped ("" when absent)."""
    return next(iter(values.get(name) or []), "").strip()
