"""The review on real packages: scanned by the scan service, then changed and re-scanned."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer.cli import cli
from reviewer.service import review as R
from reviewer.service.scan import scan

SAMPLE = "zh-data-structures"
ADVERT_SRT = "transcripts/第01讲-绪论与算法分析.srt"
ADVERT = "需要代刷网课的同学加微信 shuake_2025，代看视频代做作业，期末稳过。"
NOTES = "notes/课程笔记.md"


@pytest.fixture
def package(samples_dir, tmp_path) -> Path:
    src = samples_dir / SAMPLE
    if not src.is_dir():
        pytest.skip("sample course not present")
    dst = tmp_path / SAMPLE
    shutil.copytree(src, dst)
    return dst


def _dispose_errors(db, path):
    for f in R.review_status(db, path).findings:
        if f.severity == "error" and f.disposition is None:
            R.dispose_finding(db, path, f.id, "accepted", "示例数据，已与课程团队确认")


def test_review_of_a_scanned_sample_through_to_recommend(db, package):
    outcome = scan(db, package)
    status = R.review_status(db, package)
    assert status.digest == outcome.package.digest
    assert {f.id for f in status.findings} == {f.id for f in outcome.findings}
    pii = {f.id for f in outcome.findings if f.check == "pii"}
    assert pii and set(status.item("Q5").evidence) == pii
    # the manifest's facts show with their items
    q1 = {f.label: f for f in status.item("Q1").facts}
    assert q1["responsible_teacher"].met is True
    q6 = status.item("Q6").facts[0]
    assert (q6.value, q6.met) == (3, True)

    _dispose_errors(db, package)  # the evidence first: a pass over open errors needs confirming
    for item in status.items:
        R.answer_item(db, package, item.id, "pass")
    assert R.review_status(db, package).blockers == []
    assert R.decide(db, package, "recommend").decision == "recommend"


def test_carry_over_across_a_rescanned_changed_package(db, package):
    scan(db, package)
    first = R.review_status(db, package)
    _dispose_errors(db, package)
    for item in first.items:
        R.answer_item(db, package, item.id, "pass")
    R.decide(db, package, "recommend")
    wechat = [f for f in first.findings if f.file == ADVERT_SRT and f.check == "pii"]
    assert wechat, "the seeded WeChat id should be a pii finding"

    # The course team removes the advert and adds a phone number to the notes.
    srt = package / ADVERT_SRT
    srt.write_text(srt.read_text(encoding="utf-8").replace(ADVERT, "下面进入本讲小结。"),
                   encoding="utf-8")
    notes = package / NOTES
    notes.write_text(notes.read_text(encoding="utf-8") + "\n- 助教电话 13912345678\n",
                     encoding="utf-8")
    outcome = scan(db, package)
    second = R.review_status(db, package)

    assert second.digest == outcome.package.digest != first.digest
    assert second.carried_from == first.review_id and second.decision is None
    ids = {f.id for f in second.findings}
    assert not ids & {f.id for f in wechat}
    new = [f for f in second.findings if f.new]
    assert new and all(f.file == NOTES and f.disposition is None for f in new)
    assert any("13912345678" in f.match for f in new)
    kept = [f for f in second.findings if f.id in {g.id for g in first.findings}]
    assert kept and all(f.disposition == "accepted" and f.carried for f in kept
                        if f.severity == "error")
    recheck = {i.id for i in second.items if i.needs_recheck}
    assert {"Q5", "A1", "P6"} <= recheck
    assert "Q1" not in recheck and "Q6" not in recheck  # manifest unchanged
    kinds = {b.kind for b in second.blockers}
    assert kinds == {"item-recheck", "finding-undisposed"}

    # Via the command line: status shows the carried review; answering clears rechecks.
    runner = CliRunner()
    dbfile = db.conn.execute("PRAGMA database_list").fetchone()[2]
    r = runner.invoke(cli, ["--db", dbfile, "review", "status", str(package), "--format", "json"],
                      obj={})
    data = json.loads(r.stdout)
    assert data["carried_from"] == first.review_id
    assert sorted(i["id"] for i in data["items"] if i["needs_recheck"]) == sorted(recheck)
    _dispose_errors(db, package)
    for item_id in recheck:
        assert runner.invoke(cli, ["--db", dbfile, "review", "answer", str(package), item_id,
                                   "pass"], obj={}).exit_code == 0
    assert R.review_status(db, package).blockers == []
