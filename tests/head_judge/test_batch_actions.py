"""The head judge's batch actions and imports onto locked contestants: every open flag of a
contestant accepted with one note, every contestant that is complete and clear locked with one
confirmation (one ledger entry each), and a component imported for locked contestants that
had no value yet, with a preview that says row by row what would happen.

Real master files in tmp_path, the livestream fixture (`fixture_final`: every sheet pushed
by its judge's device, the platform data imported). After each batch the tables equal a
rebuild from the ledger; a refusal writes nothing; the CLI says why in one line, exit 2."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from head_judge.actions import ROW_BLOCKED, ROW_CHANGED, ROW_NEW, ROW_UNCHANGED
from head_judge.appeals import dossier, file_appeal
from head_judge.console.ledger_view import LedgerCache
from head_judge.export import summarise
from sync.event import Event

from .test_actions import Final, fixture_final, spread, write_csv
from .test_cli_record import refused, run
from .test_master import dump_projections

D = Decimal


def assert_rebuild_equal(final: Final) -> None:
    stored = dump_projections(final.master.ledger.conn)
    final.master.ledger.rebuild()
    assert dump_projections(final.master.ledger.conn) == stored
    assert final.master.ledger.verify_chain() == []


def flagged(final: Final, event: Event) -> list[int]:
    """L01 with two open flags (pitch spread, and the total spread that follows from it) and
    L02 with one: their ids, L01's first."""
    low = {c.id: D(0) for c in event.criteria}
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01", low)
    final.send("J1", "L02", spread(event, "pitch", D(16)))
    final.send("J2", "L02")
    return [f.id for f in final.head.flags("open")]


# --- accept every open flag of a contestant ---------------------------------------------------


def test_accepting_every_open_flag_of_a_contestant_is_one_entry(final: Final,
                                                                event: Event) -> None:
    flagged(final, event)
    head = final.head
    l01 = [f.id for f in head.flags("open", "L01")]
    l02 = [f.id for f in head.flags("open", "L02")]
    assert len(l01) >= 2 and len(l02) == 1
    final.refused(lambda: head.accept_flags("L01", "  "), "note .* is required")
    final.refused(lambda: head.accept_flags("L99", "ok"), "no contestant 'L99'")
    final.refused(lambda: head.accept_flags("L03", "ok"), "L03 has no open flag")
    final.refused(lambda: head.accept_flags("L01", "ok", l01[:1]),
                  "the open flags of L01 changed")
    before = final.last()
    assert head.accept_flags("L01", "两位评委看法确有不同 a genuine difference", l01) == l01
    [entry] = final.master.ledger.entries(before)
    assert (entry.kind, entry.actor) == ("flags_accepted", "head-judge")
    assert entry.payload == {"contestant": "L01", "flags": l01,
                             "note": "两位评委看法确有不同 a genuine difference"}
    assert [(f.id, f.status, f.note, f.accepted_seq) for f in head.flags(contestant="L01")] \
        == [(i, "accepted", "两位评委看法确有不同 a genuine difference", entry.seq) for i in l01]
    assert [f.id for f in head.flags("open")] == l02  # another contestant's flag stays open
    assert not any(b.startswith("flag") for b in head.lock_blockers("L01"))
    final.refused(lambda: head.accept_flags("L01", "again"), "L01 has no open flag")
    assert_rebuild_equal(final)
    # every reader of the ledger says what it holds
    assert "flags " + ", ".join(map(str, l01)) in summarise(entry, "en")
    cache = LedgerCache(final.master)
    cache.update()
    assert cache.contestants_of(entry) == {"L01"}
    assert cache.describe(entry, "zh").startswith("L01 的分歧 ")
    appeal = file_appeal(head, "L01", "the flags", "coach")
    [line] = [h.summary for h in dossier(head, appeal.id).history if h.seq == entry.seq]
    assert line.startswith("flags ") and "accepted together" in line


# --- lock every contestant that is complete and clear -----------------------------------------


