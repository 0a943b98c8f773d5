"""How fresh each route of a flow is: when it was last seen reaching its place on the live site.

A route carries `verified: {date, langs}` once a probe saw it work (flows/model.py, Verified). `flows check`
warns about routes never verified and routes verified longer ago than a set age, each at its file and line;
`mark_verified` writes the stamp into a flow file, changing only the route's `verified:` lines, so the
comments and sources a contributor wrote stay as they are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import yaml

from optout_bot.flows.model import Flow, Verified
from optout_bot.problems import Problem

# Meta moved the form's links every few months in 2024–2025 (shared/docs/meta-objection-facts.md): a route
# not seen working for a season is worth probing again before a person relies on it.
MAX_AGE_DAYS = 90


@dataclass(frozen=True)
class _RouteLines:
    start: int  # 0-based line of the route's first key (`- id: …`)
    source_end: int  # 0-based line after the `source:` value ends: where a new `verified:` goes
    verified: tuple[int, int] | None  # 0-based [first, after-last) lines of an existing `verified:`
    indent: int  # the column of the route's keys


def _route_lines(text: str) -> dict[str, _RouteLines]:
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    found: dict[str, _RouteLines] = {}
    routes = _child(root, "routes")
    if not isinstance(routes, yaml.SequenceNode):
        return found
    for route in routes.value:
        if not isinstance(route, yaml.MappingNode):
            continue
        keys = {str(key.value): (key, value) for key, value in route.value}
        if "id" not in keys or "source" not in keys:
            continue
        id_key, id_value = keys["id"]
        _source_key, source_value = keys["source"]
        verified = None
        if "verified" in keys:
            key, value = keys["verified"]
            verified = (key.start_mark.line, _end_line(value))
        found[str(id_value.value)] = _RouteLines(
            start=id_key.start_mark.line,
            source_end=_end_line(source_value),
            verified=verified,
            indent=id_key.start_mark.column,
        )
    return found


def _end_line(node: yaml.Node) -> int:
    """The 0-based line after a node's last character.

    A block collection's end mark sits at the next key (any column), so it is measured by its last child; a
    block scalar's (`|`, `>`) at column 0 of the next line.
    """
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end_line(last[1] if isinstance(last, tuple) else last)
    end = node.end_mark
    return end.line if end.column == 0 else end.line + 1


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == key:
                child: yaml.Node = value_node
                return child
    return None


def freshness_problems(path: Path, flow: Flow, today: datetime.date, max_age_days: int = MAX_AGE_DAYS) -> list[Problem]:
    """Warnings, at the route's line: verified too long ago; and one per flow naming the routes never verified."""
    lines = _route_lines(path.read_text(encoding="utf-8"))
    problems: list[Problem] = []
    never = []
    for number, route in enumerate(flow.routes):
        line = lines[route.id].start + 1 if route.id in lines else None
        if route.verified is None:
            never.append(route.id)
            continue
        age = (today - route.verified.date).days
        if age > max_age_days:
            problems.append(
                Problem(
                    path,
                    line,
                    f"routes.{number}.verified",
                    f"route {route.id!r} was last verified {age} days ago ({route.verified.date.isoformat()}, "
                    f"more than {max_age_days}): probe it again before relying on it",
                    warning=True,
                )
            )
    if never:
        problems.append(
            Problem(
                path,
                lines[never[0]].start + 1 if never[0] in lines else None,
                "routes",
                f"never verified on the live site: {', '.join(never)} (seen only in the sources they cite)",
                warning=True,
            )
        )
    return problems


def mark_verified(path: Path, route_id: str, verified: Verified) -> None:
    """Write `verified: {date, langs}` into the route `route_id` of the flow file at `path`, in place.

    Only the route's `verified:` lines change (or are added after its `source:`); the file is replaced whole,
    so a crash leaves the old file or the new one, never half of each.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    where = _route_lines(text).get(route_id)
    if where is None:
        raise KeyError(f"no route {route_id!r} in {path.name}")
    stamp = (
        f"{' ' * where.indent}verified: {{date: {verified.date.isoformat()}, langs: [{', '.join(verified.langs)}]}}\n"
    )
    if where.verified is not None:
        first, after = where.verified
        lines[first:after] = [stamp]
    else:
        lines.insert(where.source_end, stamp)
    new = path.with_name(f".{path.name}.new")
    new.write_text("".join(lines), encoding="utf-8")
    new.replace(path)
