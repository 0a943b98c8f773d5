"""`optout-bot verify`: the command. cli.py registers it; optout_bot.walk.verify does the work.

The settings and the ledger are read first, without a browser: with nothing to verify the command says so
and exits 0 without starting Playwright. Otherwise Playwright's driver starts while the code of the walk is
loaded (optout_bot.walk.driver), and each account's setting is looked at in turn.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from optout_bot.cli.shared import (
    GroupFlags,
    browser_choice,
    browser_options,
    exit_code_epilog,
    find_flows_first,
    pass_group_flags,
    timeout_options,
)
from optout_bot.i18n import _


@click.command(
    epilog=exit_code_epilog(),
    help=_(
        "Check that your AI-training settings are still off.\n\n"
        "For every account whose setting (LinkedIn, X) optout-bot has seen, opens that account's own browser "
        "profile, reads the setting and records what it saw in the ledger. It never switches anything: a setting "
        "found on is for you to switch off, with the command it prints. Exit code 8 when a setting is on."
    ),
)
@click.option("--account", help=_("Only this account (default: every account with a setting in the ledger)."))
@click.option("--headless", is_flag=True, help=_("No visible window (if the site asks you to log in, it stops)."))
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON for scripts (schema 1, see optout_bot/walk/verify.py).")
)
@timeout_options(person=False)
@browser_choice
@pass_group_flags
def verify(flags: GroupFlags, /, **params: Any) -> None:  # fmt: skip
    """`optout-bot verify` (its help is in the decorator, to be translated)."""
    from optout_bot.settings.config import load_config
    from optout_bot.ui import Ui
    from optout_bot.walk.verify import nothing_to_verify, planned

    config = load_config()
    from optout_bot.promises.scrub import remember_settings

    remember_settings(config)  # hidden from the log and any diagnostic of the walk to each setting (scrub.py)
    find_flows_first()
    visits = planned(config, params["account"])
    if not visits:
        click.echo(nothing_to_verify(params["account"]), err=params["as_json"])
        if params["as_json"]:
            from optout_bot.walk.verify import render_json

            click.echo(render_json([]), nl=False)
        return
    options = browser_options(params, flags)
    from optout_bot.walk.driver import driver_while

    with driver_while(_load_the_walk) as (pw, _loaded):
        from optout_bot.records.logfile import configure_logging
        from optout_bot.walk.verify import exit_status, look_at_settings, render_json, say_summary

        configure_logging(flags.debug)
        # With --json, standard output is the document alone: what the walk says goes to standard error.
        ui = Ui(out=sys.stderr, debug=flags.debug) if params["as_json"] else Ui(debug=flags.debug)
        results = look_at_settings(pw, visits, options, ui)
        say_summary(results, ui)
        ui.close()
    if params["as_json"]:
        click.echo(render_json(results), nl=False)
    sys.exit(int(exit_status(results)))


def _load_the_walk() -> None:
    """The code the walk needs, loaded while Playwright's driver starts (see optout_bot.walk.driver)."""
    import importlib

    for module in ("optout_bot.records.logfile", "optout_bot.walk.door", "optout_bot.walk.places.setting"):
        importlib.import_module(module)
