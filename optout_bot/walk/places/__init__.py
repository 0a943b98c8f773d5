"""The kinds of place a flow leads to, each behind the same small interface (`Place`): a form the tool
pre-fills and the person submits (form.py), a setting the tool reads and the person switches (setting.py).

The kind is chosen here, once, from the flow's type (flows/model.py: FormFlow, SettingFlow); nothing else in
the walk asks which kind it has.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from optout_bot.errors import ExitStatus
from optout_bot.flows import Flow, Route
from optout_bot.flows.model import FormFlow
from optout_bot.i18n import N_, _
from optout_bot.platforms import platform_name
from optout_bot.records.recording import RunReport
from optout_bot.settings.options import RunOptions
from optout_bot.ui import Ui
from optout_bot.walk.door import WalkContext
from optout_bot.walk.walker import Walker


class Place(Protocol):
    # What the person is told when the window or tab was closed before the place was found (a msgid).
    closed_mid_walk: str

    def walk(self, walk: WalkContext, options: RunOptions, report: RunReport) -> ExitStatus:
        """From the opened browser to the outcome: find the place, then what this kind does there."""
        ...

    def reach(self, walker: Walker, routes: list[Route]) -> str:
        """Walk to the place by `routes` and stop there, touching nothing of it (`probe`): the route that reached
        it. FormNotFound when none did."""
        ...

    def summed_up(self, options: RunOptions) -> str:
        """A successful run in `run --all`'s summary."""
        ...

    def after_success(self, options: RunOptions, ui: Ui) -> None:
        """What remains for the person once the outcome is recorded."""
        ...


def say_what_is_sought(flow: Flow, ui: Ui, looking_for: str) -> None:
    """Before the walk: the flow file's notes, then what the walk looks for (the flow's words, else
    `looking_for`, an N_() message), each translated and naming the platform."""
    platform = platform_name(flow.platform)
    for note in flow.notes:  # the flow file's words, translated by the catalogue (flows/messages.py)
        ui.say(_(note).format(platform=platform))
    ui.say(_(flow.looking_for or looking_for).format(platform=platform))


_PAST_A_STALE_ROUTE = N_(
    "The usual way ({route}, last seen working on {date}) did not work: {platform}'s site may have changed. "
    "`optout-bot probe --platform {command} --report` prepares a report for optout-bot's maintainers."
)


def say_fallback(flow: Flow, found_route: str, ui: Ui, today: datetime.date | None = None) -> None:
    """Once the place is found by a later route (or by exploring): if a route tried before it is stale — seen
    working by a probe, but not within flows/freshness.py's MAX_AGE_DAYS — say so, once, with the command that
    reports it. A route never verified says nothing: until the weekly probe has stamped the routes that is every
    route, and a line on every fallback would teach the person to skip it."""
    from optout_bot.flows.freshness import MAX_AGE_DAYS

    today = today or datetime.date.today()
    for route in flow.routes:
        if route.id == found_route:
            return
        if route.verified is not None and (today - route.verified.date).days > MAX_AGE_DAYS:
            date = route.verified.date.isoformat()
            ui.step(_(_PAST_A_STALE_ROUTE).format(route=route.id, date=date, **_names(flow)))
            return


def _names(flow: Flow) -> dict[str, str]:
    command = flow.platform if flow.flow == "own" else f"{flow.platform} --flow {flow.flow}"
    return {"platform": platform_name(flow.platform), "command": command}


def place_for(flow: Flow) -> Place:
    from optout_bot.walk.places.form import FormPlace
    from optout_bot.walk.places.setting import SettingPlace

    return FormPlace(flow) if isinstance(flow, FormFlow) else SettingPlace(flow)
