"""Printed sheets a notary signs and anyone can verify later (docs/printouts.md).

Receives plain data (`printouts.model`) and the event, returns PDF bytes (A4, fonts
embedded, deterministic). Every page carries a sheet code and a QR code binding the sheet's
content to a master-signed ledger checkpoint (`printouts.sheet_code`). Imports only `sync`
and third-party packages; knows nothing of the ledger or of scoring.
"""

from typing import Any

from .changes import describe_changes
from .content import sheet_content, tie_notes
from .model import (
    AppealDecision,
    AppealDossier,
    AppealNote,
    BlankForm,
    CheckpointRef,
    ContestantSheet,
    DiscrepancyReport,
    EnrolmentCard,
    Flag,
    HistoryEntry,
    Imprint,
    Inventory,
    InventoryLine,
    JudgeSheet,
    OrganisationPlace,
    OrganisationTable,
    Override,
    Placing,
    ResultsSheet,
    Revision,
    Scope,
    ScoreSheet,
    Sheet,
    organisations_from,
    results_from,
)
from .sheet_code import (
    Checkpoint,
    CheckpointError,
    QrVerdict,
    compute_sheet_code,
    parse_checkpoint,
    parse_sheet_code,
    sheet_digest,
    sign_checkpoint,
    verify_qr_payload,
)

__all__ = [
    "AppealDecision",
    "AppealDossier",
    "AppealNote",
    "BlankForm",
    "Checkpoint",
    "CheckpointError",
    "CheckpointRef",
    "ContestantSheet",
    "DiscrepancyReport",
    "EnrolmentCard",
    "Flag",
    "HistoryEntry",
    "Imprint",
    "Inventory",
    "InventoryLine",
    "JudgeSheet",
    "OrganisationPlace",
    "OrganisationTable",
    "Override",
    "Placing",
    "PrintedSheet",
    "QrVerdict",
    "ResultsSheet",
    "Revision",
    "Scope",
    "ScoreSheet",
    "Sheet",
    "compute_sheet_code",
    "describe_changes",
    "organisations_from",
    "page_counts",
    "parse_checkpoint",
    "parse_sheet_code",
    "prepare",
    "qr_payloads_of_pdf",
    "render",
    "render_pack",
    "results_from",
    "sheet_content",
    "sheet_digest",
    "sign_checkpoint",
    "tie_notes",
    "verify_qr_payload",
]


_DRAWING = frozenset(("PrintedSheet", "page_counts", "prepare", "qr_payloads_of_pdf", "render",
                      "render_pack"))


def __getattr__(name: str) -> Any:
    """The drawing names (`printouts.printing`, which loads ReportLab), on first use: a
    command's `--help` or a sheet code's check needs no fonts."""
    if name in _DRAWING:
        from . import printing
        return getattr(printing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
