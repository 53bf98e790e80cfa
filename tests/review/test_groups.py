"""Disposing of a group of findings at once: service, carry-over and ``review dispose --group``."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from reviewer.checks.groups import group_id
from reviewer.checks.model import finding_at
from reviewer.cli import cli
from reviewer.ingest.model import Locator, Segment
from reviewer.paths import schemas_dir
from reviewer.review.errors import ReviewError
from reviewer.service import review as svc
from tests.review.review_helpers import FILES

EMAIL = "zhang.wei@163.com"


def occurrence(n: int, text: str = EMAIL, *, file: str | None = None):
    """``text`` on handout ``n`` (a finding found in text, so it has a context)."""
    seg = Segment(file or f"handouts/h{n:02d}.pdf", 0, Locator(page=1 + n % 4),
                  f"课程答疑：{text}（请勿外传）")
    start = seg.text.index(text)
    return finding_at(seg, start, start + len(text), check="pii", rule="email", category="pii",
                      severity="error", message={"zh": "个人邮箱", "en": "personal e-mail"})


def emails(n: int, text: str = EMAIL):
    return [occurrence(i, text) for i in range(n)]


def files_for(findings):
    files = dict(FILES)
    files.update({f.file: ("notes", f"handout {f.file}") for f in findings})
    return files


def test_twenty_occurrences_are_one_group_of_twenty_in_the_status(db, course):
    findings = emails(20) + emails(2, "li.na@163.com")
    course.version(files=files_for(findings), findings=findings)
    status = svc.review_status(db, course.path)
    assert len(status.findings) == 22
    groups = status.groups
    assert sorted(g.count for g in groups) == [2, 20]
    big = next(g for g in groups if g.count == 20)
    assert big.id == group_id(findings[0])
    assert {f.group for f in big.findings} == {big.id}
    assert {f.group_size for f in big.findings} == {20}
    assert status.summary() == {"findings": 22, "open_findings": 22, "groups": 2, "open_groups": 2}
    data = status.to_dict()
    schema = json.loads((schemas_dir() / "review-status.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert {g["count"] for g in data["groups"]} == {20, 2}
    assert data["summary"]["groups"] == 2


def test_disposing_the_group_disposes_all_twenty_and_audits_each(db, course):
    findings = emails(20) + emails(2, "li.na@163.com")
    course.version(files=files_for(findings), findings=findings)
    result = svc.dispose_group(db, course.path, findings[3].id, "accepted", "主讲教师公开的工作邮箱")
    assert result.group == group_id(findings[0])
    assert len(result.members) == 20 and result.changed == 20
    status = svc.review_status(db, course.path)
    by_id = {f.id: f for f in status.findings}
    assert all(by_id[f.id].disposition == "accepted" for f in findings[:20])
    assert all(by_id[f.id].disposition is None for f in findings[20:])  # the other group
    assert not [b for b in status.blockers if b.id in {f.id for f in findings[:20]}]
    dispose_rows = [e for e in svc.audit_log(db, course.path) if e.action == "dispose"]
    assert len(dispose_rows) == 20
    assert {e.new["group"] for e in dispose_rows} == {result.group}
    # once more with the same value: nothing changes, nothing is audited
    again = svc.dispose_group(db, course.path, result.group, "accepted", "主讲教师公开的工作邮箱")
    assert again.changed == 0
    assert len([e for e in svc.audit_log(db, course.path) if e.action == "dispose"]) == 20


def test_group_id_and_prefixes_name_the_group(db, course):
    findings = emails(5)
    course.version(files=files_for(findings), findings=findings)
    gid = group_id(findings[0])
    assert svc.dispose_group(db, course.path, gid[:6], "confirmed").group == gid
    assert svc.dispose_group(db, course.path, findings[4].id[:8], "confirmed").group == gid


def test_carry_over_keeps_group_dispositions_and_a_new_occurrence_stays_open(db, course):
    findings = emails(20)
    course.version(files=files_for(findings), findings=findings)
    svc.dispose_group(db, course.path, findings[0].id, "false-alarm", "教师本人同意公开")
    # the course team sends a new version: the 20 handouts and a new one with the same address
    new = occurrence(20, file="handouts/new-week.pdf")
    later = findings + [new]
    course.version(files=dict(files_for(later), **{"syllabus.md": ("syllabus", "v2")}),
                   findings=later)
    status = svc.review_status(db, course.path)
    assert status.carried_from is not None
    by_id = {f.id: f for f in status.findings}
    assert all(by_id[f.id].disposition == "false-alarm" and by_id[f.id].carried for f in findings)
    assert by_id[new.id].disposition is None and by_id[new.id].new
    group = status.group(group_id(new))
    assert group.count == 21 and group.open == 1 and group.disposition is None
    assert ("finding-undisposed", new.id) in [(b.kind, b.id) for b in status.blockers]
    assert status.summary()["open_groups"] == 1


def test_unknown_group_is_a_usage_error(db, course):
    findings = emails(3)
    course.version(files=files_for(findings), findings=findings)
    with pytest.raises(ReviewError) as exc:
        svc.dispose_group(db, course.path, "ffffffffffffffff", "confirmed")
    assert exc.value.code == "unknown-group" and exc.value.usage
    with pytest.raises(ReviewError) as exc:
        svc.dispose_group(db, course.path, "ab", "confirmed")  # too short to be a prefix
    assert exc.value.code == "unknown-group"
    with pytest.raises(ReviewError) as exc:  # the rules still hold: a false alarm needs a reason
        svc.dispose_group(db, course.path, findings[0].id, "false-alarm")
    assert exc.value.code == "reason-required"
    assert all(f.disposition is None for f in svc.review_status(db, course.path).findings)


# ---------------------------------------------------------------- the command line

@pytest.fixture
def run(db, tmp_path):
    dbfile = str(tmp_path / "state.db")

    def invoke(*args: str, lang: str | None = None):
        base = ["--db", dbfile] + (["--lang", lang] if lang else [])
        return CliRunner().invoke(cli, base + ["review", *args], obj={}, catch_exceptions=False)

    return invoke


def test_cli_dispose_group_and_status_show_groups(run, db, course):
    findings = emails(20) + emails(2, "li.na@163.com")
    course.version(files=files_for(findings), findings=findings)
    gid = group_id(findings[0])
    text = run("status", course.path).stdout
    assert "问题组 2 个" in text and "×20" in text and gid in text
    result = run("dispose", course.path, findings[7].id, "accepted", "--group", "-r", "教师公开邮箱")
    assert result.exit_code == 0, result.output
    assert gid in result.stdout and "20" in result.stdout
    assert sum(1 for f in svc.review_status(db, course.path).findings
               if f.disposition == "accepted") == 20
    en = run("status", course.path, lang="en").stdout
    assert "2 groups" in en and "1 not wholly disposed of" in en
    data = json.loads(run("status", course.path, "--format", "json").stdout)
    assert data["summary"] == {"findings": 22, "open_findings": 2, "groups": 2, "open_groups": 1}


def test_cli_unknown_group_exits_2_with_a_clear_message(run, course):
    findings = emails(3)
    course.version(files=files_for(findings), findings=findings)
    result = run("dispose", course.path, "0000ffff", "confirmed", "--group")
    assert result.exit_code == 2
    assert "0000ffff" in result.stderr and "组" in result.stderr
    en = run("dispose", course.path, "0000ffff", "confirmed", "--group", lang="en")
    assert en.exit_code == 2 and "no finding group" in en.stderr


def test_cli_a_group_id_without_group_says_to_add_it(run, course):
    findings = emails(3)
    course.version(files=files_for(findings), findings=findings)
    result = run("dispose", course.path, group_id(findings[0]), "confirmed", lang="en")
    assert result.exit_code == 2 and "--group" in result.stderr


def test_blockers_are_grouped_in_the_order_a_reviewer_works_through_them():
    from reviewer.review.model import Blocker, group_blockers

    blockers = [Blocker("finding-undisposed", "f1", {"zh": "f1", "en": "f1"}),
                Blocker("item-unanswered", "P1", {"zh": "P1", "en": "P1"}),
                Blocker("item-recheck", "A2", {"zh": "A2", "en": "A2"}),
                {"kind": "item-failed", "id": "P3", "message": {"zh": "P3"}},
                Blocker("something-new", "x", {"zh": "x", "en": "x"}),
                Blocker("item-unanswered", "P2", {"zh": "P2", "en": "P2"})]
    groups = group_blockers(blockers)
    assert [key for key, _ in groups] == ["unanswered", "items", "findings", "other"]
    ids = [[b["id"] if isinstance(b, dict) else b.id for b in members] for _, members in groups]
    assert ids == [["P1", "P2"], ["A2", "P3"], ["f1"], ["x"]]
    assert group_blockers([]) == []
