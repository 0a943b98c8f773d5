"""Serve the mock Meta site by hand, to look at its pages in a browser:

    python -m optout_bot.mock_meta [--lang fr] [--require-login]

It prints the port and the Chromium flags that send Meta's host names to it, and serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import shlex
import threading

from optout_bot.mock_meta.scenario import Scenario
from optout_bot.mock_meta.server import MockMeta, languages


def _parse(argv: list[str] | None) -> Scenario:
    parser = argparse.ArgumentParser(prog="python -m optout_bot.mock_meta", description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=languages(), help="language of every page (default: en)")
    parser.add_argument(
        "--require-login", action="store_true", help="send the browser to the login page until it has logged in"
    )
    args = parser.parse_args(argv)
    return Scenario(lang=args.lang, require_login=args.require_login)


def main(argv: list[str] | None = None) -> int:
    scenario = _parse(argv)
    with MockMeta(scenario) as site:
        flags = " ".join(shlex.quote(arg) for arg in site.chromium_args())
        print(f"Mock Meta site ({scenario.lang}) on https://127.0.0.1:{site.port}")
        print(f"Chromium flags: {flags}")
        print(f'Try: chromium --user-data-dir="$(mktemp -d)" {flags} https://www.instagram.com/')
        print("Serving until Ctrl-C.", flush=True)
        try:
            threading.Event().wait()  # the server runs in its own thread; this one only waits for Ctrl-C
        except KeyboardInterrupt:
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
