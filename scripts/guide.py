"""docs/guide.html, the page for people who opt out by hand, from the flow files (see scripts/guide).

The text comes from optout_bot.flows.guide, the same every time. The pictures of each confirmation (or setting
switched off), in English and French, are made here from the bundled mock site in headless Chromium, only with
--pictures: rendering is not byte-for-byte the same on every machine, so the page keeps its pictures otherwise.
To picture a form's confirmation, this script sends the mock site's form itself (a picture-maker, like
scripts/proof_pictures.py; optout-bot never submits).
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project itself, and tests/support's browser starter

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from optout_bot.flows.guide import GUIDE_LANGUAGES, OptOut, opt_outs, picture_key, pictures_in, render_guide  # noqa: E402
from optout_bot.flows.loader import load_vocabulary  # noqa: E402
from optout_bot.flows.model import FormFlow, GotoStep  # noqa: E402
from optout_bot.flows.vocabulary import Vocabulary  # noqa: E402
from optout_bot.mock_site import MockMeta, Scenario  # noqa: E402
from tests.support.chromium import QUIET_ARGS, system_chromium  # noqa: E402

GUIDE = ROOT / "docs" / "guide.html"
PAGE_PICTURE = ROOT / "docs" / "images" / "guide.png"
VIEWPORT = {"width": 820, "height": 520}  # a confirmation's picture: the top of the page, where it speaks
EMAIL = "jane.doe@example.com"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pictures", action="store_true", help="make the pictures again (headless Chromium)")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/guide.html is not current")
    args = parser.parse_args()
    current = GUIDE.read_text(encoding="utf-8") if GUIDE.exists() else ""
    pictures = make_pictures() if args.pictures else pictures_in(current)
    page = render_guide(pictures)
    if args.check:
        sys.exit(0 if page == current else "docs/guide.html is not current: run scripts/guide")
    GUIDE.write_text(page, encoding="utf-8")
    print(f"{GUIDE.relative_to(ROOT)} ({len(page.encode()) // 1024} KiB)")
    if args.pictures:
        picture_of_the_page()
        print(PAGE_PICTURE.relative_to(ROOT))


def make_pictures() -> dict[str, str]:
    vocabulary = load_vocabulary()
    pictures = {}
    with sync_playwright() as playwright, MockMeta() as site:
        browser = playwright.chromium.launch(
            executable_path=system_chromium(), args=[*QUIET_ARGS, *site.chromium_args()]
        )
        for opt_out in opt_outs(vocabulary):
            for lang in GUIDE_LANGUAGES:
                site.reset(Scenario(lang=lang))
                shot = picture(browser, site, opt_out, lang, vocabulary)
                pictures[picture_key(opt_out.key, lang)] = "data:image/png;base64," + base64.b64encode(shot).decode()
                print(f"  {opt_out.key} ({lang}): {len(shot) // 1024} KiB")
        browser.close()
    return pictures


def picture(browser: Browser, site: MockMeta, opt_out: OptOut, lang: str, vocabulary: Vocabulary) -> bytes:
    """The place after the person's last click: the form's confirmation, or the setting switched off."""
    flow = opt_out.flow
    address = next(step.goto for route in flow.routes for step in route.steps if isinstance(step, GotoStep)
                   and len(route.steps) == 1)  # fmt: skip
    context = browser.new_context(ignore_https_errors=True, viewport=VIEWPORT, locale=lang, device_scale_factor=1)
    page = context.new_page()
    if isinstance(flow, FormFlow):
        page.goto(address)
        if flow.form.choice is not None and flow.form.choice.name is not None:  # the option that shows the fields
            page.get_by_role("radio", name=vocabulary.pattern(flow.form.choice.name)).check()
        _send(page)
        expected = vocabulary.pattern_any(flow.confirmation)
    else:
        site.set_setting(opt_out.key, False)  # the mock's settings are keyed by their flow file's name
        page.goto(address)
        expected = vocabulary.pattern_any(flow.setting.headings)
    text = page.locator("body").inner_text()
    if not expected.search(text):
        raise SystemExit(f"{opt_out.key} ({lang}): the page does not say what the flow expects:\n{text[:500]}")
    shot = page.screenshot(
        type="png", clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": _content_bottom(page)}
    )
    context.close()
    return shot


def _content_bottom(page: Page) -> int:
    """Where the page's last words or controls end: the picture stops a little below, not at an empty bottom."""
    bottom: float = page.evaluate(
        """() => Math.max(0, ...[...document.querySelectorAll('h1, h2, h3, p, label, input, textarea, button, a')]
                   .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0).map(r => r.bottom))"""
    )
    return min(VIEWPORT["height"], max(200, round(bottom) + 24))


def _send(page: Page) -> None:
    for field in page.locator("form input[type=email]").filter(visible=True).all():
        if not field.input_value():
            field.fill(EMAIL)
    page.locator("form button[type=submit]").filter(visible=True).first.click()
    page.wait_for_load_state("load")


def picture_of_the_page() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=system_chromium(), args=list(QUIET_ARGS))
        page = browser.new_page(viewport={"width": 1000, "height": 1300}, device_scale_factor=1)
        page.goto(GUIDE.as_uri())
        page.screenshot(path=str(PAGE_PICTURE))
        browser.close()


if __name__ == "__main__":
    main()
