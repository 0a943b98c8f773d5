"""A local HTTPS imitation of Meta's pages, served on Meta's real host names.

Chromium started with `chromium_args()` sends every host name to this server, so the tool runs unchanged
on `https://www.instagram.com/...` addresses (shared/docs/browser-and-tests.md). The server routes on the
Host header and the path, records every request so a test can prove what was (and was not) submitted, and
keeps login state in cookies only. Pages come from `fixtures/templates`, their words from
`fixtures/strings/<lang>.yaml`: adding a language is adding one strings file.
"""

from __future__ import annotations

import contextlib
import functools
import html
import secrets
import socket
import ssl
import string
import threading
import time
import traceback
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

import trustme
import yaml

from optout_bot.domains import META_DOMAINS, is_meta_host, is_meta_url
from optout_bot.mock_meta.scenario import Scenario

_FIXTURES: Traversable = resources.files(__package__) / "fixtures"
_HANDSHAKE_TIMEOUT = 10.0  # seconds a client may take to complete the TLS handshake
_IDLE_TIMEOUT = 60.0  # seconds an idle keep-alive connection is kept open
_YEAR = 365 * 24 * 3600  # Meta's session cookies last about a year, so a saved browser profile stays logged in


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


# --- the site: platforms, hosts and pages ----------------------------------------------------------------


@dataclass(frozen=True)
class _Platform:
    name: str
    cookie_domain: str
    home_url: str
    login_url: str
    privacy_center_url: str
    form_href: str  # where the notice's "object" link and "Submit an objection request" lead
    login_fields: tuple[str, str]  # names of the login form's user and password inputs
    session_cookie: str  # the cookie whose (issued) value means "logged in"
    user_id_cookie: str | None = None  # Facebook also sets the account's numeric id


_INSTAGRAM = _Platform(
    name="instagram",
    cookie_domain=".instagram.com",
    home_url="https://www.instagram.com/",
    login_url="https://www.instagram.com/accounts/login/",
    privacy_center_url="https://privacycenter.instagram.com/",
    form_href="https://help.instagram.com/contact/767264225370182",
    login_fields=("username", "password"),
    session_cookie="sessionid",
)
_FACEBOOK = _Platform(
    name="facebook",
    cookie_domain=".facebook.com",
    home_url="https://www.facebook.com/",
    login_url="https://www.facebook.com/login/",
    privacy_center_url="https://www.facebook.com/privacy/center/",
    form_href="/help/contact/712876720715583",
    login_fields=("email", "pass"),
    session_cookie="xs",
    user_id_cookie="c_user",
)


@dataclass(frozen=True)
class _Host:
    platform: _Platform
    frame: str  # template of the header and navigation around this host's pages


_HOSTS: dict[str, _Host] = {
    "www.instagram.com": _Host(_INSTAGRAM, "ig_app"),
    "privacycenter.instagram.com": _Host(_INSTAGRAM, "ig_privacy"),
    "help.instagram.com": _Host(_INSTAGRAM, "ig_help"),
    "www.facebook.com": _Host(_FACEBOOK, "fb_app"),
}


@dataclass(frozen=True)
class _Page:
    template: str
    title: str  # strings key of the page's <title>
    kind: Literal["page", "form", "login"] = "page"
    country: bool = False  # the form asks for the country of residence (Facebook's do, Instagram's 2025 one not)


_PRIVACY_CENTER = _Page("privacy_center", "titles_privacy_center")
_PRIVACY_TOPICS = _Page("privacy_topics", "titles_privacy_topics")
_PRIVACY_GENAI = _Page("privacy_genai", "titles_privacy_genai")
_IG_FORM = _Page("objection_form", "titles_form", kind="form")
_FB_FORM = _Page("objection_form", "titles_form", kind="form", country=True)
_CONFIRMATION = _Page("confirmation", "titles_confirmation")

# Addresses from meta-objection-facts.md ("Addresses"); both quoted IDs of each form are served.
_ROUTES: dict[tuple[str, str], _Page] = {
    ("www.instagram.com", "/"): _Page("ig_home", "titles_ig_home"),
    ("www.instagram.com", "/accounts/edit/"): _Page("ig_settings", "titles_ig_settings"),
    ("www.instagram.com", "/accounts/login/"): _Page("ig_login", "titles_ig_login", kind="login"),
    ("privacycenter.instagram.com", "/"): _PRIVACY_CENTER,
    ("privacycenter.instagram.com", "/privacy/topics/"): _PRIVACY_TOPICS,
    ("privacycenter.instagram.com", "/privacy/genai/"): _PRIVACY_GENAI,
    ("help.instagram.com", "/contact/767264225370182"): _IG_FORM,
    ("help.instagram.com", "/contact/233964459562201"): _IG_FORM,
    ("www.facebook.com", "/"): _Page("fb_home", "titles_fb_home"),
    ("www.facebook.com", "/settings/"): _Page("fb_settings", "titles_fb_settings"),
    ("www.facebook.com", "/login/"): _Page("fb_login", "titles_fb_login", kind="login"),
    ("www.facebook.com", "/privacy/center/"): _PRIVACY_CENTER,
    ("www.facebook.com", "/privacy/topics/"): _PRIVACY_TOPICS,
    ("www.facebook.com", "/privacy/genai/"): _PRIVACY_GENAI,
    ("www.facebook.com", "/help/contact/712876720715583"): _FB_FORM,
    ("www.facebook.com", "/help/contact/6359191084165019"): _FB_FORM,
}


