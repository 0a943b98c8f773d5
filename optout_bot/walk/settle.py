"""When a page has settled: its load event is done, no navigation is under way and its DOM has been quiet briefly.

The walk waits for what it expects (a route's control, the place, an interruption) and returns the moment it
appears. Only when it has not appeared after a first short wait does it ask whether the page has settled: if
so, the control is not coming and the walk decides at once, instead of waiting a whole step timeout.

An init script (installed once per walk) keeps, in each document, the time of its last DOM mutation; reading it
costs one script in the page's world (40–90 ms on a new document), paid only on that slow path. No fixed sleep:
between two looks the walk waits for its own targets, so it still returns as soon as one appears.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request

# How long the DOM must stay quiet after the load event for the page to count as settled.
QUIET_MS = 400
# The first wait for what the step expects before the page is asked whether it has settled (the fast path).
FIRST_LOOK_MS = 800

_MARK = "__optoutLastMutation"

# Records the time of the document's last mutation; also run by hand on a page loaded before the walk began.
OBSERVER_SCRIPT = f"""(() => {{
  if (window.{_MARK} !== undefined) return;
  window.{_MARK} = performance.now();
  const note = () => {{ window.{_MARK} = performance.now(); }};
  new MutationObserver(note).observe(document, {{childList: true, subtree: true, characterData: true}});
}})()"""

# How long the DOM has been quiet (ms), or -1 before the load event or on a document without the observer.
_QUIET_FOR = f"""() => {{
  if (document.readyState !== 'complete') return -1;
  if (window.{_MARK} === undefined) {{ {OBSERVER_SCRIPT}; return 0; }}
  return performance.now() - window.{_MARK};
}}"""


class Settling:
    """Knows, for one tab, whether its current page has settled (see the module's docstring)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._navigating = False
        page.add_init_script(OBSERVER_SCRIPT)
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_done)
        page.on("load", self._on_load)

    def _on_request(self, request: Request) -> None:
        # A document request of the main frame: a new page is on its way; the old one's quiet means nothing.
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self._navigating = True

    def _on_done(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self._navigating = False

    def _on_load(self, _page: Page) -> None:
        self._navigating = False

    def quiet_for(self) -> float:
        """Milliseconds the page has been settled for (0 or less: not settled yet)."""
        if self._navigating:
            return 0.0
        try:
            quiet = float(self.page.evaluate(_QUIET_FOR))
        except PlaywrightError:  # the document went away while asked: a navigation, not settled
            return 0.0
        return 0.0 if self._navigating else quiet

    def next_look_ms(self, quiet: float) -> float:
        """How long to wait for the walk's own targets before asking again, after a page quiet for `quiet` ms."""
        return max(QUIET_MS - max(quiet, 0.0), 50.0)
