"""When a page has settled: its load event is done, no navigation is under way and its DOM has been quiet briefly.

The walk waits for what it expects (a route's control, the place, an interruption) and returns the moment it
appears. When it does not appear, the walk must tell a control that is late from one that is not coming: once
the page has settled without it, the walk decides at once, instead of waiting a whole step timeout.

The page says so itself, without a question from the walk: an init script (installed once per walk) keeps, in
each document, the time of its last DOM mutation and, once the load event is done and the DOM has been quiet
for QUIET_MS, marks the document's root element (`SETTLED_ATTRIBUTE`). Any mutation removes the mark and starts
the quiet time again, and so does a click or a key (the page may answer it late, see AFTER_INPUT_MS); a
navigation that leaves the document (a link followed, a script sending the browser on, a form sent) removes it
for good, so the old page never passes for settled while the next one loads. The walk waits for its own
targets *or* the mark in one wait (`Settling.marked`): no fixed sleep, no first look of a fixed length, and no
listener in Python for every request of the page.

Reading the same state by hand (`quiet_for`, a script in the page's world: 40–90 ms on a new document) stays as a
fallback for the rare page where the mark cannot be set (a page's script rewriting its root element's
attributes, a page loaded before the walk began: that call installs the observer).
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

# How long the DOM must stay quiet after the load event for the page to count as settled.
QUIET_MS = 400
# After a click or a key on the page, at least this long before it counts as settled: a menu drawn from data the
# page fetches first changes nothing in the DOM meanwhile (the walk's first look at a page was this long before).
AFTER_INPUT_MS = 800
# The longest single wait for the walk's targets or the mark: Playwright polls a wait at most every
# timeout / 5 (capped at 500 ms), so short waits, repeated, see the mark within about 100 ms.
LOOK_MS = 500

SETTLED_ATTRIBUTE = "data-optout-settled"
_MARK = "__optoutLastMutation"
_LEAVING = "__optoutLeaving"
_NOT_BEFORE = "__optoutNotBefore"

# Records the time of the document's last mutation and marks the root element once the page has settled (see
# the module's docstring); also run by hand on a page loaded before the walk began. The mark itself is an
# attribute, which the observer does not watch: setting it is no mutation.
OBSERVER_SCRIPT = f"""(() => {{
  if (window.{_MARK} !== undefined) return;
  window.{_MARK} = performance.now();
  window.{_LEAVING} = false;
  let timer = 0;
  window.{_NOT_BEFORE} = 0;  // set by the person's (or the walk's) input: see AFTER_INPUT_MS
  const unmark = () => {{
    const root = document.documentElement;
    if (root && root.hasAttribute('{SETTLED_ATTRIBUTE}')) root.removeAttribute('{SETTLED_ATTRIBUTE}');
  }};
  const markWhenQuiet = () => {{
    clearTimeout(timer);
    if (window.{_LEAVING} || document.readyState !== 'complete') return;  // the load event comes back here
    const wait = Math.max(window.{_MARK} + {QUIET_MS}, window.{_NOT_BEFORE}) - performance.now();
    if (wait > 0) {{ timer = setTimeout(markWhenQuiet, wait); return; }}
    if (document.documentElement) document.documentElement.setAttribute('{SETTLED_ATTRIBUTE}', '');
  }};
  const note = () => {{ window.{_MARK} = performance.now(); unmark(); markWhenQuiet(); }};
  const leave = () => {{ window.{_LEAVING} = true; clearTimeout(timer); unmark(); }};
  const input = () => {{ window.{_NOT_BEFORE} = performance.now() + {AFTER_INPUT_MS}; note(); }};
  new MutationObserver(note).observe(document, {{childList: true, subtree: true, characterData: true}});
  addEventListener('load', markWhenQuiet);
  addEventListener('beforeunload', leave);
  addEventListener('click', input, true);
  addEventListener('keydown', input, true);
  if (window.navigation) {{
    // A link followed, a script setting location, a form sent: this document is on its way out. A navigation
    // inside the document (a single-page app's route) draws a new page in it: its quiet time starts again.
    navigation.addEventListener('navigate', (event) => (event.destination.sameDocument ? note() : leave()));
    navigation.addEventListener('navigateerror', () => {{ window.{_LEAVING} = false; markWhenQuiet(); }});
  }}
  markWhenQuiet();
}})()"""

# How long the DOM has been quiet (ms), or -1 before the load event, while leaving, or on a document without the
# observer (which this installs).
_QUIET_FOR = f"""() => {{
  if (document.readyState !== 'complete') return -1;
  if (window.{_MARK} === undefined) {{ {OBSERVER_SCRIPT}; return 0; }}
  if (window.{_LEAVING}) return -1;
  const now = performance.now();
  return now < window.{_NOT_BEFORE} ? 0 : now - window.{_MARK};
}}"""


class Settling:
    """Knows, for one tab, whether its current page has settled (see the module's docstring)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        page.add_init_script(OBSERVER_SCRIPT)
        # The root element of the tab's current document, once it has settled; to wait for beside other targets.
        self.marked: Locator = page.locator(f":root[{SETTLED_ATTRIBUTE}]")

    def settled(self) -> bool:
        """Whether the current page carries the mark (one question to the browser, in Playwright's own world)."""
        try:
            return self.marked.count() > 0
        except PlaywrightError:  # the document went away while asked: a navigation, not settled
            return False

    def quiet_for(self) -> float:
        """Milliseconds the page has been settled for (0 or less: not settled yet), read by hand (the fallback)."""
        try:
            return float(self.page.evaluate(_QUIET_FOR))
        except PlaywrightError:  # the document went away while asked: a navigation, not settled
            return 0.0
