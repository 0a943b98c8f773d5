"""What several commands' definitions share: the exit-code epilog and the options that choose a browser.

A module of its own so that cli.py and the command modules it registers (cli_records, cli_verify) can all
import it without importing each other. Like the help texts, everything here is translated when a command is
built, after optout_bot.entry chose the language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from optout_bot.errors import exit_code_help
from optout_bot.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


def exit_code_epilog() -> str:
    """The table of exit codes at the end of a `--help` ("\\b" keeps click from re-wrapping it)."""
    return "\b\n" + exit_code_help()


def browser_choice(command: F) -> F:
    """--browser-channel and --executable-path: which browser to start (run, login, verify)."""
    command = click.option("--executable-path", type=click.Path(dir_okay=False), help=_("Path of the browser to use."))(
        command
    )
    return click.option(
        "--browser-channel", type=click.Choice(["chrome", "msedge", "chromium"]), help=_("Which browser.")
    )(command)


def browser_args(command: F) -> F:
    """--browser-arg, repeatable (login, verify; run and demo word it with the walk's options)."""
    return click.option(
        "--browser-arg", "browser_args", multiple=True, metavar="FLAG", help=_("Extra Chromium flag (advanced).")
    )(command)
