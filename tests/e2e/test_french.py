"""The commands in French, end to end: help, settings errors, status, report, run's own words and init's questions.

The language comes from `--lang`, then the settings file, then the computer's locale (tests/unit/test_i18n.py checks
the order itself); here each test says how the person chose French, and the words they then read.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from optout_bot.records.ledger import Ledger, Outcome
from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import Home, command, run_cli
from tests.unit.test_status import CONFIRMATION, png, record

FRENCH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}
ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_GB.UTF-8"}


def settings_file(home: Home) -> Path:
    return home.root / "config" / "optout-bot" / "config.toml"


def save_settings(home: Home, language: str = "en") -> None:
    accounts = (Account(name="perso", platform="instagram"), Account(name="travail", platform="facebook"))
    write_config(Config(email="jeanne@example.fr", language=language, accounts=accounts), settings_file(home))


@pytest.fixture
def objected(home: Home) -> Path:
    """perso objected on Instagram (with its receipt); travail was not offered the objection."""
    receipt = home.data / "receipts" / "20261129-101500-perso-instagram-confirmation.png"
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(png(200, 100))
    save_settings(home)
    with Ledger.open(home.data / "ledger.sqlite3") as ledger:
        record(ledger, "perso", "instagram", Outcome.CONFIRMED, receipt, CONFIRMATION)
        record(ledger, "travail", "facebook", Outcome.NOT_OFFERED)
    return receipt


def one_line(text: str) -> str:
    """click wraps help texts to the terminal: compare them as one line of words."""
    return " ".join(text.split())


# --- Help -------------------------------------------------------------------------------------------------------


def test_run_help_is_french_on_a_french_computer(home: Home) -> None:
    result = run_cli(home, "run", "--help", **FRENCH)
    assert result.returncode == 0, result.stderr
    text = one_line(result.stdout)
    assert text.startswith("Utilisation : optout-bot run [OPTIONS]")
    assert "Aller jusqu’au formulaire d’opposition de Meta dans votre navigateur" in text
    assert "Secondes d’attente pendant que vous vérifiez et cliquez sur Envoyer." in text
    assert "Chaque compte enregistré dont l’opposition n’est pas encore confirmée." in text
    # The table of exit codes keeps its layout: one code a line.
    assert "\n  Codes de sortie :\n" in result.stdout
    assert "    7  problème de navigateur : aucun trouvé" in result.stdout


def test_the_command_list_and_init_help_are_french_with_lang_fr(home: Home) -> None:
    result = run_cli(home, "--lang", "fr", "--help", **ENGLISH)
    assert result.returncode == 0, result.stderr
    text = one_line(result.stdout)
    assert "Refusez que Meta (et WhatsApp, LinkedIn, X) utilise vos publications et vos données" in text
    assert "status Afficher, pour chaque compte, le dernier résultat" in text
    init = run_cli(home, "init", "--help", "--lang=fr", **ENGLISH)
    assert "--account NOM:PLATEFORME[:EMAIL]" in init.stdout
    assert "Ne rien demander : garder les valeurs enregistrées" in one_line(init.stdout)


# click's own words (its help's headings and metavars, its usage errors): French, none left in English.
CLICKS_ENGLISH = re.compile(
    r"Usage|Error|Try |Options:|Commands:|Choose from|Missing|Invalid value|No such option|required|"
    r"Show this message|\b(TEXT|PATH|INTEGER|FLOAT|RANGE|NAME|FLOW|FLAG)\b"
)


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--bogus"],  # an unknown option
        ["init", "--help"],
        ["letter", "reminder", "--help"],  # [required], a number range, a path
        ["demo"],  # a missing required option, with the choices
        ["letter", "reminder"],  # a missing required option
        ["run", "--platform", "tiktok"],  # a choice that is not one
        ["status", "extra"],  # an unexpected argument
    ],
    ids=" ".join,
)
def test_clicks_own_words_are_french(home: Home, args: list[str]) -> None:
    result = run_cli(home, "--lang", "fr", *args, **ENGLISH)
    said = result.stdout + result.stderr
    assert said.strip()
    assert not CLICKS_ENGLISH.search(said), said


# --- Errors: one line, in French, with what to do ---------------------------------------------------------------


def test_a_wrong_email_is_said_in_french(home: Home) -> None:
    result = run_cli(home, "--lang", "fr", "run", "--platform", "instagram", "--email", "jane@")
    assert result.returncode == 2
    assert result.stderr == (
        "optout-bot: --email 'jane@' n’est pas une adresse e-mail (attendu : quelque chose comme nom@exemple.com)\n"
    )


def test_headless_without_dry_run_is_refused_in_french(home: Home) -> None:
    result = run_cli(home, "run", "--platform", "instagram", "--headless", **FRENCH)
    assert result.returncode == 2
    assert result.stderr == (
        "optout-bot: --headless ne fonctionne qu’avec --dry-run : vous devez voir le formulaire pour l’envoyer "
        "vous-même\n"
    )


def test_a_settings_mistake_is_french_and_keeps_its_file_and_line(home: Home) -> None:
    path = settings_file(home)
    path.parent.mkdir(parents=True)
    path.write_text('schema_version = 1\ncountry = "XX"\n', encoding="utf-8")
    result = run_cli(home, "status", **FRENCH)
    assert result.returncode == 2
    assert result.stderr == (
        f"optout-bot: réglages invalides : {path}:2: country: 'XX' n’est pas un code de pays à deux lettres "
        "(ISO 3166-1), par exemple FR, DE, BE ou CH\n"
    )


def test_a_toml_mistake_is_french_and_keeps_its_line(home: Home) -> None:
    path = settings_file(home)
    path.parent.mkdir(parents=True)
    path.write_text("schema_version = 1\ncountry = FR\n", encoding="utf-8")
    result = run_cli(home, "--lang", "fr", "status")
    assert result.returncode == 2
    assert result.stderr == (
        f"optout-bot: réglages invalides : {path}:2: TOML non valide : Invalid value (colonne 11) : "
        'le texte doit être entre guillemets droits, comme country = "FR"\n'
    )


def test_a_report_with_nothing_to_prove_says_so_in_french(home: Home) -> None:
    save_settings(home, language="fr")  # chosen in the settings this time
    result = run_cli(home, "report", **ENGLISH)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "optout-bot: aucun lancement enregistré pour l’instant : lancez d’abord "
        "`optout-bot run --platform instagram` (ou facebook)\n"
    )


# --- The ledger's views -----------------------------------------------------------------------------------------


def test_status_speaks_french(home: Home, objected: Path) -> None:
    result = run_cli(home, "--lang", "fr", "status", TZ="UTC", **ENGLISH)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["COMPTE", "PLATEFORME", "DERNIER", "RÉSULTAT", "QUAND", "CONFIRMÉE"]
    assert lines[1].startswith("perso    instagram   confirmé ")
    assert lines[2].startswith("travail  facebook    non proposé par Meta ")
    assert "Reçus (captures d’écran de la confirmation de Meta) :" in lines
    assert f"  perso (instagram) : {objected}" in lines
    assert lines[-1] == "Heures locales (UTC+00:00)."


def test_status_before_any_run_speaks_french(home: Home) -> None:
    save_settings(home, language="fr")
    result = run_cli(home, "status", **ENGLISH)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Aucun lancement enregistré pour l’instant : lancez `optout-bot run")
    assert "perso    instagram   jamais lancé" in result.stdout


def test_the_report_is_french_and_says_so_to_the_browser(home: Home, objected: Path) -> None:
    result = run_cli(home, "--lang", "fr", "report", "--out", "-")
    assert result.returncode == 0, result.stderr
    html = result.stdout
    assert '<html lang="fr">' in html
    assert "<h1>Opposition à l’utilisation de données personnelles par Meta pour entraîner son IA : preuve</h1>" in html
    assert "<th>Compte</th><th>Plateforme</th><th>Opposition</th>" in html
    assert "Aucune opposition confirmée n’est enregistrée pour ce compte." in html
    assert "non proposé par Meta" in html and "data:image/png;base64," in html


def test_the_markdown_report_is_french_and_its_path_is_told_in_french(home: Home, objected: Path) -> None:
    out = home.root / "preuve.md"
    result = run_cli(home, "report", "--format", "md", "--out", str(out), "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Rapport écrit : {out}\n"
    assert out.read_text(encoding="utf-8").startswith("# Opposition à l’utilisation de données personnelles")


# --- run: what it says before any browser -----------------------------------------------------------------------


def test_run_all_with_every_objection_confirmed_says_so_in_french(home: Home) -> None:
    save_settings(home, language="fr")
    with Ledger.open(home.data / "ledger.sqlite3") as ledger:
        record(ledger, "perso", "instagram", Outcome.CONFIRMED, None, CONFIRMATION)
        record(ledger, "travail", "facebook", Outcome.CONFIRMED, None, CONFIRMATION)
    result = run_cli(home, "run", "--all", **ENGLISH)
    assert result.returncode == 0, result.stderr
    assert "perso (Instagram) : Meta a déjà confirmé l’opposition le " in result.stdout
    assert "rien à faire (--force pour vous opposer à nouveau)." in result.stdout
    assert "même Espace comptes de Meta" in result.stdout


# --- init -------------------------------------------------------------------------------------------------------


def test_init_asks_in_french_and_understands_oui(home: Home) -> None:
    answers = [
        "o", "instagram", "",           # the accounts first: "o" for oui, Instagram, the name suggested
        "peut-être", "oui",             # a second one (after an answer that is neither yes nor no)
        "whatsapp", "", "non",          # on WhatsApp; no third one
        "jeanne@", "jeanne@example.fr",  # email: a typo, asked again
        "Belgique", "oui",              # the country by its French name, confirmed
        "français",                     # the language by its name
        "",                             # no reason
        "0470 12 34 56",                # the phone number (WhatsApp's form), as dialled in Belgium
        "",                             # save
    ]  # fmt: skip
    result = subprocess.run(
        command("init"),
        env=home.env(**FRENCH),
        input="".join(f"{line}\n" for line in answers),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "optout-bot va vous poser quelques questions" in out
    assert "Adresse e-mail de votre compte Instagram ou WhatsApp : " in out  # French puts a space before the colon
    assert "'jeanne@' n’est pas une adresse e-mail : tapez-la sous la forme nom@exemple.com" in out
    assert "BE — Belgique : est-ce bien cela ? [O/n]" in out
    assert "Ajouter un compte ? [O/n]" in out and "Ajouter un autre compte ? [o/N]" in out
    assert "Erreur : répondez o pour oui ou n pour non" in out
    assert "  pays :       BE — Belgique\n" in out and "  langue :     fr\n" in out
    assert "  téléphone :  +32470123456\n" in out
    assert "nom complet" not in out.lower()  # neither Instagram's form nor WhatsApp's asks for it
    assert "Sur quelle plateforme est ce compte ? (instagram, facebook, whatsapp, linkedin, x) : " in out
    assert f"Enregistré dans {settings_file(home)}\n" in out
    text = settings_file(home).read_text(encoding="utf-8")
    assert 'language = "fr"' in text and 'country = "BE"' in text and 'phone = "+32470123456"' in text
