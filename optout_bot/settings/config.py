"""The person's settings file: their email, country, language, reason and accounts, in TOML.

It lives in the user config folder (platformdirs) as `config.toml`. A person edits it by hand, so a mistake
must be reported as `config.toml:LINE: where: what to do`, like the flow files. tomllib keeps no line
numbers, so the line of a key is found by a small scan of the text for `key =` at the start of a line, in
the right `[table]` or `[[accounts]]` block (`_key_lines`). That covers the files this module writes and
what people usually type; its limits: a dotted key (`a.b = 1`), or a key inside an inline table or an array
written across lines, is reported at the nearest enclosing line found, or without a line at all.

A missing file is no error: every setting has a default, and command-line options come on top.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from optout_bot.errors import UsageError
from optout_bot.i18n import N_, Language, _, ngettext
from optout_bot.paths import ACCOUNT_NAME, CONFIG_SIZE_LIMIT, config_path, private_dir, read_regular_file
from optout_bot.platforms import Platform
from optout_bot.problems import Problem
from optout_bot.settings.values import PERSON_KEYS, PERSON_VALUE, PERSON_VALUES, BadValueError, check_email

_DUPLICATE_NAME = "duplicate_account_name"
SCHEMA_VERSION = 1

Loc = tuple[str | int, ...]


# --- The schema ---------------------------------------------------------------------------------------------


def _as_setting(check: Callable[[str | None], str | None]) -> Callable[[str | None], str | None]:
    """optout_bot.settings.values' check, its problem without the `--option` (the error names the key already).

    Its error becomes a ValueError so that pydantic reports it at the key's place.
    """

    def validate(value: str | None) -> str | None:
        try:
            return check(value)
        except BadValueError as exc:
            raise ValueError(exc.problem) from None

    return validate


def _check_account_name(name: str) -> str:
    if not ACCOUNT_NAME.match(name):
        raise ValueError(
            _("{name!r} is not allowed: use letters, digits, '.', '_' or '-' (up to 64)").format(name=name)
        )
    return name


class Account(BaseModel):
    # strict: TOML already types its values; "1" must not quietly become 1, nor 1 become "1".
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str  # also the name of its browser profile (paths.profile_dir) unless `profile` says otherwise
    platform: Platform
    email: str | None = None  # when it differs from the one at the top
    # The browser profile to use, when it is not the account's name: an Instagram and a Facebook account
    # may share one profile, where the person logged in to both.
    profile: str | None = None

    _name = field_validator("name")(_check_account_name)
    _profile = field_validator("profile")(_check_account_name)

    @property
    def profile_name(self) -> str:
        """The browser profile this account uses: its own `profile`, else its name."""
        return self.profile or self.name

    _email = field_validator("email")(_as_setting(check_email))


# A settings key of older versions -> its name now (values.PERSON_VALUES' older_keys): still read, never written.
OLDER_KEYS = {older: value.key for value in PERSON_VALUES for older in value.older_keys}


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    schema_version: int = SCHEMA_VERSION
    # The person's values (values.PERSON_VALUES, in its order; tests/unit/test_values.py checks they are the same),
    # each checked by its own rule. `language` follows the country, as `init` asks it.
    email: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, upper case once read
    language: Language = "en"
    reason: str | None = None
    full_name: str | None = None  # `name` in files of older versions
    phone: str | None = None
    # Not strict: TOML gives a list, and a tuple keeps the settings immutable once read.
    accounts: Annotated[tuple[Account, ...], Field(strict=False)] = ()
    # A folder of flow files replacing the bundled ones of the same name (README, "When a site changes"), as
    # written: `~` and a path relative to this file's folder are resolved, and the folder checked, only by the
    # commands that read flows (flows_dir_setting): a folder gone missing must not keep `init` from the file.
    flows_dir: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _older_keys(cls, data: Any) -> Any:
        """A file of an older version says `name` for the full name: read as `full_name` (unless both are there,
        which is then reported as an unknown setting)."""
        if isinstance(data, dict):
            for older, key in OLDER_KEYS.items():
                if older in data and key not in data:
                    data = {(key if name == older else name): value for name, value in data.items()}
        return data

    @field_validator(*PERSON_KEYS)
    @classmethod
    def _person_value(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _as_setting(PERSON_VALUE[str(info.field_name)].check)(value)

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version > SCHEMA_VERSION:
            message = _(
                "this file is for a newer optout-bot (version {version}; this one reads {known}): update optout-bot"
            )
            raise ValueError(message.format(version=version, known=SCHEMA_VERSION))
        if version != SCHEMA_VERSION:
            raise ValueError(_("must be {known}").format(known=SCHEMA_VERSION))
        return version

    @field_validator("accounts")
    @classmethod
    def _unique_names(cls, accounts: tuple[Account, ...]) -> tuple[Account, ...]:
        """Each name is a browser profile folder; "Work" and "work" are one folder on macOS and Windows."""
        seen: dict[str, int] = {}
        for i, account in enumerate(accounts):
            first = seen.setdefault(account.name.casefold(), i)
            if first != i:
                # The indexes let the file reader point at the line of each name.
                context = {"name": repr(account.name), "index": i, "first": first}
                raise PydanticCustomError(_DUPLICATE_NAME, "{name} is the name of two accounts", context)
        return accounts

    def account(self, name: str) -> Account | None:
        return next((account for account in self.accounts if account.name == name), None)


# --- Errors -------------------------------------------------------------------------------------------------


class ConfigFileError(UsageError):
    """One or more problems in the settings file (exit 2): the first in the message, all in `problems`."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first, more = str(self.problems[0]), len(self.problems) - 1
        if more:
            message = ngettext(
                "invalid settings: {problem} (and {count} more)", "invalid settings: {problem} (and {count} more)", more
            ).format(problem=first, count=more)
        else:
            message = _("invalid settings: {problem}").format(problem=first)
        super().__init__(message)


