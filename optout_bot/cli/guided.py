"""`optout-bot` alone, at a terminal: a guided start for people who do not read `--help`.

It asks what the person wants to do (object on a platform, switch off an AI-training setting, see what is done,
make the proof report, try the demo), one numbered question at a time, Enter taking the default; then runs the
command that does it, in this process, exactly as if it had been typed, and prints that command line first so
the person learns it. With no settings yet, `init` is offered first, and chosen for them before an objection:
init's own questions and checks (cli/questions.py) are the ones asked, nothing here repeats them.

Without a terminal (a script, a pipe), `optout-bot` alone prints the help on stderr and exits 2, as it always did.
"""

from __future__ import annotations

import functools
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from optout_bot.i18n import LANGUAGES, N_, _, asked_language
from optout_bot.invocation import command_name
from optout_bot.paths import config_path
from optout_bot.platforms import PLATFORMS, platform_name
from optout_bot.ui import PROMPT_SUFFIX

if TYPE_CHECKING:
    from optout_bot.flows import Flow

WHAT_TO_DO = N_("What do you want to do?")
YOUR_CHOICE = N_("Your choice")
BAD_NUMBER = N_("Type a number from 1 to {last}, or press Enter for {default}.")
INIT_FIRST = N_("Answer a few questions first: your email, country and accounts (init)")
INIT_AGAIN = N_("Change your settings or add an account (init)")
OBJECT_ON = N_("Object to {platform} using your data to train AI")
SWITCH_OFF = N_("Switch off {platform}'s AI training")
STATUS = N_("See what is done (status)")
REPORT = N_("Make the proof report, to attach to a complaint (report)")
DEMO = N_("Try it first on an imitation of the sites: no account, no internet (demo)")
WHICH_FORM = N_("Which one?")
WHICH_ACCOUNT = N_("Which account?")
WHICH_SITE = N_("Which site should the demo imitate?")
NO_SETTINGS = N_("You have no settings yet: a few questions first.")
NOT_SAVED = N_("Without settings, nothing more to do for now.")
RUNNING = N_("Running: {command}")
NEXT_TIME = N_("(next time you can type it yourself)")


@dataclass(frozen=True)
class Choice:
    """One line of a numbered question: what the person reads, and what choosing it does."""

    label: str  # already in the person's language
    then: Callable[[click.Context], Sequence[str]]  # the command line to run, as typed after `optout-bot`


def start(ctx: click.Context, debug: bool) -> None:
    """The guided start, or the help as before when nobody is at a terminal to answer."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.exceptions.NoArgsIsHelpError(ctx)  # the help on stderr, exit 2: what it always did
    has_settings = config_path().exists()
    choices = _first_choices(has_settings)
    arguments = choices[ask_number(_(WHAT_TO_DO), [choice.label for choice in choices], default=1)].then(ctx)
    if arguments:
        run_as_typed(ctx, ["--debug", *arguments] if debug else list(arguments))


def ask_number(question: str, labels: Sequence[str], default: int) -> int:
    """A numbered question; the index of the chosen label. Enter takes `default` (a number from 1)."""
    click.echo(question)
    for number, label in enumerate(labels, start=1):
        click.echo(f"  {number}. {label}")
    answer: int = click.prompt(
        _(YOUR_CHOICE), default=str(default), prompt_suffix=_(PROMPT_SUFFIX), value_proc=_number(len(labels), default)
    )
    return answer - 1


def _number(last: int, default: int) -> Callable[[str], int]:
    def convert(answer: str) -> int:
        text = answer.strip().rstrip(".")
        if text.isdigit() and 1 <= int(text) <= last:
            return int(text)
        raise click.UsageError(_(BAD_NUMBER).format(last=last, default=default))  # click says it, asks again

    return convert


def _language_asked() -> list[str]:
    """`--lang X` when the person asked for the language on the command line (optout_bot.entry takes it out before
    click): the command shown to type next time must speak it too."""
    asked = asked_language(sys.argv[1:])
    return ["--lang", asked] if asked in LANGUAGES else []


def run_as_typed(ctx: click.Context, arguments: list[str]) -> None:
    """Run `optout-bot ARGUMENTS` in this process, through the same command group (its exit code, its errors)."""
    line = " ".join([command_name(), *_language_asked(), shlex.join(arguments)])
    click.echo()
    click.secho(_(RUNNING).format(command=line), bold=True)
    click.echo(_(NEXT_TIME))
    click.echo()
    ctx.command.main(args=arguments, prog_name=command_name(), standalone_mode=False)


def _first_choices(has_settings: bool) -> list[Choice]:
    """Settings first when there are none (they are what every walk needs), else the opt-outs first."""
    init = Choice(_(INIT_AGAIN if has_settings else INIT_FIRST), lambda _ctx: ["init"])
    platforms = [Choice(_platform_label(platform), _then_walk(platform)) for platform in PLATFORMS]
    others = [
        Choice(_(STATUS), lambda _ctx: ["status"]),
        Choice(_(REPORT), lambda _ctx: ["report"]),
        Choice(_(DEMO), _demo),
    ]
    return [*platforms, *others, init] if has_settings else [init, *platforms, *others]


def _platform_label(platform: str) -> str:
    from optout_bot.flows.model import SettingFlow

    label = SWITCH_OFF if isinstance(_flow(platform, "own"), SettingFlow) else OBJECT_ON
    return _(label).format(platform=platform_name(platform))


def _then_walk(platform: str) -> Callable[[click.Context], Sequence[str]]:
    def walk(ctx: click.Context) -> Sequence[str]:
        if not config_path().exists():
            click.echo(_(NO_SETTINGS))
            run_as_typed(ctx, ["init"])
            if not config_path().exists():  # the person said no to saving
                click.echo(_(NOT_SAVED))
                return []
            click.echo()
        return ["run", *_which_account(platform), *_which_flow(platform)]

    return walk


def _which_flow(platform: str) -> list[str]:
    """`--flow NAME` when the platform has several opt-outs and the person chose another than its own."""
    from optout_bot.flows.loader import bundled_flows

    names = bundled_flows(platform)
    if len(names) < 2:
        return []
    chosen = names[ask_number(_(WHICH_FORM), [_(_flow(platform, name).title) for name in names], default=1)]
    return [] if chosen == "own" else ["--flow", chosen]


def _which_account(platform: str) -> list[str]:
    """The saved account on that platform (asked when there are several), else the platform alone."""
    from optout_bot.settings.config import load_config

    accounts = [account.name for account in load_config().accounts if account.platform == platform]
    if not accounts:
        return ["--platform", platform]
    if len(accounts) == 1:
        return ["--account", accounts[0]]
    return ["--account", accounts[ask_number(_(WHICH_ACCOUNT), accounts, default=1)]]


def _demo(_ctx: click.Context) -> Sequence[str]:
    platform = PLATFORMS[ask_number(_(WHICH_SITE), [platform_name(p) for p in PLATFORMS], default=1)]
    return ["demo", "--platform", platform]


@functools.cache
def _flow(platform: str, name: str) -> Flow:
    from optout_bot.flows import load_flow  # loaded when asked: `optout-bot --help` stays fast

    return load_flow(platform, flow=name)