@dataclass(frozen=True)
class _Visit:
    """One request to a known page, with what the server knows about the person making it."""

    request: RecordedRequest
    scenario: Scenario
    host: _Host
    logged_in: bool

    @property
    def platform(self) -> _Platform:
        return self.host.platform

    @property
    def url(self) -> str:
        query = f"?{self.request.query}" if self.request.query else ""
        return f"https://{self.request.host}{self.request.path}{query}"


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    session: tuple[str, str] | None = None  # (platform, token) of a login the server must now accept


# --- strings and templates ------------------------------------------------------------------------------


def languages() -> list[str]:
    """The page languages the mock can serve: one per strings file."""
    return sorted(f.name.removesuffix(".yaml") for f in (_FIXTURES / "strings").iterdir() if f.name.endswith(".yaml"))


def check_language(lang: str) -> None:
    if lang not in languages():
        raise ValueError(f"the mock Meta site has no pages in {lang!r}; it has: {', '.join(languages())}")


@dataclass(frozen=True)
class _Strings:
    texts: dict[str, str]  # flattened key ("form_heading") -> HTML-escaped text
    countries: dict[str, str]  # ISO alpha-2 code -> country name


@functools.cache
def _strings(lang: str) -> _Strings:
    check_language(lang)
    data = yaml.safe_load((_FIXTURES / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("strings"), dict):
        raise ValueError(f"strings/{lang}.yaml: expected a mapping with a 'strings' mapping")
    texts = {key: html.escape(text) for key, text in _flatten(data["strings"]).items()}
    countries = {str(code): str(name) for code, name in (data.get("countries") or {}).items()}
    return _Strings(texts, countries)


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """{"form": {"heading": "…"}} -> {"form_heading": "…"}: the names templates use as ${form_heading}."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}_"))
        else:
            flat[name] = str(value)
    return flat


@functools.cache
def _fixture(name: str) -> str:
    return (_FIXTURES / "templates" / name).read_text(encoding="utf-8")


def _fill(template: str, values: Mapping[str, str]) -> str:
    """Fill `templates/<template>.html`; a placeholder without a value is a bug, so it raises KeyError."""
    return string.Template(_fixture(f"{template}.html")).substitute(values)


# --- rendering pages ------------------------------------------------------------------------------------


def _render(visit: _Visit, page: _Page, extra: Mapping[str, str] | None = None) -> str:
    strings = _strings(visit.scenario.lang)
    values = _page_values(visit, strings)
    values.update(extra or {})
    content = _fill(page.template, values)
    if page.kind != "login":  # login pages stand alone, without the site's header and navigation
        content = _fill(visit.host.frame, {**values, "main": content})
    return _fill(
        "layout",
        {
            "lang": html.escape(visit.scenario.lang),
            "title": strings.texts[page.title],
            "css": _fixture("style.css"),
            "js": _fixture("script.js"),
            "frame": content,
        },
    )


def _page_values(visit: _Visit, strings: _Strings) -> dict[str, str]:
    """What every template may use: the page language's texts, the account, this platform's addresses."""
    scenario = visit.scenario
    values = {
        **strings.texts,
        "account_name": html.escape(scenario.account_name),
        "account_email": html.escape(scenario.account_email),
        "privacy_center_url": html.escape(visit.platform.privacy_center_url),
        "form_href": html.escape(visit.platform.form_href),
    }
    values["account"] = _fill("account", values) if visit.logged_in else ""
    values["privacy_nav"] = _fill("privacy_nav", values)
    return values


def _form_values(visit: _Visit, page: _Page) -> dict[str, str]:
    scenario = visit.scenario
    email = scenario.account_email if visit.logged_in and scenario.prefill_email else ""
    lsd = "AV" + secrets.token_urlsafe(7)
    return {
        # Meta's anti-forgery tokens; jazoest is "2" followed by the sum of the lsd's character codes.
        "lsd": lsd,
        "jazoest": "2" + str(sum(map(ord, lsd))),
        # Ids change on every load, as React's generated ones do: the tool must find fields by their label.
        "email_id": _dom_id(),
        "reason_id": _dom_id(),
        "email_value": html.escape(email),
        "country_field": _country_field(visit) if page.country else "",
    }


def _country_field(visit: _Visit) -> str:
    """Countries where the form is offered, by name in the page language; none is pre-selected."""
    strings = _strings(visit.scenario.lang)
    by_name = sorted(strings.countries.items(), key=lambda item: _collation_key(item[1]))
    options = "".join(f'<option value="{html.escape(code)}">{html.escape(name)}</option>' for code, name in by_name)
    return _fill("country_field", {**strings.texts, "country_id": _dom_id(), "country_options": options})


def _collation_key(name: str) -> str:
    # Accents sort with their base letter, as people expect ("Suède" before "Suisse").
    decomposed = unicodedata.normalize("NFD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _dom_id() -> str:
    return f"_r_{secrets.token_hex(3)}_"


# --- responding -----------------------------------------------------------------------------------------

_HTML_HEADERS = (
    ("Content-Type", "text/html; charset=utf-8"),
    # Pages depend on the scenario and the login, which tests change between page loads.
    ("Cache-Control", "private, no-cache, no-store, must-revalidate"),
)


def _html(status: int, document: str, headers: tuple[tuple[str, str], ...] = ()) -> _Response:
    return _Response(status, document.encode("utf-8"), _HTML_HEADERS + headers)


def _redirect(status: int, location: str, headers: tuple[tuple[str, str], ...] = ()) -> _Response:
    return _Response(status, b"", (("Location", location), *_HTML_HEADERS, *headers))


def _not_found() -> _Response:
    return _html(404, _fixture("not_found.html"))


def _respond(visit: _Visit, page: _Page) -> _Response:
    method = visit.request.method
    if page.kind == "login":
        return _log_in(visit, page) if method == "POST" else _html(200, _render(visit, page, {"error": ""}))
    if visit.scenario.require_login and not visit.logged_in:
        login = f"{visit.platform.login_url}?{urlencode({'next': visit.url})}"
        return _redirect(303 if method == "POST" else 302, login)
    if method == "POST":
        if page.kind != "form":
            return _html(405, _fixture("not_found.html"), (("Allow", "GET"),))
        return _html(200, _render(visit, _CONFIRMATION))
    extra = _form_values(visit, page) if page.kind == "form" else {}
    return _html(200, _render(visit, page, extra))


def _log_in(visit: _Visit, page: _Page) -> _Response:
    """Any non-empty login is accepted; the person then goes back to where the login page was asked from."""
    user_field, password_field = visit.platform.login_fields
    form = visit.request.form
    if not _first(form, user_field) or not _first(form, password_field):
        error = _fill("login_error", _strings(visit.scenario.lang).texts)
        return _html(200, _render(visit, page, {"error": error}))
    token = secrets.token_urlsafe(24)
    cookies = tuple(("Set-Cookie", cookie) for cookie in _session_cookies(visit.platform, token))
    response = _redirect(303, _next_url(visit), cookies)
    return _Response(response.status, response.body, response.headers, session=(visit.platform.name, token))


def _session_cookies(platform: _Platform, token: str) -> list[str]:
    attributes = f"Domain={platform.cookie_domain}; Path=/; Max-Age={_YEAR}; Secure"
    cookies = [f"{platform.session_cookie}={token}; {attributes}; HttpOnly"]
    if platform.user_id_cookie:
        cookies.insert(0, f"{platform.user_id_cookie}=1000{secrets.randbelow(10**11):011d}; {attributes}")
    return cookies


def _next_url(visit: _Visit) -> str:
    """`next` from the login address, if it is one of Meta's https pages; the platform's home otherwise."""
    wanted = _first(parse_qs(visit.request.query), "next")
    return wanted if is_meta_url(wanted) else visit.platform.home_url


def _first(values: Mapping[str, list[str]], name: str) -> str:
    return next(iter(values.get(name) or []), "").strip()


# --- HTTP plumbing --------------------------------------------------------------------------------------


def _tls_context() -> ssl.SSLContext:
    """A throwaway CA and a certificate for Meta's names (Chromium also runs with --ignore-certificate-errors)."""
    authority = trustme.CA(organization_name="optout-bot mock Meta")
    names = [name for domain in META_DOMAINS for name in (domain, f"*.{domain}")]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert(*names).configure_cert(context)
    context.set_alpn_protocols(["http/1.1"])  # the server speaks HTTP/1.1 only, no HTTP/2
    return context


def _host_name(header: str) -> str:
    """The Host header without its port: "www.facebook.com:8443" -> "www.facebook.com"."""
    host = header.strip().lower()
    if host.startswith("["):  # an IPv6 literal
        return host[: host.find("]") + 1]
    name, _, port = host.rpartition(":")
    return (name if name and port.isdigit() else host).rstrip(".")


def _cookies(headers: list[str]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for header in headers:
        for pair in header.split(";"):
            name, equals, value = pair.strip().partition("=")
            if equals:
                jar.setdefault(name, value)
    return jar


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as browsers expect; every response says its length
    timeout = _IDLE_TIMEOUT

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        request = self._read_request()
        assert isinstance(self.server, _Server)
        try:
            response = self.server.mock._handle(request, _cookies(self.headers.get_all("Cookie") or []))
        except Exception:  # a bug in the mock: show it in the browser rather than hang the test
            response = _Response(500, traceback.format_exc().encode(), (("Content-Type", "text/plain; charset=utf-8"),))
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length > 0 else ""
        is_form = (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded")
        target = urlsplit(self.path)
        return RecordedRequest(
            time=time.monotonic(),
            method=self.command,
            host=_host_name(self.headers.get("Host") or ""),
            path=target.path,
            query=target.query,
            body=body,
            form=parse_qs(body, keep_blank_values=True) if is_form else {},
        )

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: Chromium's own background requests would otherwise fill the output with 404 lines."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() closes idle keep-alive connections instead of waiting for them

    def __init__(self, mock: MockMeta, context: ssl.SSLContext) -> None:
        self.mock = mock
        self.context = context
        self._connections: set[ssl.SSLSocket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The TLS handshake happens here, in the connection's own thread, so a slow client cannot block
        # the accept loop.
        request.settimeout(_HANDSHAKE_TIMEOUT)
        try:
            connection = self.context.wrap_socket(request, server_side=True)
        except OSError:  # ssl.SSLError included: a client that gave up or refused the certificate
            return
        with self._connections_lock:
            self._connections.add(connection)
        try:
            _Handler(connection, client_address, self)
        finally:
            with self._connections_lock:
                self._connections.discard(connection)
            connection.close()

    def close_connections(self) -> None:
        """Wake and end the threads waiting on keep-alive connections, so none outlives the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the browser
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silent: a browser dropping a connection mid-response is normal, not worth a traceback."""


# --- the server -----------------------------------------------------------------------------------------


class MockMeta:
    """The mock site. `with MockMeta() as site:` serves it; Chromium reaches it with `site.chromium_args()`."""

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.scenario: Scenario = scenario or Scenario()
        check_language(self.scenario.lang)
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._sessions: set[tuple[str, str]] = set()  # (platform, token) of every login issued
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> MockMeta:
        if self._server is not None:
            return self
        self._server = _Server(self, _tls_context())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="mock-meta", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> MockMeta:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the mock Meta server is not running: call start() first")
        return int(self._server.server_address[1])

    def chromium_args(self) -> list[str]:
        """Chromium flags that send every host name to this server and accept its certificate."""
        return [f"--host-resolver-rules=MAP * 127.0.0.1:{self.port}, EXCLUDE localhost", "--ignore-certificate-errors"]

    # state

    def reset(self, scenario: Scenario | None = None) -> None:
        """Forget recorded requests and every login, and play `scenario` (the default one if None)."""
        scenario = scenario or Scenario()
        check_language(scenario.lang)
        with self._lock:
            self._requests.clear()
            self._sessions.clear()
            self.scenario = scenario

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order (a copy)."""
        with self._lock:
            return list(self._requests)

    def posts(self) -> list[RecordedRequest]:
        """The POSTs to Meta's hosts (the browser's own background traffic left out)."""
        return [r for r in self.requests if r.method == "POST" and is_meta_host(r.host)]

    # serving (called from the connection threads)

    def _handle(self, request: RecordedRequest, cookies: Mapping[str, str]) -> _Response:
        with self._lock:
            self._requests.append(request)
            scenario = self.scenario
        host = _HOSTS.get(request.host)
        page = _ROUTES.get((request.host, request.path))
        if host is None:
            return _not_found()
        if page is None:
            if (request.host, request.path + "/") in _ROUTES:  # Meta adds the missing slash
                query = f"?{request.query}" if request.query else ""
                return _redirect(301, f"https://{request.host}{request.path}/{query}")
            return _not_found()
        visit = _Visit(request, scenario, host, self._logged_in(host.platform, scenario, cookies))
        response = _respond(visit, page)
        if response.session is not None:
            with self._lock:
                self._sessions.add(response.session)
        return response

    def _logged_in(self, platform: _Platform, scenario: Scenario, cookies: Mapping[str, str]) -> bool:
        """Without `require_login` the person counts as logged in; with it, only a session we issued counts."""
        if not scenario.require_login:
            return True
        with self._lock:
            return (platform.name, cookies.get(platform.session_cookie, "")) in self._sessions
