"""Serve the mock Meta site by hand, to look at its pages in a browser:

    python -m optout_bot.mock_site [--lang fr] [--require-login] [--set cookie_wall=decline ...]

`--set FIELD=VALUE` takes any `Scenario` field (scenario.py lists them), e.g. `--set latency_ms=150` for a slow
network, `--set scramble=all --set seed=3` for the scrambled site, `--set scramble=rename,move_topic` for some of
its transformations. It prints the port and the Chromium flags that send Meta's host names to it, and serves
until Ctrl-C.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import threading
from typing import Any, Literal, get_args, get_origin, get_type_hints

from optout_bot.mock_site.scenario import SCRAMBLES, Scenario
from optout_bot.mock_site.server import MockMeta, languages


def _parse(argv: list[str] | None) -> Scenario:
    parser = argparse.ArgumentParser(prog="python -m optout_bot.mock_site", description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=languages(), help="language of every page (default: en)")
    parser.add_argument(
        "--require-login", action="store_true", help="send the browser to the login page until it has logged in"
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", help="any Scenario field, e.g. layout=changed"
    )
    args = parser.parse_args(argv)
    try:
        settings = dict(_setting(item) for item in args.set)
        return Scenario(**{"lang": args.lang, "require_login": args.require_login, **settings})
    except (TypeError, ValueError) as error:
        parser.error(str(error))


def _setting(item: str) -> tuple[str, Any]:
    """One --set: `two_factor=true` -> ("two_factor", True); booleans by their default's type, "none" for None."""
    name, equals, text = item.partition("=")
    defaults = {field.name: field.default for field in dataclasses.fields(Scenario)}
    if not equals or name not in defaults:
        raise ValueError(f"--set {item!r}: expected FIELD=VALUE with one of {', '.join(defaults)}")
    if name == "scramble":  # a comma-separated list of SCRAMBLES, "all" or "none"
        names = {"all": ",".join(SCRAMBLES), "none": ""}.get(text, text)
        return name, frozenset(part.strip() for part in names.split(",") if part.strip())
    if isinstance(defaults[name], bool):
        if text.lower() not in ("true", "false"):
            raise ValueError(f"--set {item!r}: expected true or false")
        return name, text.lower() == "true"
    if isinstance(defaults[name], int):
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"--set {item!r}: expected a whole number, 0 or more")
        return name, int(text)
    annotation = get_type_hints(Scenario)[name]
    allowed = get_args(annotation) if get_origin(annotation) is Literal else ()
    if allowed and text not in allowed:
        raise ValueError(f"--set {item!r}: expected one of {', '.join(allowed)}")
    return name, None if text.lower() == "none" else text


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
