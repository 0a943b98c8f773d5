"""optout-bot: walks a person to Meta's AI-training objection form, pre-fills it, and hands over.

The tool never submits. See README.md for the promises it keeps.
"""

__version__ = "0.1.0"
