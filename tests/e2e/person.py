"""Playing the person: a second Playwright client attached to the same browser as the tool.

It waits for the tool's tab and banner, looks at the form, logs in or clicks Submit — exactly what a
person does with the mouse — so the tests exercise the real command end to end.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext, Page

BANNER = "#optout-bot-banner"
# The banner's title once the form is ready, whatever Meta's Submit button is called on the page.
READY = "your objection form is ready"


@dataclass
class Person:
    browser: Browser

    @property
    def context(self) -> BrowserContext:
        return self.browser.contexts[0]

    def own_tab(self) -> Page:
        """The tab the person had open before the tool started (the browser's first tab)."""
        return self.context.pages[0]

    def tool_tab(self, tool: subprocess.Popen[str], banner_text: str = "", timeout: float = 60) -> Page:
        """The tab the tool opened, once its banner (containing `banner_text`) is shown."""
        deadline = time.monotonic() + timeout
        waiter = self.own_tab()
        while time.monotonic() < deadline:
            for page in self.context.pages:
                banner = page.locator(BANNER)
                if banner.count() and banner_text.lower() in banner.inner_text().lower():
                    return page
            if tool.poll() is not None:
                out, err = tool.communicate()
                raise AssertionError(f"optout-bot exited ({tool.returncode}) before its banner:\n{out}\n{err}")
            waiter.wait_for_timeout(100)  # lets Playwright process events, unlike time.sleep
        tool.kill()
        out, err = tool.communicate()
        raise AssertionError(f"no banner {banner_text!r} within {timeout} s:\n{out}\n{err}")
