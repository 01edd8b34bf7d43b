"""The head judge's record commands on a real home, while the master that took the sheets
still has the file open (as `serve` would): each command does what its API function does,
and bad input ends with one `error:` line, exit code 2 and nothing written."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from head_judge.cli import main
from sync.event import Event

from .test_actions import Final, close_everything, correct_l13, fixture_final, spread, write_csv
from .test_master import table_counts

D = Decimal


def run(final: Final, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(final.master.home), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def refused(final: Final, *args: str) -> str:
    """The command fails with exit 2, writing nothing, saying why in Chinese then English
    (`错误：…`, then one `error:` line); returns the English line."""
    before = table_counts(final.master.ledger.path)
    code, out, err = run(final, *args)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert lines[0].startswith("错误：") and lines[-1].startswith("error: "), err
    assert sum(line.startswith("error: ") for line in lines) == 1, err
    assert table_counts(final.master.ledger.path) == before
    return lines[-1] + "\n"


def test_flags_reviews_overrides_and_withdrawals(final: Final, event: Event) -> None:
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    [flag] = final.head.flags()
    code, out, _ = run(final, "flags")
    pitch = event.criterion("pitch")
    assert pitch is not None
    assert code == 0 and out.splitlines() == [
        f"{flag.id}\t未处理\tL01：{pitch.name.zh}单项极差 6 > 4，最低 J2，最高 J1（J1 16, J2 10）",
        f"{flag.id}\topen\tL01: {pitch.name.en} spread 6 > 4, lowest J2, highest J1 "
        "(J1 16, J2 10)"]
    code, out, _ = run(final, "flags", "--json")
    assert json.loads(out)[0]["key"] == "L01:criterion_spread:pitch"

    code, out, _ = run(final, "request-review", "J1", "--flag", str(flag.id),
                       "--note", "请核对 check")
    review = int(out.split()[0])  # the entry that asks is the review's id
    assert code == 0 and out.splitlines() == [
        f"{review} 请求复核 L01：请 J1 复核（复核 {review}），关于分歧 {flag.id}：请核对 check",
        f"{review} review requested L01: review {review} asked of J1 about flag {flag.id}: "
        "请核对 check"]
    code, out, _ = run(final, "reviews")
    assert out.splitlines() == [f"{review}\t待答复\tJ1\tL01\t请核对 check",
                                f"{review}\topen\tJ1\tL01\t请核对 check"]
    assert "is still open" in refused(final, "request-review", "J1", "--contestant", "L01",
                                      "--note", "again")
    assert "note for the judge is required" in refused(final, "request-review", "J2",
                                                       "--contestant", "L01")
    assert final.confirm("J1", "L01", review)["status"] == "accepted"
    assert run(final, "reviews")[1] == "没有待答复的复核请求\nno open reviews\n"
    assert "\t确认原分\t" in run(final, "reviews", "--all")[1]
    assert "\tconfirmed\t" in run(final, "reviews", "--all")[1]

    assert "note saying why" in refused(final, "accept-flag", str(flag.id))
    assert run(final, "accept-flag", str(flag.id), "--note", "genuine")[0] == 0
    assert run(final, "flags")[1] == "没有未处理的分歧\nno open flags\n"
    assert run(final, "flags", "--all")[1].splitlines()[1].endswith("\tgenuine")

    assert "reason for the override is required" in refused(
        final, "override", "J2", "L01", "pitch", "11")
    assert "'x' is not a score" in refused(final, "override", "J2", "L01", "pitch", "x",
                                           "--reason", "r")
    code, out, _ = run(final, "override", "J2", "L01", "pitch", "11", "--reason", "paper")
    assert code == 0 and out.splitlines()[1].endswith(
        "L01: J2's Product pitch (revision 1) overridden from 10 to 11: paper")
    assert [o.new for o in final.head.overrides()] == [D(11)]

    assert "reason for the withdrawal" in refused(final, "withdraw-sheet", "J2", "L01")
    assert run(final, "withdraw-sheet", "J2", "L01", "--reason", "ill")[0] == 0
    assert [w.judge for w in final.head.withdrawals()] == ["J2"]


def test_locks_components_ties_and_results(final: Final, tmp_path: Path) -> None:
    final.score("L01")
    final.score("L02")
    assert "no sheet yet from" in refused(final, "lock", "L03")
    assert "reason for a forced lock" in refused(final, "lock", "L03", "--force")
    assert run(final, "lock", "L03", "--force", "--reason", "no-show")[1].splitlines()[0] \
        .endswith("L03：已锁定：no-show（强制锁定，未处理：尚缺 J1, J2, J3, J4, J5 的评分表）")
    assert "L04 is not locked" in refused(final, "unlock", "L04", "--reason", "why")
    assert run(final, "unlock", "L03", "--reason", "arrived late")[0] == 0

    data = write_csv(tmp_path / "data.csv", {"L01": "90", "L02": "90"})
    code, out, _ = run(final, "import-component", "data", str(data), "--preview")
    assert code == 0 and out.splitlines() == [
        "L01\t新增\t— → 90\t尚无值", "L01\tnew\t— → 90\tno value yet",
        "L02\t新增\t— → 90\t尚无值", "L02\tnew\t— → 90\tno value yet",
        "新增 2，修改 0，不变 0，受阻 0；未记录任何内容",
        "2 new, 0 changed, 0 unchanged, 0 blocked; nothing was recorded"]
    assert final.head.components() == {}
    code, out, _ = run(final, "import-component", "data", str(data))
    assert out.startswith("L01\t— → 90\nL02\t— → 90\n")
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    assert out.splitlines()[-1].endswith(f"imported from data.csv (sha256 {digest}), 2 changed")
    assert "changes nothing" in refused(final, "import-component", "data", str(data))
    assert "unknown contestant 'L99'" in refused(
        final, "import-component", "data", str(write_csv(tmp_path / "bad.csv", {"L99": "1"})))

    code, out, _ = run(final, "results", "--json")
    assert code == 0
    assert json.loads(out) == final.head.current_results().to_document()
    assert json.loads(out)["unresolved"][0]["kind"] == "tie_prize"
    assert "no unresolved tie" in refused(final, "decide-tie", "L01", "L03", "--track", "live",
                                          "--kind", "shared", "--reason", "r")
    for scope in ([], ["--track", "live", "--award", "org"]):
        assert "give --track" in refused(final, "decide-tie", "L01", "L02", *scope,
                                         "--kind", "shared", "--reason", "r")
    assert "no organisation award 'org'" in refused(
        final, "decide-tie", "甲", "乙", "--award", "org", "--kind", "shared", "--reason", "r")
    code, out, _ = run(final, "decide-tie", "L02", "L01", "--track", "live", "--kind",
                       "order", "--reason", "抽签 drawn by lot")
    assert code == 0
    code, out, _ = run(final, "results")
    assert code == 0 and "L02" in out and "L01" in out
    assert "--track, --group and --version go with --published" in refused(
        final, "results", "--track", "live")
    assert "nothing has been published yet" in refused(final, "results", "--published")
    assert "cannot publish live: not locked" in refused(final, "publish", "--track", "live")


def test_publish_and_the_published_results(final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    close_everything(final)
    code, out, _ = run(final, "publish", "--track", "live")
    lines = out.splitlines()  # the entries published: the results, then their checkpoint
    assert code == 0 and lines[0].endswith(" 发布结果 直播销售：发布第 1 版结果")
    assert lines[1].endswith(" results published Livestream sales: results version 1 published")
    assert " 签名检查点 覆盖前 " in lines[2] and lines[3].endswith("(publish)")
    published = json.loads(run(final, "results", "--published", "--json")[1])
    live = run(final, "results", "--json")[1]
    [shown] = published.pop("publications")
    assert published == json.loads(live)
    assert (shown["track"], shown["version"], shown["reason"]) == ("live", 1, "")
    table = run(final, "results", "--published")[1]
    assert "L08" in table and "92.96" in table
    assert table.splitlines()[0].startswith("live: 第 1 版 version 1 · ")
    # a second version, and what moved between the two (issue 27)
    correct_l13(final.head)
    code, out, _ = run(final, "publish", "--track", "live", "--reason", "申诉修改")
    moved = out.splitlines()[4:]  # publish says what moved, as --diff does
    assert code == 0 and [line.split("，")[0].split(",")[0] for line in moved] == [
        "  L13：名次 11 → 10", "  L14：名次 10 → 11", "  L13: rank 11 → 10", "  L14: rank 10 → 11"]
    diff = run(final, "results", "--diff", "1", "2", "--track", "live")[1].splitlines()
    assert diff[1].endswith("原因 reason: 申诉修改")
    assert "  L13：名次 11 → 10" in diff[2] and "  L14：名次 10 → 11" in diff[3]
    assert diff[4].startswith("  L13: rank 11 → 10") and diff[5].startswith("  L14: rank 10")
    moved = json.loads(run(final, "results", "--diff", "1", "2", "--track", "live",
                           "--json")[1])
    assert (moved["from"], moved["to"], len(moved["changes"])) == (1, 2, 2)
    assert "live has no version 3; published versions: 1, 2" in refused(
        final, "results", "--diff", "1", "3", "--track", "live")
    assert "--diff needs --track" in refused(final, "results", "--diff", "1", "2")
    assert "version 2 of live already publishes" in refused(final, "publish", "--track",
                                                            "live", "--reason", "again")
    assert "no such published results" in refused(final, "results", "--published",
                                                  "--track", "live", "--version", "3")
    assert "no ranking live/g" in refused(final, "results", "--published", "--track", "live",
                                          "--group", "g")


def test_appeal_commands(final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    close_everything(final)
    run(final, "publish", "--track", "live")
    assert "ground of the appeal" in refused(final, "appeal", "file", "L13", "--filed-by", "x")
    code, out, _ = run(final, "appeal", "file", "L13", "--ground", "integrity misread",
                       "--filed-by", "coach")
    assert code == 0
    appeal_id = out.split()[1]
    listed = run(final, "appeal", "list")[1].splitlines()
    assert listed[0].startswith(f"{appeal_id}\t待裁决\tL13\tcoach\tintegrity misread\t")
    assert listed[1].startswith(f"{appeal_id}\topen\tL13\tcoach")
    code, out, _ = run(final, "appeal", "dossier", appeal_id)
    assert code == 0 and "signature verified" in out and "verified" in out.splitlines()[-1]
    lines = out.splitlines()  # every line in Chinese, then in English
    assert lines[0].startswith(f"申诉 {appeal_id}：L13，coach 于 ") and \
        lines[1].startswith(f"appeal {appeal_id}: L13, filed ")
    assert "当前：第 11 名，最终得分 75.10，奖项 优秀奖" in lines
    assert "  账本第 74 条  J1 第 1 版  总分 60.5  签名有效" in lines
    assert lines[-2].endswith("（发布）已核验") and lines[-1].endswith("(publish) verified")
    document = json.loads(run(final, "appeal", "dossier", appeal_id, "--json")[1])
    assert document["appeal"]["ground"] == "integrity misread"
    assert len(document["revisions"]) == 5
    before = table_counts(final.master.ledger.path)
    code, out, _ = run(final, "appeal", "preview", appeal_id, "--set", "J1:integrity=12")
    assert code == 0 and out.startswith("L13：名次") and "\nL13: rank" in out
    assert table_counts(final.master.ledger.path) == before
    code, _, err = run(final, "appeal", "preview", appeal_id, "--set", "J1-integrity")
    assert code == 2 and "expected JUDGE:CRITERION=VALUE" in err
    assert "reason for the decision" in refused(final, "appeal", "decide", appeal_id,
                                                "upheld")
    assert "needs its correction" in refused(final, "appeal", "decide", appeal_id, "upheld",
                                             "--reason", "paper sheet")
    decided = run(final, "appeal", "decide", appeal_id, "upheld", "--reason", "paper sheet",
                  "--set", "J1:integrity=12")[1]
    assert decided.startswith(f"申诉 {appeal_id}：支持 · appeal {appeal_id} upheld\nL13：")
    assert "head-judge publish --track live" in decided
    assert "already decided" in refused(final, "appeal", "decide", appeal_id, "rejected",
                                        "--reason", "no")
    assert "there is no appeal 9999" in refused(final, "appeal", "dossier", "9999")
    assert "already decided: upheld" in refused(final, "appeal", "withdraw", appeal_id,
                                                "--reason", "too late")
    second = run(final, "appeal", "file", "L05", "--ground", "recount", "--filed-by",
                 "L05")[1].split()[1]
    assert run(final, "appeal", "withdraw", second, "--reason", "选手撤回")[1] == \
        f"申诉 {second}：撤回 · appeal {second} withdrawn\n"
    assert run(final, "appeal", "list")[1].splitlines()[-2:] == [
        f"{second}\t撤回\tL05\tL05\trecount\t计分",
        f"{second}\twithdrawn\tL05\tL05\trecount\tcalculation"]


def test_results_show_honours_and_organisation_awards(tmp_path: Path,
                                                      fixtures_dir: Path) -> None:
    from .awards_final import awards_final

    final = awards_final(tmp_path / "awards", fixtures_dir)
    try:
        document = json.loads(run(final, "results", "--json")[1])
        assert [o["award"] for o in document["organisations"]] == ["organisation", "strongest"]
        assert document["organisations"][0]["ranking"][0] == {
            "rank": 1, "organisation": "青岛大学", "score": "9",
            "contestants": ["I01", "I04", "I07", "V02", "V06"], "awarded": True}
        assert document["scopes"][0]["ranking"][0]["honours"] == ["excellent"]
        close_everything(final)
        for track in ("intl", "site", "video"):
            assert run(final, "publish", "--track", track)[0] == 0
        for args in (("results",), ("results", "--published")):
            code, out, _ = run(final, *args)
            assert code == 0
            assert "荣誉" in out and "优秀项目" in out and "Qualified project" in out, args
            awards = out[out.index("优秀组织奖 Organisation award"):]
            assert "青岛大学" in awards and "获奖 awarded" in awards, args
            assert "88.02" in out[out.index("最佳团队成绩奖 Strongest university"):], args
        published = json.loads(run(final, "results", "--published", "--json")[1])
        assert published["organisations"] == document["organisations"]
    finally:
        final.close()


def test_print_outdated_lists_exactly_the_sheets_that_verify_changed(final: Final,
                                                                     fixtures_dir: Path,
                                                                     tmp_path: Path) -> None:
    """Issue 27: after a new version, `print --outdated` names every printed sheet whose code
    now verifies CHANGED, and no other; `--reprint` prints them again, after which none is."""
    fixture_final(final, fixtures_dir)
    close_everything(final)
    run(final, "publish", "--track", "live")
    printed = run(final, "print", "--sheet", "results", "--sheet", "contestant", "--out",
                  str(tmp_path / "v1"))[1].splitlines()[2:]  # after the zh and en headline
    codes = [line.split()[0] for line in printed]
    assert run(final, "print", "--outdated")[1].splitlines() == [
        "0 份已打印的表与当前记录不符（需重新打印）  0 printed sheet(s) no longer match the "
        "record (reprint them)"]
    correct_l13(final.head)
    run(final, "publish", "--track", "live", "--reason", "appeal 1")
    changed = {code for code in codes
               if "CHANGED" in run(final, "verify", code)[1].splitlines()[1]}
    listed = run(final, "print", "--outdated")[1].splitlines()
    assert {line.split()[0] for line in listed[:-1]} == changed
    assert len(listed) == 2 * len(changed) + 1  # each in Chinese, then in English
    assert all(("  选手成绩表 L" in zh or "  结果公示表 " in zh)
               and ("  contestant sheet L" in en or "  results sheet " in en)
               for zh, en in zip(listed[:-1:2], listed[1:-1:2], strict=True)), listed
    assert len(changed) >= 2 and listed[-1].startswith(f"{len(changed)} 份已打印的表")
    run(final, "print", "--outdated", "--reprint", "--out", str(tmp_path / "v2"))
    assert run(final, "print", "--outdated")[1].startswith("0 份")
    assert "goes with --outdated" in refused(final, "print", "--reprint", "--out", "x")
    assert "printing needs --out DIR" in refused(final, "print")
