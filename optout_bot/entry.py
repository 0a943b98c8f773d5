"""The `optout-bot` program: choose the person's language first, then hand over to the commands.

The commands' `--help` texts are translated when click builds them, so the language must be set before
optout_bot.cli.app is imported. `--lang` may be given anywhere on the line; it is taken out here.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

from optout_bot import progress
from optout_bot.errors import ExitStatus
from optout_bot.i18n import choose_language, unknown_language, use_language
from optout_bot.paths import config_path


def main(argv: list[str] | None = None) -> None:
    signal.signal(signal.SIGINT, _on_ctrl_c)
    arguments = list(sys.argv[1:] if argv is None else argv)
    use_language(choose_language(arguments, os.environ, config_path()))
    # Checked here, as click never sees --lang: a usage error, one line.
    problem = unknown_language(arguments)
    if problem is not None:
        print(f"optout-bot: {problem}", file=sys.stderr)
        sys.exit(ExitStatus.USAGE)
    from optout_bot.cli.app import main as commands

    commands(_without_lang(arguments))


def _on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    """Python's own reaction (KeyboardInterrupt), remembered: the command line says "stopped (Ctrl-C)" and exits
    130 even when what failed first was a call to Playwright's driver, which the terminal's Ctrl-C stopped too."""
    progress.interrupt()
    raise KeyboardInterrupt


def _without_lang(arguments: list[str]) -> list[str]:
    kept: list[str] = []
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument == "--lang":
            skip = True
        elif not argument.startswith("--lang="):
            kept.append(argument)
    return kept