# --- Finding lines ------------------------------------------------------------------------------------------

_HEADER = re.compile(r"""^\s*\[(?P<array>\[)?\s*(?P<name>[A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*\]""")
_KEY = re.compile(r"""^\s*(?P<key>[A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*=""")


def _multiline_delimiter(line: str) -> str | None:
    """The delimiter of a multi-line string this line opens (or closes): its lines are text, not keys."""
    for delimiter in ('"""', "'''"):
        if line.count(delimiter) % 2:
            return delimiter
    return None


def _key_lines(text: str) -> dict[Loc, int]:
    """The line of each key and table header, by its place in the data: ("accounts", 1, "name") -> 12."""
    lines: dict[Loc, int] = {}
    table: Loc = ()
    array_counts: dict[str, int] = {}
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        if header := _HEADER.match(line):
            name = header["name"].strip("\"'")
            if header["array"]:
                table = (name, array_counts.get(name, 0))
                array_counts[name] = table[1] + 1
            else:
                table = (name,)
            lines.setdefault(table, number)
        elif key := _KEY.match(line):
            lines.setdefault((*table, key["key"].strip("\"'")), number)
            in_string = _multiline_delimiter(line)
    return lines


def _line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the deepest part of `loc` found: a missing key is reported at its block's header."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


# --- Reading ------------------------------------------------------------------------------------------------

_FIELDS = {(): list(Config.model_fields), ("accounts",): list(Account.model_fields)}


def _choices(values: Sequence[str]) -> str:
    """'en' or 'fr'; 'a', 'b' or 'c'."""
    quoted = [repr(value) for value in values]
    if len(quoted) < 2:
        return "".join(quoted)
    return _("{first} or {last}").format(first=", ".join(quoted[:-1]), last=quoted[-1])


def _message(item: ErrorDetails, lines: dict[Loc, int]) -> str:
    """pydantic's message, turned into what to do about it (in the person's language) where it is not already."""
    loc: Loc = tuple(item["loc"])
    kind = item["type"]
    ctx = item.get("ctx", {})
    in_account = loc[:1] == ("accounts",) and len(loc) > 1
    if kind == "extra_forbidden":
        known = _FIELDS[("accounts",) if loc[:1] == ("accounts",) else ()]
        return _("unknown setting: remove it or correct its spelling (known here: {known})").format(
            known=", ".join(known)
        )
    if kind == "missing":
        return _('required: add a line such as {key} = "…"').format(key=loc[-1])
    if (kind in ("list_type", "tuple_type") and loc == ("accounts",)) or (in_account and kind in _NOT_A_TABLE):
        return _("write each account as its own [[accounts]] block (with double brackets)")
    if kind == "string_type":
        return _('should be text in double quotes, such as "…"')
    if kind == "int_type":
        return _("should be a whole number without quotes, such as 1")
    if kind == "literal_error" and "expected" in ctx:
        return _("Input should be {choices}").format(choices=_choices(_literal_values(loc)) or ctx["expected"])
    if kind == "value_error":
        return str(ctx["error"]) if "error" in ctx else item["msg"].removeprefix("Value error, ")
    if kind == _DUPLICATE_NAME:
        first = _line_of(lines, ("accounts", ctx["first"], "name"))
        return _("{name} is already the name of the account at line {line}: give each its own").format(
            name=ctx["name"], line=first
        )
    return item["msg"]  # pydantic's own words (English): a mistake none of the above foresaw


