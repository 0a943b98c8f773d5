"""How the person started optout-bot, so that every command the tool suggests works when pasted.

A README follower types `scripts/optout-bot`, someone who installed it types `optout-bot`, a developer may type
`python -m optout_bot`: a hint saying `optout-bot init` to the first would answer "command not found".

The messages keep writing `optout-bot <command>` (so does their French); `as_typed()` rewrites those mentions,
once a message is translated (optout_bot.i18n), into the command as the person typed it. Only a mention that is
a command to type changes: `optout-bot` followed by one of its commands, or after "run" (en) / "relancez" (fr).
The tool's name in a sentence ("optout-bot will not submit for you") stays.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import shlex
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

PROGRAM = "optout-bot"
# Set by scripts/optout-bot to the path it was started by ("$0"): the wrapper runs the installed script.
COMMAND_VARIABLE = "OPTOUT_BOT_COMMAND"
# The commands of the command line (checked against cli.app's in tests/unit/test_invocation.py).
COMMANDS = ("demo", "doctor", "flows", "init", "letter", "login", "probe", "report", "run", "status", "verify")
_RUN_VERBS = ("run", "Run", "relancez", "Relancez", "lancez", "Lancez")

# "optout-bot" as a word (not "./optout-bot" nor "optout-bot-banner"), with what says it is a command to type.
_MENTION = re.compile(
    r"(?P<verb>\b(?:"
    + "|".join(_RUN_VERBS)
    + r") )?"
    + r"(?<![\w./-])"
    + re.escape(PROGRAM)
    + r"(?P<command> (?:"
    + "|".join(COMMANDS)
    + r")\b)?"
)


@functools.cache
def command_name() -> str:
    """The command that starts optout-bot, as the person typed it, ready to paste into their shell."""
    return invoked_as(os.environ, sys.orig_argv, sys.argv)


def invoked_as(environ: Mapping[str, str], orig_argv: Sequence[str], argv: Sequence[str]) -> str:
    """`command_name()` from what the process was given: the wrapper's variable, `-m`, or the script's path."""
    typed = environ.get(COMMAND_VARIABLE)
    pairs = list(itertools.pairwise(orig_argv))
    if not typed and _MODULE in pairs:  # python [-X dev …] -m optout_bot
        return shlex.join(orig_argv[: pairs.index(_MODULE) + 2])
    script = argv[0] if argv else ""
    typed = typed or (script if Path(script).stem == PROGRAM else "")  # not a test runner's, nor an embedder's
    if not typed:
        return PROGRAM
    return _as_on_path(typed) or shlex.quote(typed)


_MODULE = ("-m", "optout_bot")


def _as_on_path(typed: str) -> str | None:
    """The bare name, when the shell finds that very file by it (a command found on PATH has its full path in
    argv[0], though the person typed only its name)."""
    name = Path(typed).name
    found = shutil.which(name)
    try:
        return name if found is not None and Path(found).samefile(typed) else None
    except OSError:
        return None


def as_typed(message: str) -> str:
    """`message` with each `optout-bot <command>` it suggests written as the person started the tool."""
    command = command_name()
    if command == PROGRAM or PROGRAM not in message:
        return message

    def rewritten(mention: re.Match[str]) -> str:
        if mention["verb"] is None and mention["command"] is None:
            return mention[0]  # the tool's name in a sentence
        return f"{mention['verb'] or ''}{command}{mention['command'] or ''}"

    return _MENTION.sub(rewritten, message)
