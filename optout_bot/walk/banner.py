"""What the tool draws in the platform's page for the person, and takes away before any picture that proves.

- The banner: a narrow panel docked to the side of the window beside the form (a short sheet at the bottom of a
  phone-width window), placed where it covers none of the form's fields, its heading or the control the person
  clicks, placed again when the window changes size, and foldable by its own button. It lets every click through
  (`pointer-events: none`) except on that button, which is ours, outside the form, and `type=button`: folding can
  never send or touch the form.
- The outlines: the fields the tool filled (blue), and the Submit control or switch the person clicks (orange).
- The stamp: when and where a receipt was taken, drawn into the page so it is in the picture, then removed.

Every style the tool changes on the page's own elements is saved first and restored by `clear_marks`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from optout_bot.domains import without_query
from optout_bot.i18n import _, current_language

BANNER_ID = "optout-bot-banner"
STAMP_ID = "optout-bot-stamp"
_MARK = "data-optout-bot-mark"  # on the page's own elements the tool outlined: "filled", "to-fill" or "click"
_SAVED = "data-optout-bot-style"  # their own style attribute, as it was

# The banner, and the placing that keeps it clear of what the person must see. `keep`: the elements that must stay
# uncovered are the outlined ones, the control to click, the fields and heading around it (found from the page).
_BANNER_JS = """([id, lang, title, lines, foldLabels]) => {
  const root = document.body || document.documentElement;  // a page still loading may have no body yet
  if (!root) throw new Error('no document to draw in yet');
  let banner = document.getElementById(id);
  if (!banner) {
    banner = document.createElement('aside');
    banner.id = id;
    root.appendChild(banner);
  }
  const css = (el, text) => {
    el.style.cssText = 'all:initial;box-sizing:border-box;font:inherit;color:inherit;' + text;
  };
  banner.lang = lang;
  banner.setAttribute('role', 'status');
  banner.setAttribute('aria-live', 'polite');
  banner.replaceChildren();
  const top = document.createElement('div');
  css(top, 'display:flex;align-items:flex-start;gap:8px;');
  const heading = document.createElement('strong');
  css(heading, 'flex:1;font:inherit;font-weight:700;color:inherit;');
  heading.textContent = title;
  const fold = document.createElement('button');
  fold.type = 'button';  // never a submit, and outside any form anyway
  css(fold, 'pointer-events:auto;cursor:pointer;flex:none;font:inherit;font-size:.9em;color:#0b3d91;' +
    'background:#fff;border-radius:4px;padding:2px 8px;');
  const body = document.createElement('div');
  body.id = id + '-body';
  css(body, 'display:block;font:inherit;color:inherit;margin-top:6px;');
  for (const line of lines) {
    const p = document.createElement('div');
    css(p, 'display:block;font:inherit;color:inherit;margin-top:4px;');
    p.textContent = line;
    body.appendChild(p);
  }
  fold.setAttribute('aria-controls', body.id);
  const showFolded = (folded) => {
    body.style.display = folded ? 'none' : 'block';
    fold.textContent = folded ? foldLabels[1] : foldLabels[0];
    fold.setAttribute('aria-expanded', String(!folded));
  };
  fold.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();  // the page's own click handlers never hear of it
    showFolded(body.style.display !== 'none');
    window.__optoutBotPlace && window.__optoutBotPlace(false);
  });
  showFolded(false);
  top.append(heading, fold);
  banner.append(top, body);
  if (!window.__optoutBotPlace) {
    window.__optoutBotPlace = (scroll) => window.__optoutBotPlaceBanner(id, scroll);
    window.addEventListener('resize', () => window.__optoutBotPlace && window.__optoutBotPlace(true));
  }
  window.__optoutBotPlace(true);
}"""

# Placing the banner: beside the form on a wide window (making room at the side if the page leaves none), as a
# sheet at the bottom of a narrow one, with room added below the page so its end can be scrolled above the sheet.
_PLACE_JS = """window.__optoutBotPlaceBanner = (id, scroll) => {
  const banner = document.getElementById(id);
  if (!banner) return;
  const html = document.documentElement;
  const gap = 12;
  const click = document.querySelector('[data-optout-bot-mark=click]');
  const marked = [...document.querySelectorAll('[data-optout-bot-mark]')];
  const zone = (() => {  // the form (or the switch's box) and the heading above it
    if (!click) return null;
    let el = click.form || click.closest('form') || click;
    while (el.parentElement && !el.parentElement.querySelector('h1, h2, h3')) el = el.parentElement;
    return el.parentElement || el;
  })();
  const named = click ? [...(click.labels || []), ...(click.getAttribute('aria-labelledby') || '').split(' ')
    .map(ref => ref && document.getElementById(ref)).filter(Boolean)] : [];  // the switch's own label
  const keep = () => {
    const found = zone ? [...zone.querySelectorAll(
      'input:not([type=hidden]), select, textarea, button, h1, h2, h3, label, [role=switch], [role=checkbox]')] : [];
    return [...found, ...marked, ...named].map(el => el.getBoundingClientRect())
      .filter(r => r.width > 0 && r.height > 0);
  };
  const hits = () => {
    const b = banner.getBoundingClientRect();
    return keep().filter(r => r.left < b.right + 4 && b.left - 4 < r.right && r.top < b.bottom + 4 &&
                               b.top - 4 < r.bottom && r.bottom > 0 && r.top < innerHeight);
  };
  const dock = (side) => {
    const base = 'all:initial;box-sizing:border-box;position:fixed;z-index:2147483647;pointer-events:none;' +
      'display:block;background:#0b3d91;color:#fff;font:14px/1.4 system-ui,sans-serif;text-align:start;' +
      'box-shadow:0 2px 12px rgba(0,0,0,.35);overflow:hidden;';
    banner.style.cssText = side === 'bottom'
      ? base + 'left:0;right:0;bottom:0;max-height:40vh;padding:8px 12px;border-radius:10px 10px 0 0;' +
        'font-size:13px;line-height:1.35;'
      : base + 'top:' + gap + 'px;' + side + ':' + gap + 'px;width:' + width() + 'px;max-height:calc(100vh - ' +
        2 * gap + 'px);padding:12px 14px;border-radius:10px;';
  };
  const width = () => Math.round(Math.min(300, innerWidth * 0.3));
  const room = (side, px) => html.style.setProperty('padding-' + side, px ? px + 'px' : '', px ? 'important' : '');
  room('right', 0); room('bottom', 0);
  const wide = innerWidth >= 720;
  if (wide) {
    for (const side of ['right', 'left']) {
      dock(side);
      if (!hits().length) return;
    }
    room('right', width() + 2 * gap);  // the page leaves no room beside its form: make some
    dock('right');
    if (!hits().length) return;
    room('right', 0);
  }
  dock('bottom');
  room('bottom', banner.getBoundingClientRect().height + 2 * gap);
  if (!scroll || !click) return;
  // Bring the control to click, and what is beside it, just above the sheet: what comes before it in the form is
  // above it on screen. (What comes after it, if anything, is the page's own and can be scrolled to.)
  for (let tries = 0; tries < 3; tries++) {
    const limit = click.getBoundingClientRect().bottom;
    const covered = hits().filter(r => r.top <= limit);
    if (!covered.length) return;
    const lowest = Math.max(...covered.map(r => r.bottom));
    window.scrollBy({top: lowest - (banner.getBoundingClientRect().top - 2 * gap), behavior: 'instant'});
  }
}"""

# Outline one of the page's own elements, its own style saved first.
_MARK_JS = """(el, mark) => {
  if (!el.hasAttribute('data-optout-bot-style')) {
    el.setAttribute('data-optout-bot-style', el.getAttribute('style') ?? '\\u0000');
  }
  el.setAttribute('data-optout-bot-mark', mark);
  const colour = mark === 'click' ? '#ff8c00' : '#1a73e8';
  const line = mark === 'to-fill' ? 'dashed' : 'solid';
  el.style.setProperty('outline', (mark === 'click' ? 4 : 2) + 'px ' + line + ' ' + colour, 'important');
  el.style.setProperty('outline-offset', mark === 'click' ? '3px' : '0', 'important');  // clear of its label
  if (mark === 'click') el.style.setProperty('box-shadow', '0 0 0 8px rgba(255,140,0,.35)', 'important');
}"""

# The placing defined and the banner drawn in one question to the page (each is a round trip).
_DRAW_JS = "(args) => { " + _PLACE_JS + "; return (" + _BANNER_JS + ")(args); }"

# In one go, so that once the control is seen outlined the banner is in its place too.
_POINT_AT_JS = (
    "el => { (" + _MARK_JS + ")(el, 'click');"
    " el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});"
    " window.__optoutBotPlace && window.__optoutBotPlace(true); }"
)

# Everything the tool drew or changed, gone: the banner, the outlines (each element's own style put back), the
# room made for the banner, the placing on resize.
_CLEAR_JS = """(id) => {
  document.getElementById(id)?.remove();
  for (const el of document.querySelectorAll('[data-optout-bot-style]')) {
    const own = el.getAttribute('data-optout-bot-style');
    if (own === '\\u0000') el.removeAttribute('style'); else el.setAttribute('style', own);
    el.removeAttribute('data-optout-bot-style');
    el.removeAttribute('data-optout-bot-mark');
  }
  document.documentElement.style.removeProperty('padding-right');
  document.documentElement.style.removeProperty('padding-bottom');
  window.__optoutBotPlace = undefined;
}"""

_STAMP_JS = """([id, lines]) => {
  const stamp = document.createElement('div');
  stamp.id = id;
  stamp.style.cssText = 'all:initial;display:block;box-sizing:border-box;margin:0;padding:6px 12px;' +
    'background:#fffbe6;color:#222;border-bottom:2px solid #b58900;font:12px/1.5 ui-monospace,monospace;' +
    'white-space:pre-wrap;word-break:break-all;';
  stamp.textContent = lines.join('\\n');
  (document.body || document.documentElement).prepend(stamp);  // in the page's flow: it covers nothing
}"""


def show_banner(page: Page, title: str, lines: list[str]) -> None:
    """Draw (or redraw) the banner. A page caught between two documents (a redirect half done, as a login often
    is) has nothing to draw in: wait for the next one to be parsed, then draw there."""
    for attempt in range(_TRIES):
        try:
            page.evaluate(_DRAW_JS, [BANNER_ID, current_language(), title, lines, [_("Hide"), _("Show")]])
            return
        except PlaywrightError:
            if page.is_closed() or attempt == _TRIES - 1:
                raise
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_load_state("domcontentloaded", timeout=_LOADED_MS)


_TRIES = 3
_LOADED_MS = 10_000


def point_at(control: Locator) -> None:
    """Outline the control the person must click (Submit, a switch), bring it into view, and place the banner
    clear of it and of the form around it."""
    with contextlib.suppress(PlaywrightError):
        control.evaluate(_POINT_AT_JS)


def clear_marks(page: Page) -> None:
    """Take away the banner and the outlines: the page as the platform drew it."""
    page.evaluate(_CLEAR_JS, BANNER_ID)


def stamp(page: Page, taken: datetime | None = None) -> None:
    """Write into the page when (local time with its zone, and UTC) and where (the address) the picture is taken."""
    moment = (taken or datetime.now()).astimezone()
    local = moment.strftime("%Y-%m-%d %H:%M:%S %Z (UTC%z)")
    utc = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = [
        _("optout-bot — picture taken {local} · {utc}").format(local=local, utc=utc),
        _("Address: {address}").format(address=without_query(page.url)),
    ]
    page.evaluate(_STAMP_JS, [STAMP_ID, lines])


def unstamp(page: Page) -> None:
    with contextlib.suppress(PlaywrightError):
        page.evaluate("(id) => document.getElementById(id)?.remove()", STAMP_ID)


@dataclass(frozen=True)
class FieldFacts:
    """What the banner says of a field: where it stands on the page, whether it holds a value, and its label."""

    field: Locator
    place: int  # its rank in the page's order: the person reads the fields in that order
    empty: bool
    label: str  # as the page shows it (its label, else its aria-label): for the person to find it


# All a field's facts in one question to the page, and its outline drawn in the same go — solid where the tool
# filled it, dashed where it is left empty: each question is a round trip, and the banner asks of every field
# (Playwright's input_value, evaluate and inner_text are one each).
_FACTS_JS = (
    """el => {
  const facts = {
    place: [...document.querySelectorAll('*')].indexOf(el),
    empty: !String(('value' in el ? el.value : '') ?? '').trim(),
    label: (el.labels && el.labels[0] ? el.labels[0].innerText : el.getAttribute('aria-label') || '')
  };
  ("""
    + _MARK_JS
    + """)(el, facts.empty ? 'to-fill' : 'filled');
  return facts;
}"""
)


def outline_and_read_fields(fields: list[Locator]) -> list[FieldFacts]:
    """Outline the fields in blue (solid: filled, dashed: left empty) and say their facts, in the order the person
    reads them on the page; a field gone meanwhile is left out."""
    found = []
    for field in fields:
        try:
            facts = field.evaluate(_FACTS_JS)
        except PlaywrightError:
            continue
        label = " ".join(str(facts["label"]).split())
        found.append(FieldFacts(field, int(facts["place"]), bool(facts["empty"]), label))
    return sorted(found, key=lambda facts: facts.place)
