"""Pictures of what the person did: a dry run's screenshot, and the receipt of an outcome already recorded."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from optout_bot.i18n import _
from optout_bot.paths import make_private, timestamped_file
from optout_bot.platforms import site_of
from optout_bot.settings.options import RunOptions
from optout_bot.ui import Ui
from optout_bot.walk.banner import clear_marks, stamp, unstamp


def screenshot(
    page: Page, options: RunOptions, folder: str, what: str, ui: Ui | None = None, receipt: bool = False
) -> Path:
    """A full-page screenshot, private to the person: --screenshot if given (not for a receipt, which always
    goes to the receipts folder), else a new file in the data folder.

    --screenshot was checked while planning (paths.check_screenshot_path): only an earlier picture is replaced.
    """
    chosen = None if receipt else options.screenshot
    path = chosen or timestamped_file(folder, f"{options.account}-{options.platform}-{what}", ".png")
    if ui is not None and path.exists():
        ui.say(_("Replacing the earlier picture {path}.").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    # A full-page picture draws the page's fixed parts (its header, our banner) where the window is: from the top
    # they stay where the person sees them, over no field.
    page.evaluate("window.scrollTo({top: 0, left: 0, behavior: 'instant'})")
    page.screenshot(path=str(path), full_page=True)
    make_private(path)
    return path


def save_receipt(
    page: Page, options: RunOptions, ui: Ui, what: str, told: str, *, receipts_folder: bool = True
) -> Path | None:
    """The receipt of an outcome already recorded: a screenshot, or one warning line if it cannot be saved.

    It proves one thing: the page as the platform shows it now. The tool's banner and outlines are taken away
    first (a setting's receipt would show the banner's "is on" above a switch now off); a stamp with the time and
    the page's address is written into the page for the picture, and taken away after it.
    `receipts_folder`: False lets --screenshot choose the file, as a setting's receipt always did.
    """
    try:
        clear_marks(page)
        stamp(page)
        try:
            path = screenshot(page, options, "receipts", what, ui, receipt=receipts_folder)
        finally:
            unstamp(page)
    except (OSError, PlaywrightError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        ui.warn(
            _(
                "the receipt (a screenshot) could not be saved ({reason}); the outcome is recorded all the same: "
                "see `optout-bot status`."
            ).format(reason=reason)
        )
        return None
    ui.say(_(told).format(path=path, company=site_of(options.platform).company))
    return path
