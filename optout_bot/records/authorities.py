"""Who the follow-up letters go to: the data-protection authorities (authorities.yaml) and the platforms'
controllers (controllers.yaml), as data beside this module, each row with the page it was found on.

Both files are read on first use and checked by a pydantic model that refuses unknown keys, so a typo in a
contributor's edit fails the tests (tests/unit/test_letters.py reads them) rather than a person's letter.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from optout_bot.errors import UsageError
from optout_bot.i18n import _
from optout_bot.platforms import Platform

HERE = Path(__file__).parent
AUTHORITIES_FILE = HERE / "authorities.yaml"
CONTROLLERS_FILE = HERE / "controllers.yaml"

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Address = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
# Which law the authority applies to the complaint: the GDPR (EU and EEA), the UK GDPR, or Switzerland's FADP.
Regime = Literal["gdpr", "uk_gdpr", "fadp"]
UK = "GB"


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Authority(_Row):
    """One country's data-protection authority: where a person lodges a complaint."""

    country: CountryCode  # ISO 3166-1 alpha-2, as the settings' `country`
    name_en: str
    name_local: str  # in the authority's own language (several, where the country has several)
    complaint: Address | None  # the page where a person lodges a complaint; None: not confirmed
    website: Address
    email: str | None = None
    postal_address: str
    regime: Regime = "gdpr"
    also_checked: tuple[Address, ...] = ()  # second sources the row was checked against
    source: tuple[Address, ...] = Field(min_length=1)


class Controller(_Row):
    """The company that decides what is done with a platform's users' data in the EU and EEA (GDPR Art. 4(7))."""

    platforms: tuple[Platform, ...] = Field(min_length=1)
    name: str
    address: str | None  # None: not confirmed; the letter gives the name only
    uk_name: str | None = None  # where the United Kingdom's controller is another company
    uk_address: str | None = None
    source: tuple[Address, ...] = Field(min_length=1)

    def for_country(self, country: str | None) -> tuple[str, str | None]:
        """The controller's name and address for a person in `country`."""
        if country == UK and self.uk_name:
            return self.uk_name, self.uk_address
        return self.name, self.address


class _Authorities(_Row):
    authorities: tuple[Authority, ...]

    @field_validator("authorities")
    @classmethod
    def _one_per_country(cls, rows: tuple[Authority, ...]) -> tuple[Authority, ...]:
        countries = [row.country for row in rows]
        twice = sorted({country for country in countries if countries.count(country) > 1})
        if twice:
            raise ValueError(f"more than one authority for {', '.join(twice)}")
        return rows


class _Controllers(_Row):
    controllers: tuple[Controller, ...]

    @field_validator("controllers")
    @classmethod
    def _one_per_platform(cls, rows: tuple[Controller, ...]) -> tuple[Controller, ...]:
        platforms = [platform for row in rows for platform in row.platforms]
        twice = sorted({platform for platform in platforms if platforms.count(platform) > 1})
        if twice:
            raise ValueError(f"more than one controller for {', '.join(twice)}")
        return rows


def _read(path: Path) -> object:
    with path.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


@cache
def authorities() -> dict[str, Authority]:
    """Every authority by country code (read once)."""
    return {row.country: row for row in _Authorities.model_validate(_read(AUTHORITIES_FILE)).authorities}


@cache
def controllers() -> dict[str, Controller]:
    """Every platform's controller by platform (read once)."""
    rows = _Controllers.model_validate(_read(CONTROLLERS_FILE)).controllers
    return {platform: row for row in rows for platform in row.platforms}


def authority_for(country: str | None) -> Authority:
    """The authority of the person's country; a one-line UsageError when there is none to choose."""
    if not country:
        raise UsageError(
            _(
                "a complaint goes to the data-protection authority of your country, and your settings name none: "
                "give it with --country (for example --country FR) or run `optout-bot init`"
            )
        )
    found = authorities().get(country.strip().upper())
    if found is None:
        message = _(
            "optout-bot knows no data-protection authority for the country {country!r}: it knows those of the EU, "
            "the EEA, the United Kingdom and Switzerland ({countries})"
        )
        raise UsageError(message.format(country=country[:20], countries=", ".join(sorted(authorities()))))
    return found


def controller_of(platform: str) -> Controller:
    found = controllers().get(platform)
    if found is None:  # every platform has a row: tests/unit/test_letters.py checks it
        raise ValueError(f"controllers.yaml has no controller for {platform!r}")
    return found
