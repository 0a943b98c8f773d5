#!/usr/bin/env python3
"""The yardstick for scripts/bench.py: the walk `optout-bot run --dry-run --headless` makes, hand-written.

Plain Playwright, no engine: the same browser with the same flags and a fresh persistent profile, the same
first page, the same clicks by ARIA role and English name, the same fills, one full-page screenshot, exit.
Nothing is checked beyond what Playwright's own auto-waiting does: this is the fastest honest script a
person could write for the bundled mock site (English pages, no cookie wall, no login), and so the time the
browser itself needs for the walk.

    python scripts/bare_walk.py instagram --executable /usr/bin/chromium --profile DIR --screenshot PNG \
        --email jane.doe@example.com --country FR --browser-arg=--host-resolver-rules=... ...
"""

from __future__ import annotations

import argparse

from playwright.sync_api import Page, sync_playwright

# The first route of flows/<platform>.yaml, spelled out: (role, name, exact) after the first page.
FIRST_PAGE = {"instagram": "https://www.instagram.com/", "facebook": "https://www.facebook.com/"}
CLICKS: dict[str, list[tuple[str, str, bool]]] = {
    "instagram": [
        ("button", "More", True),
        ("link", "Settings", True),
        ("link", "Privacy Center", False),
        ("link", "object", True),
    ],
    "facebook": [
        ("button", "Your profile", False),
        ("button", "Settings & privacy", False),
        ("link", "Settings", True),
        ("link", "Privacy Center", False),
        ("link", "object", True),
    ],
}
FORM_HEADING = "Object to your information being used for AI at Meta"
COUNTRY_FIELD = "Country of residence"


def walk(page: Page, platform: str, email: str, country: str, screenshot: str) -> None:
    page.goto(FIRST_PAGE[platform], wait_until="domcontentloaded")
    for role, name, exact in CLICKS[platform]:
        page.get_by_role(role, name=name, exact=exact).click()  # type: ignore[arg-type]
    page.get_by_role("heading", name=FORM_HEADING).wait_for()
    page.locator("input[type=email]").fill(email)
    country_field = page.get_by_role("combobox", name=COUNTRY_FIELD)
    if country_field.count():  # Facebook's form asks for it, Instagram's does not
        country_field.select_option(value=country)
    page.screenshot(path=screenshot, full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("platform", choices=sorted(CLICKS))
    parser.add_argument("--executable", required=True, help="the browser, as optout-bot finds it")
    parser.add_argument("--profile", required=True, help="a fresh folder for the persistent profile")
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--country", required=True)
    parser.add_argument("--browser-arg", action="append", default=[], help="a Chromium flag (repeatable)")
    args = parser.parse_args()
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            args.profile, executable_path=args.executable, headless=True, args=args.browser_arg
        )
        walk(context.pages[0], args.platform, args.email, args.country, args.screenshot)
        context.close()


if __name__ == "__main__":
    main()
