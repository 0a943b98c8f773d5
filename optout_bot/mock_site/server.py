"""A local HTTPS imitation of Meta's pages (and LinkedIn's and X's AI settings), served on the real host names.

Chromium started with `chromium_args()` sends every host name to this server, so the tool runs unchanged
on `https://www.instagram.com/...` addresses (shared/docs/browser-and-tests.md). The server routes on the
Host header and the path, and records every request so a test can prove what was (and was not) submitted.
What each address answers is in `routes.py`, how pages are drawn in `pages.py`, the site's map in `site.py`.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import socket
import ssl
import threading
import time
import traceback
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme

from optout_bot.domains import is_meta_host
from optout_bot.mock_site.declared import setting_keys
from optout_bot.mock_site.messages import RecordedRequest, Response, not_found, redirect
from optout_bot.mock_site.pages import check_language, languages
from optout_bot.mock_site.routes import respond, webmail
from optout_bot.mock_site.scenario import Scenario
from optout_bot.mock_site.site import (
    CERTIFICATE_DOMAINS,
    CONSENT_CHOICES,
    CONSENT_COOKIE,
    HOSTS,
    ROUTES,
    WEBMAIL_HOST,
    Visit,
)
from optout_bot.mock_site.state import SiteState

__all__ = ["MockMeta", "RecordedRequest", "check_language", "languages"]

_HANDSHAKE_TIMEOUT = 10.0  # seconds a client may take to complete the TLS handshake
_IDLE_TIMEOUT = 60.0  # seconds an idle keep-alive connection is kept open


# --- HTTP plumbing --------------------------------------------------------------------------------------


def _tls_context() -> ssl.SSLContext:
    """A throwaway CA and a certificate for every name served (Chromium also runs with
    --ignore-certificate-errors)."""
    authority = trustme.CA(organization_name="optout-bot mock Meta")
    names = [name for domain in CERTIFICATE_DOMAINS for name in (domain, f"*.{domain}")]
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


def _multipart_form(content_type: str, body: bytes) -> dict[str, list[str]]:
    """The fields of a multipart/form-data body (a form with a file input); a file's value is its file name."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    form: dict[str, list[str]] = {}
    if not message.is_multipart():
        return form
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = part.get_filename()
        if filename is not None:
            value = filename
        else:
            payload = part.get_payload(decode=True)
            value = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        form.setdefault(name, []).append(value)
    return form


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
            response = Response(500, traceback.format_exc().encode(), (("Content-Type", "text/plain; charset=utf-8"),))
        latency_ms = self.server.mock.scenario.latency_ms
        if latency_ms > 0:  # Scenario.latency_ms: the network, simulated here in this connection's own thread
            time.sleep(latency_ms / 1000)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        body = raw.decode("utf-8", "replace")
        content_type = self.headers.get("Content-Type") or ""
        form: dict[str, list[str]] = {}
        if content_type.startswith("application/x-www-form-urlencoded"):
            form = parse_qs(body, keep_blank_values=True)
        elif content_type.startswith("multipart/form-data"):
            form = _multipart_form(content_type, raw)
        target = urlsplit(self.path)
        return RecordedRequest(
            time=time.monotonic(),
            method=self.command,
            host=_host_name(self.headers.get("Host") or ""),
            path=target.path,
            query=target.query,
            body=body,
            form=form,
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
        self._state = SiteState()  # logins, codes sent, cookie choices: what reset() forgets
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
        """Forget recorded requests, logins, codes sent, cookie choices and the settings saved; play `scenario`
        (the default if None)."""
        scenario = scenario or Scenario()
        check_language(scenario.lang)
        with self._lock:
            self._requests.clear()
            self.scenario = scenario
        self._state.reset()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order (a copy)."""
        with self._lock:
            return list(self._requests)

    def posts(self) -> list[RecordedRequest]:
        """The POSTs to Meta's hosts and to the other platforms served (LinkedIn, X): forms, logins and
        settings saved by script. The browser's own background traffic and look-alike sites are left out."""
        return [r for r in self.requests if r.method == "POST" and _platform_host(r.host)]

    def cookie_choice(self, host: str) -> str | None:
        """What the cookie dialog's cookie said on the latest request to `host`: "declined" or "accepted"."""
        return self._state.cookie_choice(host)

    def setting(self, key: str) -> bool:
        """An AI-training setting now, by its key in fixtures/pages.yaml ("linkedin", "x",
        "x-business-partners"…): as last saved by the page or `set_setting`, else `Scenario.ai_setting_on`."""
        _check_setting_key(key)
        return self._state.setting(key, self.scenario.ai_setting_on)

    def set_setting(self, key: str, on: bool) -> None:
        """Switch an AI-training setting (by its key) on or off, as the platform itself may do between runs
        ("platforms have reset such settings before"); logins and recorded requests are kept."""
        _check_setting_key(key)
        self._state.set_setting(key, on)

    def secrets(self) -> dict[str, str]:
        """Meta's session tokens seeded in every page (name -> value); they change with every reset()."""
        return self._state.secrets.by_name()

    # serving (called from the connection threads)

    def _handle(self, request: RecordedRequest, cookies: Mapping[str, str]) -> Response:
        with self._lock:
            self._requests.append(request)
            scenario = self.scenario
        if request.host == WEBMAIL_HOST:
            return webmail(scenario)
        host = HOSTS.get(request.host)
        if host is None:
            return not_found()
        page = ROUTES.get((request.host, request.path))
        if page is None:
            if (request.host, request.path + "/") in ROUTES:  # Meta adds the missing slash
                query = f"?{request.query}" if request.query else ""
                return redirect(f"https://{request.host}{request.path}/{query}", permanent=True)
            return not_found()
        choice = cookies.get(CONSENT_COOKIE)
        if host.meta and choice in CONSENT_CHOICES:
            self._state.record_cookie_choice(request.host, choice)
        return respond(Visit(request, scenario, host, page, self._state, cookies))


def _platform_host(host: str) -> bool:
    """One of Meta's hosts, or a genuine host of another platform the mock serves (LinkedIn, X)."""
    served = HOSTS.get(host)
    return is_meta_host(host) or (served is not None and served.genuine)


def _check_setting_key(key: str) -> None:
    if key not in setting_keys():
        known = ", ".join(setting_keys())
        raise ValueError(f"no AI-training setting {key!r}; the settings (fixtures/pages.yaml): {known}")
