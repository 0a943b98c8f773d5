"""`optout-bot flows match`: which of a flow's words a label copied from a real page is recognised as.

A contributor told "the tool does not see this button" pastes the button's text and sees, in a second, the
word it is taken for and its score, or that it is none and which word is nearest. It scores with
optout_bot.flows.matching, the recognition the walk uses, so what it says is what the walk sees.
Kept light: the flows and the stemmer are imported when the command runs, not when `--help` is built.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from optout_bot.errors import ExitStatus, UsageError
from optout_bot.i18n import _
from optout_bot.platforms import PLATFORMS


@click.command(
    "match",
    help=_(
        "Say which of a platform's flow words each label (copied from a real page) is recognised as, with its score; "
        "or none, and the nearest word. Labels are the TEXT arguments, or one per line on standard input.\n\n"
        "It uses the recognition the walk uses.\n\n"
        "Exit codes: 0 every label is recognised, 5 one or more is not, 2 usage error."
    ),
)
@click.option("--platform", required=True, metavar="PLATFORM", help=_("Whose flows: facebook, instagram, whatsapp…"))
@click.option(
    "--page-lang",
    metavar="LANG",
    help=_("Language of the page the labels come from (its words, then English); default: every language."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON, for programs."))
@click.argument("texts", nargs=-1, metavar="[TEXT]...")
def flows_match(platform: str, page_lang: str | None, as_json: bool, texts: tuple[str, ...]) -> None:
    """`optout-bot flows match`."""
    from optout_bot.flows import load_vocabulary
    from optout_bot.flows.matching import recogniser

    if platform not in PLATFORMS:
        raise UsageError(
            _("unknown platform {platform!r}; choose one of: {platforms}").format(
                platform=platform[:40], platforms=", ".join(PLATFORMS)
            )
        )
    vocabulary = load_vocabulary()
    if page_lang is not None and page_lang not in vocabulary.languages:
        raise UsageError(
            _("no words in language {language!r}; languages: {languages}").format(
                language=page_lang[:20], languages=", ".join(vocabulary.languages)
            )
        )
    labels = list(texts) or _labels_from_stdin()
    if not labels:
        raise UsageError(_("no label to match: give them as arguments, or one per line on standard input"))
    keys = _flow_keys(platform, vocabulary)
    found = recogniser(vocabulary)
    results = [_result(label, found.ranked(label, keys, page_lang)) for label in labels]
    if as_json:
        document = {"platform": platform, "page_lang": page_lang, "labels": results}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for result in results:
            click.echo(_line(result, platform))
    if not all(result["recognised"] for result in results):
        sys.exit(int(ExitStatus.NOT_RECOGNISED))


def _labels_from_stdin() -> list[str]:
    if sys.stdin is None or sys.stdin.isatty():
        return []  # nothing piped: the person forgot the labels
    return [line.strip() for line in sys.stdin if line.strip()]


def _flow_keys(platform: str, vocabulary: Any) -> list[str]:
    """Every word key the platform's flows use (own, third-party…): routes, headings, fields, confirmation."""
    from optout_bot.flows import load_flow
    from optout_bot.flows.loader import bundled_flows

    keys: dict[str, None] = {}
    for flow in bundled_flows(platform):
        for _where, key in load_flow(platform, vocabulary, flow).word_keys():
            keys.setdefault(key, None)
    return list(keys)


def _result(label: str, ranked: list[Any]) -> dict[str, Any]:
    recognised = [match for match in ranked if match.recognised]
    nearest = ranked[0] if ranked and not recognised and ranked[0].score > 0 else None
    return {
        "label": label,
        "recognised": bool(recognised),
        "matches": [_match(match) for match in recognised],
        "nearest": _match(nearest) if nearest is not None else None,
    }


def _match(match: Any) -> dict[str, Any]:
    return {"key": match.key, "score": round(match.score, 2), "lang": match.lang, "phrase": match.phrase}


def _line(result: dict[str, Any], platform: str) -> str:
    label = json.dumps(result["label"], ensure_ascii=False)
    if result["matches"]:
        best, *others = result["matches"]
        line = _('{label}  →  {key} ({score:.2f}, {lang}: "{phrase}")').format(label=label, **best)
        if others:
            also = ", ".join(f"{other['key']} ({other['score']:.2f})" for other in others)
            line += "  " + _("also: {keys}").format(keys=also)
        return line
    if result["nearest"] is not None:
        return _('{label}  →  none (nearest: {key} {score:.2f}, {lang}: "{phrase}")').format(
            label=label, **result["nearest"]
        )
    return _("{label}  →  none (no word of {platform}'s flows shares a word with it)").format(
        label=label, platform=platform
    )
