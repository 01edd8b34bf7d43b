"""One builder per sheet kind: each turns plain data into flowables for `layout.build_pdf`
and says whether its pages are landscape. Builders draw no page furniture."""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable

from sync.event import Event

from ..model import (
    AppealDossier,
    BlankForm,
    ContestantSheet,
    DiscrepancyReport,
    EnrolmentCard,
    Inventory,
    JudgeSheet,
    ResultsSheet,
    Sheet,
)
from . import appeal, contestant, discrepancy, enrolment, form, inventory, judge, results

__all__ = ["is_landscape", "story"]


def story(event: Event, sheet: Sheet, zone: dt.tzinfo) -> list[Flowable]:
    """The body of `sheet`: everything between its masthead and its folio; every time in
    `zone` (`sheet_zone`)."""
    if isinstance(sheet, JudgeSheet):
        return judge.story(event, sheet, zone)
    if isinstance(sheet, ContestantSheet):
        return contestant.story(event, sheet, zone)
    if isinstance(sheet, ResultsSheet):
        return results.story(event, sheet, zone)
    if isinstance(sheet, DiscrepancyReport):
        return discrepancy.story(event, sheet, zone)
    if isinstance(sheet, AppealDossier):
        return appeal.story(event, sheet, zone)
    if isinstance(sheet, EnrolmentCard):
        return enrolment.story(event, sheet, zone)
    if isinstance(sheet, Inventory):
        return inventory.story(event, sheet, zone)
    if isinstance(sheet, BlankForm):
        return form.story(event, sheet, zone)
    raise TypeError(f"not a sheet: {type(sheet).__name__}")


def is_landscape(sheet: Sheet) -> bool:
    return isinstance(sheet, JudgeSheet | ResultsSheet | BlankForm)
