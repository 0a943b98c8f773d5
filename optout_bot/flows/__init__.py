"""Flows are data: the code that reads them. The files a contributor edits are the top-level `flows/` folder
(one YAML file per opt-out, words per language in `flows/words/`), validated on load.

May import only the top-level modules (errors, platforms, domains, problems, bundled). Nothing here imports
Playwright, so `flows check` and `--help` start fast.
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
