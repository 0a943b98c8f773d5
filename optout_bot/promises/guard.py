"""What the walk's pages may send: the network side of promises 1 and 3, enforced by request routing.

Checks on links and addresses (optout_bot.promises.clicks, optout_bot.domains) come before a click; a page's own
scripts can still navigate, post or send in the background. So every request of the tool's tab (and of the
tabs it opens) passes here first, and what would break a promise never leaves the browser:

- during the whole walk, a navigation of the tab, or a page posted in any frame, to a host off the
  platform's domains (images and scripts from CDNs stay allowed);
- while the tool fills the form (from `arm()` to `release()`, the hand-over), anything that carries a value
  the tool typed (in the address or the body, however encoded) or that sends the form itself (a page
  posted, a request to the form's action), and any navigation of the tab: the form must stay as it was.
  The page's other background traffic is left alone, so the platform's scripts keep working.

A blocked navigation is answered "204 No Content", on which the browser stays on the page it has; anything
else blocked is aborted. Each block is remembered, for the walk to stop and say why.

Playwright's routing never sees where a redirect leads (only a request's first address), so the responses of
pages (documents) are also read over the DevTools protocol: a redirect off the site is answered "204" there,
before the browser follows it.

Routing costs a round trip to Python per request it sees and turns the browser's cache off for the tab, so
during the walk only off-site addresses are routed (a pattern the browser's side of Playwright matches),
and every request only while the form is being filled.
"""

from __future__ import annotations

import json
import re
from contextlib import suppress
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from loguru import logger
from playwright.sync_api import CDPSession, Page, Request, Route
from playwright.sync_api import Error as PlaywrightError

from optout_bot.domains import host_of, is_site_url, resolve_link, without_query
from optout_bot.platforms import Site

_ALL = "**/*"
_REDIRECTS = (301, 302, 303, 307, 308)


class PageGuard:
    """Routes the tool's tab (and its popups) for one walk on `site`; `release()` hands the tab back."""

    def __init__(self, page: Page, site: Site) -> None:
        self.site = site
        self.off_site_url: str | None = None  # the first off-site navigation or post refused
        self.sending: list[str] = []  # what tried to send or replace the form while armed, for the log
        self._pages: list[Page] = []
        self._sessions: list[CDPSession] = []  # one per tab, reading the pages' redirects
        self._typed: list[str] = []  # values the tool typed, as they may appear in a request
        self._action = ""  # the form's own address for its submission, without query
        self._armed = False
        self._off_site = _off_site_pattern(site)
        self._watch(page)
        page.on("popup", self._watch_popup)

    # --- the walk: never off the site -------------------------------------------------------------------

    def _watch(self, page: Page) -> None:
        self._pages.append(page)
        page.route(self._off_site, self._on_off_site_request)
        if self._armed:
            page.route(_ALL, self._on_request_while_filling)
        self._watch_redirects(page)

    def _watch_redirects(self, page: Page) -> None:
        session = page.context.new_cdp_session(page)
        self._sessions.append(session)

        def on_response(event: dict[str, object]) -> None:
            with suppress(PlaywrightError):  # the tab went away meanwhile
                self._on_page_response(session, event)

        session.on("Fetch.requestPaused", on_response)
        session.send("Fetch.enable", {"patterns": [{"resourceType": "Document", "requestStage": "Response"}]})

    def _on_page_response(self, session: CDPSession, event: dict[str, Any]) -> None:
        request_id = event["requestId"]
        location = next(
            (h["value"] for h in event.get("responseHeaders") or [] if h["name"].lower() == "location"), None
        )
        if event.get("responseStatusCode") in _REDIRECTS and location:
            destination = resolve_link(event["request"]["url"], location)
            if not is_site_url(destination, self.site):
                self._refuse_off_site(destination)
                session.send("Fetch.fulfillRequest", {"requestId": request_id, "responseCode": 204, "body": ""})
                return
        session.send("Fetch.continueRequest", {"requestId": request_id})

    def _watch_popup(self, popup: Page) -> None:
        # A popup's first request may be out before its routes are in place: one already off the site is
        # closed at once (it is the tool's own tab's child, never one of the person's tabs).
        if popup.url.startswith("http") and not is_site_url(popup.url, self.site):
            self._refuse_off_site(popup.url)
            with suppress(PlaywrightError):
                popup.close()
            return
        with suppress(PlaywrightError):  # closed meanwhile
            self._watch(popup)

    def _on_off_site_request(self, route: Route) -> None:
        request = route.request
        if _leaves_the_page(request) and not is_site_url(request.url, self.site):
            self._refuse_off_site(request.url)
            _block(route)
            self._close_if_popup(request)
            return
        route.fallback()  # an image, a script, a font from a CDN: allowed

    def _close_if_popup(self, request: Request) -> None:
        """A tab the walk's page opened to go off the site is closed: in the person's own browser (--cdp), no
        empty or phishing tab is left behind. The tool's own tab stays (it is on the site: the tab was not let go)."""
        with suppress(PlaywrightError):
            page = request.frame.page
            if page is not self._pages[0]:
                page.close()

    def _refuse_off_site(self, url: str) -> None:
        logger.info("blocked a request off the site to {}", host_of(url))
        if self.off_site_url is None:
            self.off_site_url = url

    # --- filling: nothing sent -------------------------------------------------------------------------

    def arm(self, action: str) -> None:
        """From now on until `release()`, nothing may send the form (its submission goes to `action`)."""
        self._action = without_query(action)
        self._armed = True
        for page in self._pages:
            page.route(_ALL, self._on_request_while_filling)  # the latest route is asked first

    def typed(self, value: str) -> None:
        """`value` is in the form now: no request may carry it until the hand-over."""
        value = value.strip()
        if len(value) >= 3:  # shorter values ("FR", a two-letter code) are everywhere in ordinary traffic
            self._typed.extend(spellings(value))

    def release(self) -> None:
        """The hand-over: the person's own Submit must go through. Routes are removed from every tab, and tabs
        the person opens from now on are theirs."""
        self._armed = False
        with suppress(PlaywrightError):
            self._pages[0].remove_listener("popup", self._watch_popup)
        for page in self._pages:
            with suppress(PlaywrightError):  # the person may have closed the tab
                page.unroute_all(behavior="ignoreErrors")
        for session in self._sessions:
            with suppress(PlaywrightError):
                session.detach()  # its interception ends with it

    def _on_request_while_filling(self, route: Route) -> None:
        request = route.request
        why = self._sends_the_form(request) if self._armed else None
        if why is None:
            route.fallback()
            return
        logger.info("blocked while filling: {} to {} ({})", request.method, host_of(request.url), why)
        self.sending.append(why)
        _block(route)

    def _sends_the_form(self, request: Request) -> str | None:
        """Why this request would send (or replace) the form, or None if it may go."""
        if _is_tabs_navigation(request) or (request.is_navigation_request() and request.method != "GET"):
            return "a navigation of the page"
        if request.method != "GET" and self._action and without_query(request.url) == self._action:
            return "a request to the form's action"
        if self._typed and carries(request.url, request.post_data_buffer, self._typed):
            return "a request carrying a typed value"
        return None


