"""Reading flow and word files, with errors that point at `file:line`.

A contributor who fixes a flow after Meta changed a page should be told exactly which line is wrong
(`flows/instagram.yaml:14: routes.0.steps.3.click.role: Input should be 'button', 'link', …`), so the
YAML is composed into nodes first and every validation error is mapped back to the node it came from.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from optout_bot import bundled
from optout_bot.bundled import WORDS_DIR, flow_file, flow_files
from optout_bot.errors import UsageError
from optout_bot.flows.clicks import unsafe_clicks
from optout_bot.flows.freshness import MAX_AGE_DAYS, freshness_problems
from optout_bot.flows.model import FLOW, FLOW_KINDS, OWN_FLOW, SCHEMA_VERSION, Flow, WordKey
from optout_bot.flows.vocabulary import Vocabulary
from optout_bot.invocation import command_name
from optout_bot.platforms import site_of
from optout_bot.problems import Problem

Loc = tuple[str | int, ...]
Phrase = Annotated[str, Field(min_length=1)]


class FlowFileError(UsageError):
    """One or more problems in flow or word files (exit 2: a configuration error)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0])
        more = f" (and {len(self.problems) - 1} more: run '{command_name()} flows check')" if len(problems) > 1 else ""
        super().__init__(f"invalid flow data: {first}{more}")


WORDS_SCHEMA_VERSION = 1  # the word files' own format (flows have theirs: model.SCHEMA_VERSION)


class WordsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = Field(ge=WORDS_SCHEMA_VERSION, le=WORDS_SCHEMA_VERSION)
    language: str = Field(pattern=r"^[a-z]{2}$")
    words: dict[WordKey, Annotated[list[Phrase], Field(min_length=1)]] = Field(min_length=1)


# --- YAML with line numbers -------------------------------------------------------------------------------


# libyaml's parser when PyYAML was built with it (the wheels are): ten times faster than the pure-Python one,
# and every run reads all the word files before the browser opens. Both are safe loaders.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Parsed:
    path: Path
    data: Any
    root: yaml.Node | None


def _parse(path: Path) -> tuple[_Parsed | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [Problem(path, None, "", f"cannot read the file: {exc.strerror or exc}")]
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # the nodes keep their line numbers, for errors
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(path, line, "", f"not valid YAML: {reason}")]
    finally:
        loader.dispose()
    return _Parsed(path, data, root), _duplicate_keys(path, root)


def _duplicate_keys(path: Path, node: yaml.Node | None, loc: Loc = ()) -> list[Problem]:
    """PyYAML keeps the last of two equal keys silently; a flow author deserves to hear about it."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                where = _dotted((*loc, key))
                problems.append(Problem(path, key_node.start_mark.line + 1, where, "key given twice"))
            seen.add(key)
            problems += _duplicate_keys(path, value_node, (*loc, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            problems += _duplicate_keys(path, item, (*loc, i))
    return problems


def _locate(root: yaml.Node | None, loc: Iterable[str | int]) -> tuple[int | None, Loc]:
    """The line of the deepest YAML node along `loc`, and `loc` without pydantic's union tags."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    kept: list[str | int] = []
    for part in loc:
        child = _child(node, part)
        if child is None:
            # Not a key in the file: a union tag pydantic inserts (`click` in steps.3.click.click.role),
            # or a field that is missing (then the line of its parent is the right one to show).
            if not (kept and kept[-1] == part):
                kept.append(part)
            continue
        kept.append(part)
        node = child
        line = node.start_mark.line + 1
    return line, tuple(kept)


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == str(part):
                found: yaml.Node = value_node
                return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


