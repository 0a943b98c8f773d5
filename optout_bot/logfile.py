"""Where the tool's log lines go. (Placeholder: stderr with --debug only; the log file comes next.)"""

from __future__ import annotations

import sys

from loguru import logger


def configure_logging(debug: bool) -> None:
    logger.remove()  # loguru's default handler would print every debug line
    if debug:
        logger.add(sys.stderr, level="DEBUG", format="{time:HH:mm:ss.SSS} {level} {message}")
