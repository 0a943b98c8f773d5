"""The sentences a flow file says to the person (`title`, `looking_for`, `notes`, `after`, `not_offered_says`, each
step's `says`), for the message catalogue.

A flow file writes them in English, as the code writes its messages; the catalogue translates them like any
other. This is Babel's extractor for flow files: `scripts/i18n` (pybabel extract -F scripts/babel.cfg) and
tests/test_i18n.py run it over `flows/*.yaml`, so a sentence added to a flow is one to translate.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

MESSAGE_FIELDS = ("title", "looking_for", "notes", "after", "not_offered_says")  # the fields the person reads


def extract_flow_messages(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extraction method: (line, function, message, comments) for each sentence of a flow file. A word
    file (flows/words/*.yaml) or a file that is no flow has none."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if key.value == "routes":
            yield from _steps_say(value)
        if key.value not in MESSAGE_FIELDS:
            continue
        if isinstance(value, yaml.SequenceNode):
            nodes = list(value.value)
        elif isinstance(value, yaml.MappingNode):  # not_offered_says: one sentence per reason
            nodes = [node for _reason, node in value.value]
        else:
            nodes = [value]
        for node in nodes:
            if isinstance(node, yaml.ScalarNode) and node.value:
                yield node.start_mark.line + 1, "_", node.value, [f"flow file: {key.value}"]


def _steps_say(routes: yaml.Node) -> Iterator[tuple[int, str, str, list[str]]]:
    """What each step of each route says while it runs (`says:`)."""
    for route in _items(routes):
        for key, steps in _pairs(route):
            if key == "steps":
                for step in _items(steps):
                    for name, node in _pairs(step):
                        if name == "says" and isinstance(node, yaml.ScalarNode) and node.value:
                            yield node.start_mark.line + 1, "_", node.value, ["flow file: a step's says"]


def _items(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _pairs(node: yaml.Node) -> list[tuple[str, yaml.Node]]:
    return [(k.value, v) for k, v in node.value] if isinstance(node, yaml.MappingNode) else []
