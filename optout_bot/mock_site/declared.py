"""The mock's pages declared as data, in `fixtures/pages.yaml`: adding a page (a menu, a setting, a form) to the
mock is adding a row there, a template and its strings — no Python.

Each row names its address (host and path), its template in `fixtures/templates/`, the strings key of its
<title>, and its kind:

- `page`: drawn as it is (GET only) — a home page, a menu, a settings category;
- `setting`: one switch or checkbox saved by the page's script (a POST of `enabled=true|false` to the page's own
  address); the server keeps it under the row's `setting` key (MockMeta.setting(key)), and draws the page in
  its current state. `words` names the strings the script shows ("saved", "not_saved"; and "state_on",
  "state_off" for a switch with its state written beside it);
- `form`: drawn with fresh field ids and the email pre-filled for a logged-in person; a POST answers with the
  `answer` template (its title: `answer_title`, else the form's).

The rows are checked when the mock loads: a misspelt kind, a missing template or a setting without its key
stops it with the row's number, not at the first request.
"""

from __future__ import annotations

import functools
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from optout_bot.bundled import FIXTURES_DIR

PAGES_FILE = FIXTURES_DIR / "pages.yaml"

DeclaredKind = Literal["page", "setting", "form"]
# "state_on"/"state_off", not YAML's "on"/"off", which it reads as true and false.
SettingWord = Literal["saved", "not_saved", "state_on", "state_off"]


class DeclaredPage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(min_length=1)
    path: str = Field(pattern=r"^/")
    template: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(pattern=r"^[a-z0-9_]+$")  # a strings key, flattened (linkedin_titles_feed)
    kind: DeclaredKind = "page"
    setting: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]*$")  # kind: setting
    words: dict[SettingWord, str] = Field(default_factory=dict)  # kind: setting
    answer: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")  # kind: form
    answer_title: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")

    @model_validator(mode="after")
    def _fits_its_kind(self) -> DeclaredPage:
        if (self.kind == "setting") != (self.setting is not None):
            raise ValueError("a 'setting' page names its 'setting' key, and only a setting page does")
        if self.kind == "setting" and not {"saved", "not_saved"} <= self.words.keys():
            raise ValueError("a 'setting' page's 'words' name the strings for 'saved' and 'not_saved'")
        if self.kind == "setting" and ("state_on" in self.words) != ("state_off" in self.words):
            raise ValueError("a setting's 'words' give both 'state_on' and 'state_off', or neither")
        if (self.kind == "form") != (self.answer is not None):
            raise ValueError("a 'form' page names its 'answer' template, and only a form page does")
        for template in (self.template, self.answer):
            if template and not (FIXTURES_DIR / "templates" / f"{template}.html").is_file():
                raise ValueError(f"no template {template}.html in fixtures/templates")
        return self


class _PagesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pages: list[DeclaredPage] = Field(min_length=1)


@functools.cache
def declared_pages() -> tuple[DeclaredPage, ...]:
    """Every row of fixtures/pages.yaml, checked; a mistake raises ValueError naming the file and the row."""
    data = yaml.safe_load(PAGES_FILE.read_text(encoding="utf-8"))
    try:
        rows = _PagesFile.model_validate(data).pages
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"{PAGES_FILE.name}: {problems}") from None
    addresses = [(row.host, row.path) for row in rows]
    twice = sorted({address for address in addresses if addresses.count(address) > 1})
    if twice:
        raise ValueError(f"{PAGES_FILE.name}: an address is declared twice: {twice}")
    keys = [row.setting for row in rows if row.setting]
    if len(keys) != len(set(keys)):
        raise ValueError(f"{PAGES_FILE.name}: two settings share a key: {sorted(keys)}")
    return tuple(rows)


def setting_keys() -> tuple[str, ...]:
    """The settings the site remembers (MockMeta.setting / set_setting), in the file's order."""
    return tuple(row.setting for row in declared_pages() if row.setting)
