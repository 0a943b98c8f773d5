"""`optout-bot flows match` (issue 15, part 5), through the real command: which word of the flows each label a
contributor copied from a page is recognised as (moved here from tests/unit/test_matching.py, whose unit tests
check the recogniser itself)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.e2e.cli import Home, command, run_cli


def test_flows_match_names_the_word_of_each_label_and_the_nearest_for_the_others(home: Home) -> None:
    title = "Opõe-te à utilização das tuas informações pela IA na Meta"
    result = run_cli(home, "flows", "match", "--platform", "facebook", "--page-lang", "pt", title, "Your activity")
    assert result.returncode == 5, result.stderr  # one label is not recognised
    recognised, missed = result.stdout.splitlines()
    assert recognised.startswith(f'"{title}"  →  form_title (1.00, pt: "Opõe-te à utilização')
    assert missed == '"Your activity"  →  none (nearest: settings 0.50, en: "Settings and activity")'
    assert result.stderr == ""


def test_flows_match_reads_labels_from_standard_input_and_speaks_json(home: Home) -> None:
    piped = "SI w Meta\n\n  Centrum ochrony prywatności  \nGrok\n"
    result = subprocess.run(
        command("flows", "match", "--platform", "instagram", "--json"),
        env=home.env(), input=piped, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 5, result.stderr
    document = json.loads(result.stdout)
    assert document["platform"] == "instagram" and document["page_lang"] is None
    labels = {entry["label"]: entry for entry in document["labels"]}
    assert list(labels) == ["SI w Meta", "Centrum ochrony prywatności", "Grok"]  # blank lines skipped, trimmed
    assert labels["SI w Meta"]["matches"] == [{"key": "ai_at_meta", "score": 1.0, "lang": "pl", "phrase": "SI w Meta"}]
    assert labels["Centrum ochrony prywatności"]["matches"][0]["key"] == "privacy_center"
    assert labels["Grok"] == {"label": "Grok", "recognised": False, "matches": [], "nearest": None}


def test_flows_match_exits_0_when_every_label_is_recognised(home: Home) -> None:
    result = run_cli(home, "flows", "match", "--platform", "x", "Einstellungen und Datenschutz", "Settings & Privacy")
    assert result.returncode == 0, result.stderr
    assert [line.split("  →  ")[1].split(" ")[0] for line in result.stdout.splitlines()] == ["settings_and_privacy"] * 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--platform", "myspace", "Settings"), "unknown platform 'myspace'; choose one of: instagram, facebook,"),
        (("--platform", "x", "--page-lang", "xx", "Settings"), "no words in language 'xx'; languages: de, en,"),
        (("--platform", "x"), "no label to match: give them as arguments, or one per line on standard input"),
    ],
)
def test_flows_match_refuses_bad_input_in_one_line(home: Home, args: tuple[str, ...], message: str) -> None:
    result = run_cli(home, "flows", "match", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(f"optout-bot: {message}") and result.stderr.count("\n") == 1
    assert result.stdout == ""