# pydantic's error types for an [[accounts]] entry that is not a table (accounts = ["work"]).
_NOT_A_TABLE = ("model_type", "model_attributes_type", "dict_type")


def _literal_values(loc: Loc) -> tuple[str, ...]:
    """The values a Literal setting takes ("en", "fr"), from the schema; () when loc is not one."""
    model: type[BaseModel] = Account if loc[:1] == ("accounts",) and len(loc) == 3 else Config
    field = model.model_fields.get(str(loc[-1]))
    return tuple(str(value) for value in get_args(field.annotation)) if field else ()


def _loc(item: ErrorDetails) -> Loc:
    """Where the error is; for a name given twice, at the second name (pydantic says: the accounts)."""
    loc: Loc = tuple(item["loc"])
    if item["type"] == _DUPLICATE_NAME:
        loc = (*loc, item.get("ctx", {})["index"], "name")
    return loc


def _where(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def _as_written(loc: Loc, lines: dict[Loc, int]) -> Loc:
    """The key as the file spells it: a value read from an older key (`name`) is reported under that key."""
    if len(loc) == 1 and loc not in lines:
        older = next((old for old, key in OLDER_KEYS.items() if key == loc[0] and (old,) in lines), None)
        if older is not None:
            return (older,)
    return loc


def _validation_problems(path: Path, text: str, error: ValidationError) -> list[Problem]:
    lines = _key_lines(text)
    problems = []
    for item in error.errors(include_url=False):
        loc = _as_written(_loc(item), lines)
        problems.append(Problem(path, _line_of(lines, loc), _where(loc), _message(item, lines)))
    return problems


# tomllib's reasons (in English, always) that have a likely fix; the others get the general one.
_SYNTAX_FIXES = {
    "Invalid value": N_('text needs double quotes, such as country = "FR"'),
    "Cannot overwrite a value": N_("a setting is given twice here: keep one"),
    "Cannot declare": N_("a table is given twice here: keep one"),
}
_GENERAL_FIX = N_("see https://toml.io")


def _toml_syntax_problem(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    # Python 3.11's error has no line attribute, only "Invalid value (at line 3, column 9)" in its text.
    found = re.search(
        r"^(?P<reason>.*?)\s*\((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$", str(exc)
    )
    if found is None:
        return Problem(path, None, "", _("not valid TOML: {reason}").format(reason=exc))
    reason = found["reason"]
    line = int(found["line"]) if found["line"] else len(text.splitlines()) or None
    fix = _(next((fix for start, fix in _SYNTAX_FIXES.items() if reason.startswith(start)), _GENERAL_FIX))
    if found["column"]:
        message = _("not valid TOML: {reason} (column {column}): {fix}").format(
            reason=reason, column=found["column"], fix=fix
        )
    else:
        message = _("not valid TOML: {reason} (at the end): {fix}").format(reason=reason, fix=fix)
    return Problem(path, line, "", message)


# tomllib reads nested lists and inline tables by recursion: `a = [[[…]]]` 100,000 deep exhausts Python's stack.
_TOO_DEEP = N_(
    "lists or tables nested too deeply to read: a settings file needs no nesting beyond [[accounts]]; remove them"
)


def parse_config(text: str, path: Path) -> Config:
    """The settings in `text` (the contents of `path`, named in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError([_toml_syntax_problem(path, text, exc)]) from None
    except RecursionError:
        raise ConfigFileError([Problem(path, None, "", _(_TOO_DEEP))]) from None
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigFileError(_validation_problems(path, text, exc)) from None
    except RecursionError:  # nested not quite deep enough for tomllib, but too deep for the validation
        raise ConfigFileError([Problem(path, None, "", _(_TOO_DEEP))]) from None


def _read_text(path: Path) -> str | None:
    """The settings file's text; None if there is none."""
    try:
        return read_regular_file(path, CONFIG_SIZE_LIMIT).decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        problem = _("not UTF-8 text ({reason}): save it as UTF-8").format(reason=exc.reason)
        raise ConfigFileError([Problem(path, None, "", problem)]) from None
    except OSError as exc:
        problem = _("cannot read the file: {reason}").format(reason=exc.strerror or exc)
        raise ConfigFileError([Problem(path, None, "", problem)]) from None


def load_config(path: Path | None = None) -> Config:
    """The person's settings; the defaults if they have no settings file."""
    path = config_path() if path is None else path
    text = _read_text(path)
    return Config() if text is None else parse_config(text, path)


FLOWS_DIR_KEY = "flows_dir"


def flows_dir_setting(path: Path | None = None) -> Path | None:
    """The folder the settings file's `flows_dir` names, checked to be one; None without a file or that key.

    Only this key is read: a mistake elsewhere in the file is for the commands that use that setting to report,
    and must not keep `flows check` from the flows. A relative path is taken from the settings file's folder, as
    the person wrote it there; `~` is their home folder.
    """
    path = config_path() if path is None else path
    text = _read_text(path)
    if text is None:
        return None
    try:
        value = tomllib.loads(text).get(FLOWS_DIR_KEY)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError([_toml_syntax_problem(path, text, exc)]) from None
    except RecursionError:
        raise ConfigFileError([Problem(path, None, "", _(_TOO_DEEP))]) from None
    if value is None:
        return None
    folder = Path(value).expanduser() if isinstance(value, str) else None
    if folder is not None and not folder.is_absolute():
        folder = path.parent / folder
    problem = _flows_dir_problem(value, folder)
    if problem is not None:
        line = _line_of(_key_lines(text), (FLOWS_DIR_KEY,))
        raise ConfigFileError([Problem(path, line, FLOWS_DIR_KEY, problem)])
    return folder


def _flows_dir_problem(value: object, folder: Path | None) -> str | None:
    if folder is None:
        return _('should be text in double quotes, such as "…"')
    if not value:
        return _("is empty: name the folder that holds your flow files, or remove the line")
    if not folder.exists():
        return _("there is no folder {folder}: create it, correct the path, or remove the line").format(folder=folder)
    if not folder.is_dir():
        return _("{folder} is not a folder: name the folder that holds your flow files, or remove the line").format(
            folder=folder
        )
    return None


# --- Writing ------------------------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, control characters (and DEL) as \\uXXXX."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _pairs(pairs: Sequence[tuple[str, str | None]]) -> list[str]:
    return [f"{key} = {_toml_string(value)}" for key, value in pairs if value is not None]


def to_toml(config: Config) -> str:
    settings: list[tuple[str, str | None]] = []
    for value in PERSON_VALUES:
        settings.append((value.key, getattr(config, value.key)))
        if value.key == "country":  # the language follows the country, as `init` asks it
            settings.append(("language", config.language))
    lines = [
        "# optout-bot settings. Command-line options override them.",
        f"schema_version = {config.schema_version}",
        *_pairs([*settings, (FLOWS_DIR_KEY, config.flows_dir)]),
    ]
    for account in config.accounts:
        lines += ["", "[[accounts]]"]
        lines += _pairs(
            [
                ("name", account.name),
                ("platform", account.platform),
                ("email", account.email),
                ("profile", account.profile),
            ]
        )
    return "\n".join(lines) + "\n"


def write_config(config: Config, path: Path | None = None) -> Path:
    """Write the settings atomically (a reader sees the old file or the new one, never half), mode 0600."""
    path = config_path() if path is None else path
    text = to_toml(config)
    parse_config(text, path)  # never leave behind a file that optout-bot itself would refuse
    try:
        private_dir(path.parent)
        # mkstemp creates the file with mode 0600; in the same folder, so os.replace is a rename.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        message = _("cannot write the settings file {path}: {reason}")
        raise UsageError(message.format(path=path, reason=exc.strerror or exc)) from exc
    return path
