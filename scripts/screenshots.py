"""Screenshots of optout-bot's banner on the bundled mock of Meta's site, for the READMEs.

    .venv/bin/python scripts/screenshots.py [--out docs/images] [--lang en --lang fr]

For each language it runs the real `optout-bot run --cdp` against a headless Chromium whose Meta host names
point at the mock site, waits for the banner on the ready form (docked beside it, the filled fields outlined in
blue, Submit in orange), and saves what the person sees as banner-<lang>.png. Then it closes the tab: nothing is
ever submitted (the mock records no form POST).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project itself, and tests/support's browser starter

from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

from optout_bot.mock_site import MockMeta, Scenario  # noqa: E402
from tests.support.chromium import launch_cdp_chromium  # noqa: E402

BANNER = "#optout-bot-banner"
VIEWPORT = {"width": 1280, "height": 800}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--lang", action="append", choices=["en", "fr"], help="default: en and fr")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in args.lang or ["en", "fr"]:
        path = args.out / f"banner-{lang}.png"
        shoot(lang, path)
        print(f"{path}")


def shoot(lang: str, path: Path) -> None:
    with (
        MockMeta(Scenario(lang=lang)) as site,
        tempfile.TemporaryDirectory(prefix="optout-bot-shots-") as tmp,
        launch_cdp_chromium(Path(tmp) / "browser", site.chromium_args()) as browser,
        sync_playwright() as pw,
    ):
        home = Path(tmp) / "home"
        env = {"XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
               "XDG_STATE_HOME": str(home / "state"), "PATH": "/usr/bin:/bin", "HOME": str(home)}  # fmt: skip
        tool = subprocess.Popen(
            [sys.executable, "-m", "optout_bot", "--lang", lang, "run", "--platform", "facebook", "--cdp", browser.url,
             "--country", "FR" if lang == "fr" else "IE", "--step-timeout", "10", "--user-timeout", "60"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            person = pw.chromium.connect_over_cdp(browser.url)
            tab = _tool_tab(person.contexts[0], tool)
            tab.set_viewport_size(VIEWPORT)  # the banner places itself again for the new size
            tab.locator(BANNER).wait_for(state="visible")
            tab.locator("[data-optout-bot-mark=click]").wait_for(state="visible")  # Submit outlined: all drawn
            tab.evaluate("document.activeElement && document.activeElement.blur()")
            tab.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            tab.screenshot(path=str(path))
            if site.posts():
                raise SystemExit("a form was posted: this must never happen")
            tab.close()
        finally:
            tool.kill()
            tool.wait()


def _tool_tab(context: BrowserContext, tool: subprocess.Popen[str], timeout: float = 60) -> Page:
    """The tab the tool opened, once its banner is on the ready form."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pages = context.pages
        for page in pages:
            banner = page.locator(BANNER)
            if banner.count() and page.locator("input[type=email]").count():
                return page
        if tool.poll() is not None:
            raise SystemExit(f"optout-bot exited ({tool.returncode}): {tool.stderr.read() if tool.stderr else ''}")
        if pages:
            pages[0].wait_for_timeout(100)  # lets Playwright deliver events, unlike time.sleep
    raise SystemExit("no banner within the time allowed")


if __name__ == "__main__":
    main()
