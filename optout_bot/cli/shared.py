"""What several commands' definitions share: the exit-code epilog, --debug, and the options of the browser.

A module of its own so that cli.py and the command modules it registers (cli_records, cli_verify) can all
import it without importing each other. Like the help texts, everything here is translated when a command is
built, after optout_bot.entry chose the language.

The commands that open a browser (run, login, verify, demo) take its options from here, and `browser_options`
turns what was typed into the one `BrowserOptions` (options.py) that the door into the browser reads
(optout_bot.walk.door).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from optout_bot.errors import exit_code_help
from optout_bot.i18n import _
from optout_bot.settings.options import MAX_PERSON_SECONDS, MAX_STEP_SECONDS, BrowserOptions, Seconds, Timeouts

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class GroupFlags:
    """What the command group's own options say to every command (click's ctx.obj): --debug."""

    debug: bool = False


# A command decorated with it receives the group's flags as its first argument (a default when the command is
# invoked on its own, as some tests do).
pass_group_flags = click.make_pass_decorator(GroupFlags, ensure=True)


def find_flows_first() -> None:
    """Find the folder of flows in use now (bundled.flows_override): a settings `flows_dir` naming no folder then
    stops a walking command before it records or opens anything, rather than at the walk's first read of a flow."""
    from optout_bot.bundled import flows_override

    flows_override()


def exit_code_epilog() -> str:
    """The table of exit codes at the end of a `--help` ("\\b" keeps click from re-wrapping it)."""
    return "\b\n" + exit_code_help()


def browser_choice(command: F) -> F:
    """--browser-channel, --executable-path and --browser-arg: which browser to start, and how (every command
    that opens one)."""
    options = [
        click.option(
            "--browser-channel", type=click.Choice(["chrome", "msedge", "chromium"]), help=_("Which browser.")
        ),
        click.option("--executable-path", type=click.Path(dir_okay=False), help=_("Path of the browser to use.")),
        click.option(
            "--browser-arg", "browser_args", multiple=True, metavar="FLAG",
            help=_("Extra Chromium command-line flag (repeatable; advanced)."),
        ),
    ]  # fmt: skip
    return _apply(command, options)


def timeout_options(*, person: bool) -> Callable[[F], F]:
    """--step-timeout and --login-timeout, and with `person` --user-timeout (the person reviewing the form).

    Their defaults are Timeouts' own: the one place the waits are declared.
    """
    default = Timeouts()

    def decorate(command: F) -> F:
        options = [
            click.option(
                "--step-timeout", type=Seconds(min=0.5, max=MAX_STEP_SECONDS), default=default.step, show_default=True,
                help=_("Seconds to wait for each page element before trying another route."),
            ),
            click.option(
                "--login-timeout", type=Seconds(min=1, max=MAX_PERSON_SECONDS), default=default.login,
                show_default=True, help=_("Seconds to wait for you to log in when the site asks."),
            ),
        ]  # fmt: skip
        if person:
            options.insert(
                0,
                click.option(
                    "--user-timeout", type=Seconds(min=1, max=MAX_PERSON_SECONDS), default=default.user,
                    show_default=True, help=_("Seconds to wait for you to review and click Submit."),
                ),
            )  # fmt: skip
        return _apply(command, options)

    return decorate


def browser_options(params: dict[str, Any], flags: GroupFlags, **command_own: Any) -> BrowserOptions:
    """The browser options of what was typed (the options above, and --cdp or --headless where a command has
    them); `command_own` sets what a command decides itself (the demo's pages)."""
    timeouts = Timeouts(
        step=params["step_timeout"],
        login=params["login_timeout"],
        user=params.get("user_timeout", Timeouts.user),
    )
    return BrowserOptions(
        cdp_url=params.get("cdp_url"),
        channel=params["browser_channel"],
        executable_path=params["executable_path"],
        headless=params.get("headless", False),
        browser_args=tuple(params["browser_args"]),
        timeouts=timeouts,
        debug=flags.debug,
        **command_own,
    )


def person_value_options(*, init: bool = False) -> Callable[[F], F]:
    """One option per value of the person's (values.PERSON_VALUES): `--email`, `--country`… in the table's
    order, each under its one name (`full_name`), its older spellings still accepted (`--name`)."""
    from optout_bot.settings.values import PERSON_VALUES

    def decorate(command: F) -> F:
        options = [
            click.option(value.option, *value.older_options, value.key, help=_(value.init_help if init else value.help))
            for value in PERSON_VALUES
        ]
        return _apply(command, options)

    return decorate


def _apply(command: F, options: Sequence[Callable[[Any], Any]]) -> F:
    """The options in the order listed, in --help too."""
    for option in reversed(options):
        command = option(command)
    return command