def spellings(value: str) -> list[str]:
    """How a typed value may be written in a request: as is, URL-encoded both ways, JSON-escaped; lowercase."""
    value = _one_line_end(value)
    forms = {value, quote_plus(value), quote(value, safe=""), json.dumps(value)[1:-1]}
    forms.add(json.dumps(value, ensure_ascii=False)[1:-1])
    return sorted(form.casefold() for form in forms)


def carries(url: str, body: bytes | None, typed: list[str]) -> bool:
    """Whether the address or the body holds one of the `typed` spellings: raw (multipart, JSON), or URL-decoded.
    Line ends are compared as "\\n": a form's body sends a typed newline as CRLF."""
    texts = [url, body.decode("utf-8", "replace")] if body else [url]
    candidates = set()
    for text in texts:
        candidates.update({text, unquote(text), unquote_plus(text)})
    folded = [_one_line_end(text).casefold() for text in candidates]
    return any(spelling in text for spelling in typed for text in folded)


def _one_line_end(text: str) -> str:
    """CRLF as LF, written out (in a request) or escaped (in JSON)."""
    return text.replace("\r\n", "\n").replace("\\r\\n", "\\n")


def _leaves_the_page(request: Request) -> bool:
    """A navigation of a tab, or a page posted in any frame: what takes the person's session to a site."""
    if _is_tabs_navigation(request):
        return True
    return request.resource_type == "document" and request.method != "GET"


def _is_tabs_navigation(request: Request) -> bool:
    if not request.is_navigation_request():
        return False
    try:
        return request.frame.parent_frame is None
    except PlaywrightError:  # a request from a service worker has no frame
        return False


def _block(route: Route) -> None:
    """Answer a navigation "204 No Content" (the browser stays on the page it has); abort anything else."""
    with suppress(PlaywrightError):  # the page went away meanwhile
        if route.request.is_navigation_request():
            route.fulfill(status=204, body="")
        else:
            route.abort("blockedbyclient")


def _off_site_pattern(site: Site) -> re.Pattern[str]:
    """Addresses that may be off the site: all but https on its domains. Matched on Playwright's browser side,
    so requests on the site never make the round trip to Python; the handler decides exactly."""
    domains = "|".join(re.escape(domain) for domain in site.domains)
    return re.compile(rf"^(?!https://(?:[a-z0-9-]+\.)*(?:{domains})[/?#])")