def _dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def _validation_problems(parsed: _Parsed, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        where = tuple(item["loc"])
        if where[:1] and where[0] in FLOW_KINDS:  # a flow's errors start with its kind (the union's tag)
            where = where[1:]
        line, loc = _locate(parsed.root, where)
        problems.append(Problem(parsed.path, line, _dotted(loc), item["msg"]))
    return problems


# --- Words --------------------------------------------------------------------------------------------------


def _word_files(words_dir: Path) -> list[Path]:
    if words_dir == bundled.WORDS_DIR:  # the words in use: the bundled ones, or a --flows-dir folder's instead
        return bundled.word_files()
    return sorted(words_dir.glob("*.yaml"))


def _read_vocabulary(words_dir: Path) -> tuple[Vocabulary, dict[str, _Parsed], list[Problem]]:
    vocabulary = Vocabulary()
    parsed_by_lang: dict[str, _Parsed] = {}
    problems: list[Problem] = []
    files = _word_files(words_dir)
    if not files:
        problems.append(Problem(words_dir, None, "", "no word files (words/<language>.yaml)"))
    for path in files:
        parsed, found = _parse(path)
        problems += found
        if parsed is None:
            continue
        try:
            words = WordsFile.model_validate(parsed.data)
        except ValidationError as exc:
            problems += _validation_problems(parsed, exc)
            continue
        if words.language != path.stem:
            line, _ = _locate(parsed.root, ["language"])
            problems.append(Problem(path, line, "language", f"says {words.language!r} but the file is {path.name}"))
            continue
        parsed_by_lang[words.language] = parsed
        for key, phrases in words.words.items():
            vocabulary.phrases.setdefault(key, {})[words.language] = list(phrases)
    problems += _incomplete_languages(vocabulary, parsed_by_lang)
    return vocabulary, parsed_by_lang, problems


def _incomplete_languages(vocabulary: Vocabulary, parsed_by_lang: dict[str, _Parsed]) -> list[Problem]:
    """One warning per language whose file lacks words another file has; it uses the English phrases for them.

    A warning, not an error: a page in that language is still read with every other word of its own and
    the English phrases for the missing ones (Meta leaves many labels in English), and one missing word
    must never stop an unrelated flow from loading. `flows check` lists them so a contributor fills them in.
    """
    problems = []
    for lang, parsed in sorted(parsed_by_lang.items()):
        gaps = [key for key, by_lang in sorted(vocabulary.phrases.items()) if lang not in by_lang]
        if not gaps:
            continue
        vocabulary.missing[lang] = gaps
        where = []
        for key in gaps:
            having = "en" if "en" in vocabulary.phrases[key] else sorted(vocabulary.phrases[key])[0]
            line, _ = _locate(parsed_by_lang[having].root, ["words", key])
            where.append(f"{key} (words/{having}.yaml:{line})")
        count = len(gaps)
        message = f"{count} word{'s' if count > 1 else ''} missing, English used instead: {', '.join(where)}"
        problems.append(Problem(parsed.path, None, "words", message, warning=True))
    return problems


def load_vocabulary(words_dir: Path | None = None) -> Vocabulary:
    vocabulary, _, problems = _read_vocabulary(words_dir or WORDS_DIR)
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise FlowFileError(errors)
    return vocabulary


# --- Flows --------------------------------------------------------------------------------------------------


def bundled_flow_paths() -> list[Path]:
    """The flow files in use: the bundled ones, each replaced by a chosen folder's of the same name (--flows-dir)."""
    return flow_files()


def bundled_platforms() -> list[str]:
    """The platforms with an own-information flow (their <platform>.yaml)."""
    return [path.stem for path in bundled_flow_paths() if "-" not in path.stem]


def bundled_flows(platform: str) -> list[str]:
    """The flows a platform has: "own" (its <platform>.yaml) first, then each <platform>-<flow>.yaml."""
    names = [path.stem for path in bundled_flow_paths()]
    own = [OWN_FLOW] if platform in names else []
    return own + sorted(name.removeprefix(f"{platform}-") for name in names if name.startswith(f"{platform}-"))


def flow_file_name(platform: str, flow: str = OWN_FLOW) -> str:
    return f"{platform}.yaml" if flow == OWN_FLOW else f"{platform}-{flow}.yaml"


def files_read(platform: str, flow: str = OWN_FLOW) -> list[Path]:
    """The files `load_flow(platform, flow=flow)` and `load_vocabulary()` read: the flow file in use (a chosen
    folder's, else the bundled one) and the word files in use."""
    return [flow_file(flow_file_name(platform, flow)), *_word_files(WORDS_DIR)]


def _read_flow(path: Path, vocabulary: Vocabulary, check_words: bool = True) -> tuple[Flow | None, list[Problem]]:
    parsed, problems = _parse(path)
    if parsed is None:
        return None, problems
    # The goto steps are checked against the domains the code gives the platform (platforms.site_of).
    platform = parsed.data.get("platform") if isinstance(parsed.data, dict) else None
    old = _older_schema(parsed)
    if old is not None:
        return None, [*problems, old]
    try:
        flow = FLOW.validate_python(parsed.data, context={"site": site_of(str(platform))})
    except ValidationError as exc:
        return None, problems + _validation_problems(parsed, exc)
    if flow_file_name(flow.platform, flow.flow) != path.name:
        where = "flow" if flow.flow != OWN_FLOW else "platform"
        line, _ = _locate(parsed.root, [where])
        problems.append(
            Problem(
                path,
                line,
                where,
                f"platform {flow.platform!r} and flow {flow.flow!r} belong in "
                f"{flow_file_name(flow.platform, flow.flow)}, not {path.name}",
            )
        )
    # Promise 1: no click the flow describes may be the Submit control or the setting's switch.
    for loc, message in unsafe_clicks(flow, vocabulary if check_words else None):
        line, _ = _locate(parsed.root, loc)
        problems.append(Problem(path, line, _dotted(loc), message))
    for loc, key in flow.word_keys() if check_words else []:
        if key not in vocabulary.phrases:
            line, _ = _locate(parsed.root, loc)
            problems.append(Problem(path, line, _dotted(loc), f"unknown word {key!r}: add it to every words/*.yaml"))
    return (flow if not problems else None), problems


def _older_schema(parsed: _Parsed) -> Problem | None:
    """A flow written for an older schema, with what to change (flows/README.md, "Schema versions")."""
    version = parsed.data.get("schema_version") if isinstance(parsed.data, dict) else None
    if version != 1:
        return None
    line, _ = _locate(parsed.root, ["schema_version"])
    return Problem(
        parsed.path,
        line,
        "schema_version",
        f"schema 1 is the older format: write schema_version: {SCHEMA_VERSION} and say what the flow leads to, "
        "'kind: form' or 'kind: setting' (flows/README.md, \"Schema versions\")",
    )


def load_flow(platform_or_path: str | Path, vocabulary: Vocabulary | None = None, flow: str = OWN_FLOW) -> Flow:
    """The validated flow for a bundled platform name (and flow: "own", "third-party"…), or from a file path."""
    path = Path(platform_or_path)
    if not path.suffix:
        path = flow_file(flow_file_name(str(platform_or_path), flow))
        if not path.exists():
            if flow != OWN_FLOW and str(platform_or_path) in bundled_platforms():
                known = ", ".join(bundled_flows(str(platform_or_path)))
                raise UsageError(f"no flow {flow!r} for {platform_or_path}; its flows: {known}")
            known = ", ".join(bundled_platforms())
            raise UsageError(f"no flow for platform {platform_or_path!r}; known platforms: {known}")
    loaded, problems = _read_flow(path, vocabulary or load_vocabulary())
    if loaded is None:
        raise FlowFileError(problems)
    return loaded


def check_all(
    flow_paths: Sequence[Path] = (),
    words_dir: Path | None = None,
    *,
    fresh_on: datetime.date | None = None,
    max_age_days: int = MAX_AGE_DAYS,
) -> list[Problem]:
    """Every problem (errors and warnings) in the word files and the given (default: bundled) flow files; with
    `fresh_on`, also the warnings of routes not verified within `max_age_days` of that day (flows/freshness.py)."""
    vocabulary, _, problems = _read_vocabulary(words_dir or WORDS_DIR)
    # With a broken word file every word would look unknown: report the word file's problem alone.
    words_ok = not any(not problem.warning for problem in problems)
    for path in flow_paths or bundled_flow_paths():
        flow, found = _read_flow(path, vocabulary, check_words=words_ok)
        problems += found
        if flow is not None and fresh_on is not None:
            problems += freshness_problems(path, flow, fresh_on, max_age_days)
    return problems
