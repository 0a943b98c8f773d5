"""Issue 17.6: the commands the tool suggests are written as the person started it (optout_bot.invocation)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from optout_bot import invocation
from optout_bot.i18n import DOMAIN, LOCALE_DIR, _, ngettext
from optout_bot.invocation import COMMANDS, as_typed, invoked_as

WRAPPER = "scripts/optout-bot"


@pytest.fixture
def typed_as_wrapper(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(invocation.COMMAND_VARIABLE, WRAPPER)
    invocation.command_name.cache_clear()
    yield
    invocation.command_name.cache_clear()


def test_the_wrappers_path_is_the_command() -> None:
    env = {invocation.COMMAND_VARIABLE: WRAPPER}
    assert invoked_as(env, ["/x/.venv/bin/python", "/x/.venv/bin/optout-bot"], ["/x/.venv/bin/optout-bot"]) == WRAPPER


def test_a_path_with_a_space_is_quoted_for_the_shell() -> None:
    assert invoked_as({invocation.COMMAND_VARIABLE: "my tools/optout-bot"}, [], []) == "'my tools/optout-bot'"


def test_python_dash_m_is_said_with_the_python_typed() -> None:
    typed = [".venv/bin/python", "-m", "optout_bot", "status"]
    assert invoked_as({}, typed, ["/x/optout_bot/__main__.py", "status"]) == ".venv/bin/python -m optout_bot"


def test_a_script_found_on_path_is_its_bare_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "optout-bot"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    assert invoked_as({}, ["python", str(script)], [str(script)]) == "optout-bot"


def test_a_script_not_on_path_keeps_the_path_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert invoked_as({}, ["python", ".venv/bin/optout-bot"], [".venv/bin/optout-bot"]) == ".venv/bin/optout-bot"


@pytest.mark.usefixtures("typed_as_wrapper")
@pytest.mark.parametrize(
    ("said", "pasteable"),
    [
        ("see `optout-bot status`.", f"see `{WRAPPER} status`."),
        ("run optout-bot run --all.", f"run {WRAPPER} run --all."),
        ("Run optout-bot again when you are ready.", f"Run {WRAPPER} again when you are ready."),
        ("relancez optout-bot si rien n’arrive.", f"relancez {WRAPPER} si rien n’arrive."),
        ("(or save it with optout-bot init, or give --name)", f"(or save it with {WRAPPER} init, or give --name)"),
    ],
)
def test_a_suggested_command_is_written_as_typed(said: str, pasteable: str) -> None:
    assert as_typed(said) == pasteable


@pytest.mark.usefixtures("typed_as_wrapper")
@pytest.mark.parametrize(
    "prose",
    [
        "optout-bot: your objection form is ready.",
        "optout-bot will not submit for you",
        "a bug in optout-bot (run again with --debug and report it)",
        "Langue des messages d’optout-bot",
        "optout-bot-banner",
        "./scripts/optout-bot status",
    ],
)
def test_the_tools_name_in_a_sentence_stays(prose: str) -> None:
    assert as_typed(prose) == prose


@pytest.mark.usefixtures("typed_as_wrapper")
def test_every_message_goes_out_written_as_typed() -> None:
    assert _("see `optout-bot status`") == f"see `{WRAPPER} status`"
    assert ngettext("optout-bot report", "optout-bot report", 2) == f"{WRAPPER} report"


def test_without_the_wrapper_the_messages_are_unchanged() -> None:
    invocation.command_name.cache_clear()
    try:
        if invocation.command_name() == invocation.PROGRAM:
            assert as_typed("see `optout-bot status`") == "see `optout-bot status`"
    finally:
        invocation.command_name.cache_clear()


def test_the_commands_are_the_command_lines() -> None:
    from optout_bot.cli.app import cli

    assert set(COMMANDS) == set(cli.commands)


@pytest.mark.usefixtures("typed_as_wrapper")
def test_each_translation_suggests_as_many_commands_as_its_english() -> None:
    """A French sentence that says « optout-bot » where the English suggests a command would not be rewritten:
    the translation must keep the command recognisable (`optout-bot <command>`, « relancez optout-bot »)."""
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        catalogue = read_po(po, locale="fr")
    differing = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = as_typed(ids[0]).count(WRAPPER)
        if any(as_typed(text).count(WRAPPER) != wanted for text in strings if text):
            differing.append(ids[0])
    assert not differing, differing


def test_another_program_running_the_code_is_not_the_command() -> None:
    assert invoked_as({}, ["python", ".venv/bin/pytest"], [".venv/bin/pytest"]) == "optout-bot"