def test_locking_every_contestant_ready_is_one_entry(final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    head = final.head
    held = {f.contestant for f in head.flags("open")}
    assert held == {"L05"}
    ready = head.ready_to_lock()
    assert "L05" not in ready and "L18" not in ready  # open flags; a no-show's missing sheets
    assert ready == [c.id for c in sorted(final.event.contestants, key=lambda c: c.order)
                     if c.id not in ("L05", "L18")]
    final.refused(lambda: head.lock_ready(contestants=["L01", "L05"]), "cannot lock L05: flag")
    final.refused(lambda: head.lock_ready(contestants=["L01", "L99"]), "no contestant 'L99'")
    before = final.last()
    assert head.lock_ready("比赛结束 scoring over") == ready
    [entry] = final.master.ledger.entries(before)
    assert (entry.kind, entry.actor) == ("contestants_locked", "head-judge")
    assert entry.payload == {"contestants": ready, "reason": "比赛结束 scoring over"}
    locks = head.locks()
    assert sorted(locks) == sorted(ready)
    assert {(r.ledger_seq, r.reason) for r in locks.values()} == {(entry.seq,
                                                                  "比赛结束 scoring over")}
    # the locks hold as a single lock's do: no sheet, and terminals are told contestant by
    # contestant
    result = final.send("J1", "L01", spread(final.event, "pitch", D(11)), reason="late")
    assert (result["status"], result["code"]) == ("rejected", "locked")
    notices = final.master.pull(final.terminals["J3"].pull(), final.clock())["notices"]
    assert [n["payload"]["contestant"] for n in notices if n["kind"] == "lock"] == ready
    final.refused(lambda: head.lock_ready(), "no contestant is ready to lock")
    final.refused(lambda: head.lock_ready(contestants=["L01"]), "L01 is already locked")

    head.accept_flags("L05", "genuine")  # L05 is now clear: the next batch is L05 alone
    assert head.lock_ready() == ["L05"]
    assert "L18" not in head.locks()
    assert_rebuild_equal(final)
    # the scores that follow: every contestant locked has the ranking it had
    results = head.current_results()
    ranked = {s.contestant for scope in results.scopes for s in scope.ranking}
    assert set(ready) | {"L05"} <= ranked
    cache = LedgerCache(final.master)
    cache.update()
    assert cache.contestants_of(entry) == set(ready)
    assert cache.describe(entry, "en").startswith("L01, L02")
    assert summarise(entry, "zh").endswith("：比赛结束 scoring over")
    appeal = file_appeal(head, "L03", "lock", "coach")
    assert any(h.seq == entry.seq and "locked as complete and clear" in h.summary
               for h in dossier(head, appeal.id).history)


def test_complete_counts_recusals_and_withdrawals(final: Final, event: Event) -> None:
    """A panel less a withdrawn judge is complete; a missing sheet is not."""
    contestant = event.contestant("L01")
    assert contestant is not None
    panel = [j.id for j in event.panel_for(contestant)]
    for judge in panel[:-1]:
        final.send(judge, "L01")
    assert "L01" not in final.head.ready_to_lock()
    final.head.withdraw_sheet(panel[-1], "L01", "评委缺席 absent")
    assert "L01" in final.head.ready_to_lock()


# --- a component imported onto locked contestants ---------------------------------------------


def test_an_empty_value_of_a_locked_contestant_imports_a_change_is_blocked(
        final: Final, tmp_path: Path) -> None:
    head = final.head
    final.score("L01")
    final.score("L02")
    head.import_components("data", write_csv(tmp_path / "first.csv", {"L02": "70"}))
    assert head.lock_ready() == ["L01", "L02"]
    head.lock("L03", force=True, reason="缺考 did not compete")

    # the platform's file at the end: L01 and L03 locked with no value yet, L02 locked with
    # the same value, L04 open with none
    late = write_csv(tmp_path / "late.csv", {"L01": "95.57", "L02": "70", "L03": "0",
                                             "L04": "65.93"})
    preview = head.preview_components("data", late)
    assert [(r.contestant, r.status, r.locked) for r in preview.rows] == [
        ("L01", ROW_NEW, True), ("L02", ROW_UNCHANGED, True), ("L03", ROW_NEW, True),
        ("L04", ROW_NEW, False)]
    assert preview.blockers == [] and not preview.needs_reason
    assert preview.rows[0].why() == "locked, but no value yet: may be imported"
    imported = head.import_components("data", late)
    assert [c.contestant for c in imported.changes] == ["L01", "L03", "L04"]
    assert head.components()["data"] == {"L01": D("95.57"), "L02": D(70), "L03": D(0),
                                         "L04": D("65.93")}
    assert set(head.locks()) == {"L01", "L02", "L03"}  # still locked

    # a corrected file: a change on a locked contestant is blocked, on an open one needs a
    # reason; the preview says so before anything is confirmed
    fixed = write_csv(tmp_path / "fixed.csv", {"L01": "96", "L02": "70", "L04": "66"})
    preview = head.preview_components("data", fixed)
    assert [(r.contestant, r.status) for r in preview.rows] == [
        ("L01", ROW_BLOCKED), ("L02", ROW_UNCHANGED), ("L04", ROW_CHANGED)]
    assert preview.rows[0].why() == "locked: unlock it first to change it"
    assert preview.rows[0].why().render("zh") == "已锁定：先解锁才能修改"
    assert preview.blockers == ["L01 is locked; unlock it first to change its data value "
                                "(95.57 → 96)"]
    refusal = final.refused(lambda: head.import_components("data", fixed, reason="平台更正"),
                            "cannot import fixed.csv: L01 is locked")
    assert "\n" not in str(refusal)
    only_open = write_csv(tmp_path / "open.csv", {"L04": "66"})
    assert head.preview_components("data", only_open).needs_reason
    final.refused(lambda: head.import_components("data", only_open),
                  "reason for changing imported values \\(L04 65.93 → 66\\)")
    head.import_components("data", only_open, reason="平台更正 platform corrected")
    head.unlock("L01", "平台更正 platform corrected")
    assert head.preview_components("data", fixed).of(ROW_CHANGED)[0].contestant == "L01"
    head.import_components("data", fixed, reason="平台更正 platform corrected")
    assert head.components()["data"]["L01"] == D(96)
    assert_rebuild_equal(final)


# --- the commands -----------------------------------------------------------------------------


def test_batch_commands(final: Final, event: Event, tmp_path: Path) -> None:
    flagged(final, event)
    l01 = [f.id for f in final.head.flags("open", "L01")]
    assert "there is no contestant 'L99'" in refused(final, "accept-flags", "L99", "--note", "x")
    assert "L03 has no open flag" in refused(final, "accept-flags", "L03", "--note", "x")
    assert "note saying why the flags are accepted" in refused(final, "accept-flags", "L01")
    code, out, _ = run(final, "accept-flags", "L01", "--dry-run")
    assert code == 0 and out.splitlines()[-2:] == [
        f"将接受 L01 的 {len(l01)} 个分歧；未记录任何内容",
        f"{len(l01)} flag(s) of L01 would be accepted; nothing was recorded"]
    listed = [line.split("\t") for line in out.splitlines()[:-2]]  # Chinese, then English
    assert [int(row[0]) for row in listed] == [i for i in l01 for _lang in ("zh", "en")]
    assert all(row[1].startswith("L01：") for row in listed[::2])
    assert all(row[1].startswith("L01: ") for row in listed[1::2])
    assert final.head.flags("open", "L01")
    code, out, _ = run(final, "accept-flags", "L01", "--note", "genuine")
    ids = ", ".join(map(str, l01))  # what the ledger now holds, in both languages
    assert code == 0 and out.splitlines()[0].endswith(f"L01 的分歧 {ids} 一并接受：genuine")
    assert out.splitlines()[1].endswith(f"flags {ids} of L01 accepted together: genuine")
    assert [f.id for f in final.head.flags(contestant="L01") if f.status == "accepted"] \
        == l01

    for judge in ("J3", "J4", "J5"):
        final.send(judge, "L01")
    if final.head.flags("open", "L01"):  # the rest of the panel may raise another
        final.head.accept_flags("L01", "genuine")
    code, out, _ = run(final, "lock-ready", "--dry-run")
    assert code == 0 and out.splitlines()[:2] == ["L01\t可以锁定", "L01\tready"]
    assert out.splitlines()[2].startswith("L02\t不能锁定：尚缺 J3, J4, J5 的评分表；分歧")
    assert out.splitlines()[3].startswith("L02\tnot ready: no sheet yet from J3, J4, J5; flag")
    assert out.splitlines()[-2:] == ["将锁定 1 名选手；未记录任何内容",
                                     "1 contestant(s) would be locked; nothing was recorded"]
    assert "there is no contestant 'L99'" in refused(final, "lock-ready", "L99")
    assert "cannot lock L02" in refused(final, "lock-ready", "L01", "L02")
    code, out, _ = run(final, "lock-ready", "--reason", "done")
    assert code == 0 and out.splitlines()[0].endswith(" 批量锁定 L01 完整且无分歧，一并锁定：done")
    assert "no contestant is ready to lock" in refused(final, "lock-ready")

    data = write_csv(tmp_path / "data.csv", {"L01": "90", "L02": "80"})
    code, out, _ = run(final, "import-component", "data", str(data), "--preview")
    assert out.splitlines()[:2] == ["L01\t新增\t— → 90\t已锁定，但尚无值：可以导入",
                                    "L01\tnew\t— → 90\tlocked, but no value yet: may be imported"]
    assert run(final, "import-component", "data", str(data))[0] == 0
    again = write_csv(tmp_path / "again.csv", {"L01": "91", "L02": "80"})
    code, out, _ = run(final, "import-component", "data", str(again), "--preview")
    assert code == 0 and out.splitlines() == [
        "L01\t受阻\t90 → 91\t已锁定（done）：先解锁才能修改",
        "L01\tblocked\t90 → 91\tlocked (done): unlock it first to change it",
        "L02\t不变\t80 → 80\t与已记录的值相同",
        "L02\tunchanged\t80 → 80\tsame as recorded",
        "新增 0，修改 0，不变 1，受阻 1；未记录任何内容",
        "0 new, 0 changed, 1 unchanged, 1 blocked; nothing was recorded",
        "1 行受阻，不能导入：先解锁这些选手，或从文件中删去这些行",
        "1 row(s) blocked, nothing can be imported: unlock those contestants first, or remove "
        "those rows from the file"]
    assert "cannot import again.csv: L01 is locked (done)" in refused(
        final, "import-component", "data", str(again), "--reason", "fix")
