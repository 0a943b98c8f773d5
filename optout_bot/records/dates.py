"""Dates as people write them, in the person's language, beside the ISO form an authority can check.

« 6 décembre 2026 à 14:05 (UTC+1) », "December 6, 2026 at 2:05 PM (UTC+1)": the local date and time in the
language's long form (Babel's CLDR data, the same tables browsers use), and the offset from UTC in the form
people read it. The ISO form (UTC) goes beside it wherever the date is a fact of the proof.
"""

from __future__ import annotations

from datetime import UTC, datetime

from optout_bot.i18n import N_, _, current_language

# The date, then the time (CLDR's own joiner is a comma in both languages; people write "at", « à »).
DATE_AT_TIME = N_("{date} at {time}")


def zone_words(moment: datetime) -> str:
    """The local offset from UTC at `moment` as people read it: UTC+1, UTC+5:30, UTC−3, UTC."""
    offset = moment.astimezone().utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def people_datetime(moment: datetime) -> str:
    """The local date and time in the person's language, with the offset: « 6 décembre 2026 à 14:05 (UTC+1) »."""
    local = moment.astimezone()
    try:
        from babel.dates import format_date, format_time
    except ImportError:  # Babel missing: still a date people read, in the order every language understands
        return f"{local:%Y-%m-%d %H:%M} ({zone_words(moment)})"
    locale = current_language()
    words = _(DATE_AT_TIME).format(
        date=format_date(local, "long", locale=locale),
        time=format_time(local, "short", tzinfo=local.tzinfo, locale=locale),
    )
    return f"{words} ({zone_words(moment)})"


def people_date(moment: datetime) -> str:
    """The local date alone, in the person's language: « 6 décembre 2026 »."""
    local = moment.astimezone()
    try:
        from babel.dates import format_date
    except ImportError:
        return f"{local:%Y-%m-%d}"
    return str(format_date(local, "long", locale=current_language()))


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC, to the second: 2026-12-06T13:05:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
