"""The checks every click goes through, whatever a flow says: promises 1 and 3 enforced at the last moment.

A flow has no submit step and cannot name the Submit control's words; this makes sure that no click
(on a route, a cookie wall or a form question) can become a submission or a trip off Meta's domains by
accident — for instance when Meta dresses a submit button as a link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Locator

from optout_bot.domains import is_meta_url
from optout_bot.errors import RefusedError
from optout_bot.i18n import _

# Would clicking this element send a form? Submit inputs, and buttons that submit their form (a <button>
# in a form without type="button" submits it).
_SUBMITS_FORM_JS = """el => {
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (tag === 'input' && (type === 'submit' || type === 'image')) return true;
  const button = el.closest('button');
  if (button && button.form && ['', 'submit'].includes((button.getAttribute('type') || '').toLowerCase()))
    return true;
  return false;
}"""

# Where a click on this element would lead, if it is (inside) a link.
_LINK_HREF_JS = "el => { const a = el.closest('a[href]'); return a ? a.href : null; }"


def refuse_unsafe_click(target: Locator) -> None:
    if target.evaluate(_SUBMITS_FORM_JS):
        raise RefusedError(
            _(
                "a flow step pointed at a control that would submit a form; optout-bot never submits, so it "
                "stopped. Please report this flow problem."
            )
        )
    href = target.evaluate(_LINK_HREF_JS)
    if isinstance(href, str) and href.startswith("http") and not is_meta_url(href):
        host = urlsplit(href).hostname or href
        raise RefusedError(
            _(
                "the link to follow leads to {host}, which is not one of Meta's sites; optout-bot did not follow it "
                "and filled nothing. If you did not expect this, you may be looking at a phishing copy."
            ).format(host=host)
        )


def click_safely(target: Locator, timeout_ms: float) -> None:
    refuse_unsafe_click(target)
    # A tab behind another one does not draw, and a click waits for the element to be drawn (stable): if the
    # person went to another tab meanwhile, the tool's tab comes back to the front first, or the walk stalls.
    if target.page.evaluate("document.visibilityState") == "hidden":
        target.page.bring_to_front()
    target.click(timeout=timeout_ms)
