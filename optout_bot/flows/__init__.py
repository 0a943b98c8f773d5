"""Flows are data: one YAML file per platform, validated on load, with words kept per language.

Nothing here imports Playwright, so `flows check` and `--help` start fast.
"""

from optout_bot.flows.loader import FlowFileError, check_all, load_flow, load_vocabulary
from optout_bot.flows.model import Flow, Route, Target
from optout_bot.flows.vocabulary import Vocabulary
from optout_bot.problems import Problem

__all__ = [
    "Flow",
    "FlowFileError",
    "Problem",
    "Route",
    "Target",
    "Vocabulary",
    "check_all",
    "load_flow",
    "load_vocabulary",
]
