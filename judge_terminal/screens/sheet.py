"""The score sheet of one contestant: one field per criterion, checked as typed, a live
total, an optional comment; drafts autosave on every change.

F2 (or Ctrl+S, or Enter on the comment) shows every value and the total for confirmation;
only once `TerminalStore.submit_sheet` has committed does the sheet say "saved". A submitted
sheet is read-only until E, which asks for a reason and makes a signed revision. A locked or
recused contestant, or one the head judge excused this judge's seat for, is read-only. What
the master refused is shown here in plain words with what to do.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from sync.event import Contestant
from sync.records import MAX_COMMENT
from sync.store import StoredRecord, StoreError

from ..model import ReviewRequest, Sheets, check_sheet, shown
from ..widgets import judge_app
from ..widgets.key_bar import Key, KeyBar
from ..widgets.notice_line import NoticeLine
from ..widgets.score_field import ScoreField
from ..widgets.status_bar import StatusBar
from ..widgets.title_bar import TitleBar
from ..widgets.total_line import TotalLine
from ..words import contestant_name, say
from .base import JudgeScreen

Mode = Literal["edit", "submitted", "locked", "recused", "excused"]

EDIT_KEYS: list[Key] = [("F2", "screen.submit", "key_submit"), ("Tab", "app.focus_next",
                                                                 "key_move"),
                        ("Esc", "screen.back", "key_back_queue"),
                        ("F4", "app.toggle_language", "key_language"),
                        ("?", "app.help", "key_help")]
SUBMITTED_KEYS: list[Key] = [("E", "screen.correct", "key_correct"),
                             ("Esc", "screen.back", "key_back_queue"),
                             ("F4", "app.toggle_language", "key_language"),
                             ("?", "app.help", "key_help")]
READ_ONLY_KEYS: list[Key] = [("Esc", "screen.back", "key_back_queue"),
                             ("F4", "app.toggle_language", "key_language"),
                             ("?", "app.help", "key_help")]
REVIEW_KEY: Key = ("R", "screen.review", "key_reviews")

REJECTIONS = {"locked": "rej_locked", "recused": "rej_recused",
              "out_of_rubric": "rej_out_of_rubric", "bad_revision": "rej_bad_revision",
              "withdrawn": "rej_withdrawn", "excused": "rej_excused"}


class SheetScreen(JudgeScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        # not priority: F2 reaches the screen through the focused field, after the keys typed
        # before it, so the sheet submitted is the sheet typed
        Binding("f2,ctrl+s", "submit", show=False),
        # priority: handled as the key arrives, so digits typed right after Enter or Tab
        # already go to the next field
        Binding("enter", "enter", show=False, priority=True),
        Binding("tab", "move(1)", show=False, priority=True),
        Binding("shift+tab", "move(-1)", show=False, priority=True),
        Binding("escape", "back", show=False),
        Binding("e", "correct", show=False),
        Binding("r", "review", show=False),
    ]

    def __init__(self, contestant: str, *, review: ReviewRequest | None = None) -> None:
        super().__init__()
        found = judge_app(self).event.contestant(contestant)
        if found is None:
            raise ValueError(f"no contestant {contestant}")
        self.contestant: Contestant = found
        self.mode: Mode = "edit"
        self.reason: str | None = None
        self.saved: StoredRecord | None = None
        self._revise = review
        self._loading = False
        self._typed = False
        """Something was typed since the sheet opened (a draft now exists)."""
        self._note: str | None = None
        self._asked = False
        """F2 found fields missing or wrong: say which until they are fixed."""

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Static(id="sheet-head")
        with Horizontal(id="sheet-cols"):
            yield Label("", classes="marker")
            yield Label("", id="col-criterion", classes="name")
            yield Label("", id="col-score", classes="score")
            yield Label("", id="col-max", classes="max")
            yield Label("", id="col-step", classes="step")
            yield Label("", id="col-check", classes="check")
        with VerticalScroll(id="criteria"):
            for criterion in self.japp.event.criteria:
                yield ScoreField(criterion)
            with Horizontal(id="comment-row"):
                yield Label("", classes="marker")
                yield Label("", id="comment-label")
                yield Input(id="comment", compact=True, max_length=MAX_COMMENT)
        yield TotalLine(id="total")
        yield Static(id="sheet-message")
        yield NoticeLine(id="notice")
        yield StatusBar(id="status")
        yield KeyBar(id="keys")

    @property
    def fields(self) -> list[ScoreField]:
        return list(self.query(ScoreField))

    def texts(self) -> dict[str, str]:
        return {f.criterion.id: f.text for f in self.fields}

    @property
    def comment(self) -> str:
        return self.query_one("#comment", Input).value

    # --- loading ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.load()
        self.relabel()
        if self._revise is not None:
            review, self._revise = self._revise, None
            self.call_after_refresh(self.start_correction, review)

    def _mine(self) -> Sheets | None:
        return self.japp.queue().sheets.get(self.contestant.id)

    def load(self) -> None:
        """Fill the sheet from the store: a draft, a rejected sheet to fix, the submitted
        sheet, or nothing yet."""
        app = self.japp
        queue = app.queue()
        row = queue.row(self.contestant.id)
        mine = self._mine()
        draft = app.store.draft(self.contestant.id)
        current = mine.current if mine is not None else None
        rejected = mine.rejected if mine is not None else None
        values: dict[str, str] = {}
        comment = ""
        self._note = None
        if draft is not None:
            values, comment = dict(draft.values), draft.comment
            self._note = say("msg_draft_restored", app.lang,
                             time=app.local_time(draft.updated_at, "%H:%M"))
        elif rejected is not None:
            sheet = rejected.sheet
            values = {k: shown(v) for k, v in sheet.values.items()}
            comment = sheet.comment
        elif current is not None:
            sheet = current.sheet
            values = {k: shown(v) for k, v in sheet.values.items()}
            comment = sheet.comment
        status = row.status if row is not None else "to_score"
        if status in ("recused", "locked", "excused"):
            self.mode = status
        elif draft is None and rejected is None and current is not None:
            self.mode = "submitted"
        else:
            self.mode = "edit"
        self._loading = True
        try:
            for field in self.fields:
                field.set_text(values.get(field.criterion.id, ""))
            comment_input = self.query_one("#comment", Input)
            with comment_input.prevent(Input.Changed):
                comment_input.value = comment
        finally:
            self._loading = False
        self._apply_mode()

    def _apply_mode(self) -> None:
        editable = self.mode == "edit"
        for field in self.fields:
            field.set_editable(editable)
        comment = self.query_one("#comment", Input)
        comment.disabled = not editable
        comment.placeholder = "________________" if editable else ""
        if editable:
            first = next((f for f in self.fields if f.check.state != "ok"), self.fields[0])
            first.input.focus()
        else:
            self.set_focus(None)
        self.show_state()

    # --- words --------------------------------------------------------------------------------

    def relabel(self) -> None:
        lang = self.japp.lang
        for key in ("criterion", "score", "max", "step", "check"):
            self.query_one(f"#col-{key}", Label).update(say(f"col_{key}", lang))
        self.query_one("#comment-label", Label).update(say("comment", lang))
        self.show_state()

    def refresh_data(self) -> None:
        """Receipts, rejections, locks and reviews change what is shown; a sheet being
        typed keeps its values unless the contestant was locked meanwhile."""
        row = self.japp.queue().row(self.contestant.id)
        status = row.status if row is not None else "to_score"
        if self.mode == "edit" and status not in ("locked", "recused", "excused"):
            self.show_state()
            return
        self.load()

    def show_state(self) -> None:
        app = self.japp
        lang = app.lang
        c = self.contestant
        row = app.queue().row(c.id)
        state = row.status if row is not None else "to_score"
        if state == "to_score" and self._typed:
            state = "draft"
        status = say(f"st_{state}", lang)
        stage = ">> " if row is not None and row.on_stage else ""
        head = f"{stage}{c.order}  {c.id}  {contestant_name(app.event, c, lang)}" + (
            f"  · {c.organisation}" if c.organisation else "")
        if c.members:
            head += "  · " + say("members", lang, members=c.members)
        self.query_one("#sheet-head", Static).update(f"{head}\n{status.strip()}")
        self.query_one(TotalLine).show(check_sheet(app.event, self.texts()), app.event, lang,
                                       editable=self.mode == "edit")
        self.query_one("#sheet-message", Static).update("\n".join(self.messages(lang)))
        keys = {"edit": EDIT_KEYS, "submitted": SUBMITTED_KEYS}.get(self.mode, READ_ONLY_KEYS)
        if row is not None and row.reviews and self.mode != "edit":
            keys = [*keys[:1], REVIEW_KEY, *keys[1:]]
        self.query_one(KeyBar).set_keys(keys)

    def messages(self, lang: str) -> list[str]:
        app = self.japp
        queue = app.queue()
        mine = self._mine()
        row = queue.row(self.contestant.id)
        out: list[str] = []
        state = app.sync_state
        if state is not None and state.error_code in ("revoked_device", "unknown_device",
                                                      "bad_signature"):
            out.append("! " + say("revoked" if state.error_code == "revoked_device"
                                  else "unknown_device", lang))
        out.extend(self.problems(lang))
        if self.mode == "recused":
            out.append(say("msg_recused", lang))
        if self.mode == "locked":
            reason = queue.board.locks.get(self.contestant.id, "")
            shown_reason = "" if not reason else f"（{reason}）" if lang == "zh" else f" ({reason})"
            out.append(say("msg_locked", lang, reason=shown_reason))
        excused = queue.board.excused_reason(self.contestant.id)
        if self.mode == "excused" and excused is not None:
            out.append(say("msg_excused", lang, reason=excused))
        withdrawn = queue.board.withdrawn.get(self.contestant.id)
        if withdrawn is not None:
            out.append(say("msg_withdrawn", lang, reason=withdrawn))
        rejected = mine.rejected if mine is not None else None
        if rejected is not None:
            code = rejected.rejected_code or ""
            out.append(say("rej_title", lang, revision=rejected.revision) + " "
                       + say(REJECTIONS.get(code, "rej_other"), lang))
            if rejected.rejected_reason:
                out.append("  " + say("rej_reason", lang, reason=rejected.rejected_reason))
        if row is not None and row.reviews and self.mode != "edit":
            out.append(say("msg_review_open", lang))
        current = mine.current if mine is not None else None
        if self.saved is not None and current is not None and current.hash == self.saved.hash:
            key = "msg_saved_synced" if current.receipted else "msg_saved"
            out.append(say(key, lang, revision=current.revision,
                           total=shown(current.sheet.total)))
        elif self.mode == "submitted" and current is not None:
            out.append(say("msg_submitted", lang, revision=current.revision,
                           state=say("state_synced" if current.receipted else "state_waiting",
                                     lang)))
        if self.mode == "edit" and self.reason:
            out.append(say("msg_correcting", lang, reason=self.reason))
        if self._note and self.mode == "edit":
            out.append(self._note)
        return out

    def problems(self, lang: str) -> list[str]:
        """After F2 found the sheet incomplete: what is still missing or wrong, as it stands
        now (nothing once fixed, so an old error line never outlives its cause)."""
        if not self._asked or self.mode != "edit":
            return []
        app = self.japp
        check = check_sheet(app.event, self.texts())
        sep = "、" if lang == "zh" else ", "
        lines = [say(key, lang, names=sep.join(c.name.get(lang) for c in app.event.criteria
                                               if c.id in ids))
                 for key, ids in (("msg_fix", check.bad), ("msg_fill_all", check.missing))
                 if ids]
        self._asked = bool(lines)
        return lines

    # --- typing -------------------------------------------------------------------------------

    def on_score_field_changed(self, _event: ScoreField.Changed) -> None:
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "comment":
            self._changed()

    def _changed(self) -> None:
        if self._loading or self.mode != "edit":
            return
        app = self.japp
        self.query_one(TotalLine).show(check_sheet(app.event, self.texts()), app.event,
                                       app.lang)
        self.saved = None
        app.store.save_draft(self.contestant.id, self.texts(), self.comment, now=app.clock())
        if not self._typed:
            self._typed = True
            self.show_state()
        elif self._asked:  # the error lines follow the fields as they are fixed
            self.query_one("#sheet-message", Static).update("\n".join(self.messages(app.lang)))

    def action_enter(self) -> None:
        """Enter moves to the next field; on the comment it submits (through the comment
        field, after what was typed into it)."""
        focused = self.focused
        if focused is None or (isinstance(focused, Input) and focused.id == "comment"):
            raise SkipAction()
        self.focus_next()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "comment":
            self.action_submit()

    def action_move(self, step: int) -> None:
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    # --- submitting ---------------------------------------------------------------------------

    def action_submit(self) -> None:
        app = self.japp
        lang = app.lang
        if self.mode != "edit":
            self.action_correct() if self.mode == "submitted" else self.show_state()
            return
        check = check_sheet(app.event, self.texts())
        if not check.complete:
            self._asked = True
            self.query_one("#sheet-message", Static).update("\n".join(self.messages(lang)))
            wrong = check.bad or check.missing
            for field in self.fields:
                if field.criterion.id == wrong[0]:
                    field.input.focus()
            return
        needs_reason = app.store.current_sheet(self.contestant.id) is not None
        if needs_reason and not self.reason:
            self._ask_reason(then_confirm=True)
            return
        self._confirm(check.values())

    def _confirm(self, values: dict[str, Decimal]) -> None:
        from .confirm import ConfirmScreen

        def done(ok: bool | None) -> None:
            if ok:
                self._save(values)

        self.app.push_screen(ConfirmScreen(self.contestant, values, self.comment.strip(),
                                           self.reason), done)

    def _save(self, values: dict[str, Decimal]) -> None:
        app = self.japp
        try:
            saved = app.store.submit_sheet(self.contestant.id, values, self.comment.strip(),
                                           self.reason, now=app.clock())
        except StoreError as exc:
            self.query_one("#sheet-message", Static).update(
                say("msg_store_refused", app.lang, reason=exc.reason))
            return
        self.saved = saved
        self.reason = None
        self._asked = False
        app.wake_sync()
        app.bump()  # the queue is read again
        self.load()

    # --- corrections and reviews --------------------------------------------------------------

    def action_correct(self) -> None:
        if self.mode == "submitted":
            self._ask_reason(then_confirm=False)
        else:
            self.show_state()

    def start_correction(self, review: ReviewRequest | None = None) -> None:
        """Begin correcting the submitted sheet (asked for by a review, or by E)."""
        if self.mode == "submitted":
            self._ask_reason(then_confirm=False, review=review)
        elif self.mode == "edit":
            self._apply_mode()

    def _ask_reason(self, *, then_confirm: bool, review: ReviewRequest | None = None) -> None:
        from .reason import ReasonScreen

        def given(reason: str | None) -> None:
            if not reason:
                return
            self.reason = reason
            if then_confirm:
                self.action_submit()
                return
            self.mode = "edit"
            self.saved = None
            self._apply_mode()

        self.app.push_screen(ReasonScreen(review), given)

    def action_review(self) -> None:
        row = self.japp.queue().row(self.contestant.id)
        if row is not None and row.reviews:
            self.japp.open_review(row.reviews[0])

    def action_back(self) -> None:
        app = self.japp
        if self.mode == "edit":
            current = app.store.current_sheet(self.contestant.id)
            draft = app.store.draft(self.contestant.id)
            if current is not None and draft is not None:
                check = check_sheet(app.event, draft.values)
                if check.complete and check.values() == dict(current.sheet.values) \
                        and draft.comment.strip() == current.sheet.comment:
                    app.store.discard_draft(self.contestant.id)  # nothing was corrected
            app.bump()
        self.app.pop_screen()
