"""Printed sheets a notary signs and anyone can verify later (DESIGN.md §4 "Sheet codes").

Receives plain data (`printouts.model`) and the event, returns PDF bytes (A4, fonts
embedded, deterministic). Every page carries a sheet code and a QR code binding the sheet's
content to a master-signed ledger checkpoint (`printouts.sheet_code`). Imports only `sync`
and third-party packages; knows nothing of the ledger or of scoring.
"""

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
    Override,
    Placing,
    ResultsSheet,
    Revision,
    Scope,
    ScoreSheet,
    Sheet,
    results_from,
)
from .printing import PrintedSheet, page_counts, prepare, qr_payloads_of_pdf, render, render_pack
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
