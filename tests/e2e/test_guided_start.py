"""`optout-bot` alone: at a terminal, the guided start (played here through a pseudo-terminal, in English and in
French); without one, the help on stderr and exit 2, as before."""

from __future__ import annotations

import os
import select
import subprocess
import time
from types import TracebackType

import pytest

from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import Home, command, run_cli

ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_GB.UTF-8"}
FRENCH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}
CTRL_D = b"\x04"  # the end of input, typed at the start of a line


class Terminal:
    """The real command on a pseudo-terminal: its stdin, stdout and stderr are a tty, as in a person's window."""

    def __init__(self, home: Home, *args: str, **env: str) -> None:
        self._master, slave = os.openpty()
        self.process = subprocess.Popen(
            command(*args), env=home.env(**env), stdin=slave, stdout=slave, stderr=slave, start_new_session=True
        )
        os.close(slave)
        self.screen = ""  # everything shown so far, with the terminal's \r\n as \n
        self._read_up_to = 0

    def expect(self, text: str, timeout: float = 30) -> str:
        """Wait until `text` is shown after what the last expect found; what was shown up to it."""
        deadline = time.monotonic() + timeout
        while (found := self.screen.find(text, self._read_up_to)) < 0:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{text!r} never shown; the screen:\n{self.screen}")
        shown = self.screen[self._read_up_to : found + len(text)]
        self._read_up_to = found + len(text)
        return shown

    def type(self, line: str) -> None:
        os.write(self._master, line.encode() + b"\n")

    def end_input(self) -> None:
        os.write(self._master, CTRL_D)

    def finish(self, timeout: float = 60) -> int:
        """Read what is left until the command exits; its exit code."""
        deadline = time.monotonic() + timeout
        while self._read(deadline - time.monotonic()):
            pass
        return self.process.wait(timeout=max(deadline - time.monotonic(), 1))

    def _read(self, timeout: float) -> bool:
        if timeout <= 0 or not select.select([self._master], [], [], timeout)[0]:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # EIO: the command exited and closed the terminal
            return False
        self.screen += chunk.decode(errors="replace").replace("\r\n", "\n")
        return bool(chunk)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self._master)


def numbered(menu: str, words: str) -> str:
    """The number of the menu line that has `words`."""
    lines = [line.strip() for line in menu.splitlines() if words in line]
    assert len(lines) == 1, f"{words!r} should be on one line of the menu:\n{menu}"
    return lines[0].split(".", 1)[0]


def settings_file(home: Home) -> str:
    return str(home.root / "config" / "optout-bot" / "config.toml")


def test_without_a_terminal_it_prints_the_help_as_before(home: Home) -> None:
    result = run_cli(home)  # stdin from /dev/null, stdout a pipe

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: optout-bot [OPTIONS] [COMMAND] [ARGS]...")
    assert "Commands:" in result.stderr and "  init " in result.stderr


def test_what_is_done_with_no_settings_runs_status_and_shows_its_command(home: Home) -> None:
    typed = run_cli(home, "status", **ENGLISH)
    assert typed.returncode == 0

    with Terminal(home, **ENGLISH) as terminal:
        menu = terminal.expect("Your choice [1]: ")
        # With no settings, the questions of init come first, and are the default.
        assert menu.splitlines()[1].strip().startswith("1. Answer a few questions first")
        terminal.type(numbered(menu, "See what is done"))
        terminal.expect("Running: optout-bot status")
        code = terminal.finish()

    assert code == 0
    assert terminal.screen.endswith(typed.stdout.replace("\r\n", "\n"))  # what typing `optout-bot status` prints


def test_a_language_asked_with_lang_is_in_the_command_it_shows(home: Home) -> None:
    """`optout-bot --lang fr` on an English system: the command to type next time keeps `--lang fr`, or it would
    speak English then."""
    with Terminal(home, "--lang", "fr", **ENGLISH) as terminal:
        menu = terminal.expect("Votre choix [1] : ")
        terminal.type(numbered(menu, "Voir ce qui est fait"))
        terminal.expect("Commande lancée : optout-bot --lang fr status")
        code = terminal.finish()

    assert code == 0


def test_objecting_on_instagram_asks_inits_questions_first_in_french(home: Home) -> None:
    with Terminal(home, **FRENCH) as terminal:
        menu = terminal.expect("Votre choix [1] : ")
        assert "Que voulez-vous faire ?" in menu
        terminal.type(numbered(menu, "Instagram"))
        terminal.expect("Vous n’avez pas encore de réglages")
        terminal.expect("Commande lancée : optout-bot init")
        terminal.expect("Ajouter un compte ? [O/n] : ")
        terminal.type("")  # Enter: yes
        terminal.expect("Sur quelle plateforme est ce compte ?")
        terminal.type("instagram")
        terminal.expect("Un nom court")
        terminal.end_input()
        code = terminal.finish()

    assert code == 4
    assert "arrêté : rien n’a été enregistré" in terminal.screen
    assert not os.path.exists(settings_file(home))


def test_with_settings_it_asks_which_form_and_which_account_in_french(home: Home) -> None:
    accounts = (Account(name="perso", platform="facebook"), Account(name="pro", platform="facebook"))
    write_config(Config(email="jeanne@example.com", country="FR", language="fr", accounts=accounts), home_config(home))

    with Terminal(home, **ENGLISH) as terminal:  # the settings' language wins over the locale
        menu = terminal.expect("Votre choix [1] : ")
        assert menu.splitlines()[1].strip().startswith("1. Vous opposer à l’utilisation de vos données par Instagram")
        terminal.type(numbered(menu, "Facebook"))
        accounts_menu = terminal.expect("Votre choix [1] : ")
        assert "Quel compte ?" in accounts_menu and "2. pro" in accounts_menu
        terminal.type("3")  # no such account
        terminal.expect("Tapez un nombre de 1 à 2, ou appuyez sur Entrée pour 1.")
        terminal.expect("Votre choix [1] : ")  # asked again
        terminal.type("2")
        forms = terminal.expect("Votre choix [1] : ")
        assert "Lequel ?" in forms
        assert "2. Vous opposer à l’utilisation des informations vous concernant provenant de tiers" in forms
        terminal.end_input()  # nothing is run
        code = terminal.finish()

    assert code == 4
    assert "Commande lancée" not in terminal.screen


def home_config(home: Home) -> os.PathLike[str]:
    from pathlib import Path

    path = Path(settings_file(home))
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.slow
def test_the_demo_runs_in_this_process_as_if_typed(home: Home) -> None:
    with Terminal(home, **ENGLISH) as terminal:
        menu = terminal.expect("Your choice [1]: ")
        terminal.type(numbered(menu, "Try it first"))
        sites = terminal.expect("Your choice [1]: ")
        terminal.type(numbered(sites, "WhatsApp"))
        terminal.expect("Running: optout-bot demo --platform whatsapp")
        code = terminal.finish(timeout=90)

    assert code == 0, terminal.screen
    # Without a screen the demo walks headless and stops at the ready form (README): the demo's own words.
    assert "--headless --dry-run" in terminal.screen
