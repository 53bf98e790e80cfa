"""The commands end to end through click: keys, sign, countersign, verify, trust, platform, report."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reviewer.cli import cli
from reviewer.service import review as rv
from reviewer.store import open_db
from tests.signing.signing_helpers import reviewed_course

SAMPLE = Path(__file__).resolve().parents[2] / "sample_courses" / "zh-data-structures"
INST = "江东理工大学"


def invoke(args, *, env=None, input=None):
    runner = CliRunner()
    return runner.invoke(cli, [str(a) for a in args], env=env, input=input, obj={},
                         catch_exceptions=False)


@pytest.fixture()
def setup(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWER_PASSPHRASE", "pw-123")
    kd, pkg, dbp = reviewed_course(tmp_path, invoke)
    return tmp_path, kd, pkg, dbp


def test_keys_new_prompts_for_the_passphrase(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEWER_PASSPHRASE", raising=False)
    r = invoke(["keys", "new", "--name", "a", "--institution", INST, "--role", "reviewer",
                "--out", tmp_path], input="s3cret\ns3cret\n")
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(os.stat(tmp_path / "a.key").st_mode) == 0o600
    assert "s3cret" not in r.output
    keyid = r.stdout.split("\t")[0]
    assert json.loads((tmp_path / "a.pub").read_text(encoding="utf-8"))["keyid"] == keyid
    r = invoke(["keys", "new", "--name", "b", "--institution", INST, "--role", "reviewer",
                "--out", tmp_path], input="one\ntwo\none\none\n")
    assert r.exit_code == 0  # mismatched confirmation asks again


def test_keys_new_has_no_passphrase_option():
    r = invoke(["keys", "new", "--help"])
    assert "--passphrase" not in r.output


def test_keys_new_refuses_to_overwrite(setup):
    _, kd, _, _ = setup
    r = invoke(["--lang", "en", "keys", "new", "--name", "wang", "--institution", INST, "--role", "reviewer",
                "--out", kd])
    assert r.exit_code == 2 and "already exists" in r.output


def test_full_flow(setup):
    tmp, kd, pkg, dbp = setup
    rec = tmp / "rec.json"
    r = invoke(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp])
    assert r.exit_code == 0, r.output
    assert "sequence=1" in r.stdout
    r = invoke(["countersign", rec, "--key", kd / "li.key"])
    assert r.exit_code == 0, r.output
    trust = tmp / "trust.yaml"
    assert invoke(["trust", "add", trust, kd / "wang.pub", "--role", "reviewer"]).exit_code == 0
    assert invoke(["trust", "add", trust, kd / "li.pub", "--role", "committee"]).exit_code == 0
    assert set(yaml.safe_load(trust.read_text(encoding="utf-8"))["institutions"]) == {INST}
    r = invoke(["verify", rec, "--trust", trust, "--package", pkg])
    assert r.exit_code == 0, r.output
    r = invoke(["verify", rec, "--trust", trust, "--format", "json"])
    out = json.loads(r.stdout)
    assert out["valid"] is True and out["reasons"] == []
    assert out["recommendation"]["course"]["institution"] == INST

    # one changed byte → exit 1 naming the file
    target = pkg / "slides" / "第07讲-排序.pptx"
    data = bytearray(target.read_bytes())
    data[100] ^= 0xFF
    target.write_bytes(bytes(data))
    r = invoke(["verify", rec, "--trust", trust, "--package", pkg, "--format", "json"])
    assert r.exit_code == 1
    reasons = json.loads(r.stdout)["reasons"]
    assert [(x["code"], x["details"]["file"]) for x in reasons] == [
        ("package.file_differs", "slides/第07讲-排序.pptx")]
    assert reasons[0]["message"]["zh"] and reasons[0]["message"]["en"]

    # revoke the committee key → exit 1, key.revoked
    keyid = json.loads((kd / "li.pub").read_text(encoding="utf-8"))["keyid"]
    assert invoke(["trust", "revoke", trust, keyid, "--reason", "离职"]).exit_code == 0
    r = invoke(["verify", rec, "--trust", trust, "--lang", "en"])
    assert r.exit_code == 1
    assert "[key.revoked]" in r.stdout and "[roles.missing]" in r.stdout

    # platform: import twice, list
    pdb = tmp / "platform.db"
    trust2 = tmp / "trust2.yaml"
    invoke(["trust", "add", trust2, kd / "wang.pub"])
    invoke(["trust", "add", trust2, kd / "li.pub"])
    r = invoke(["platform", "import", rec, rec, "--trust", trust2, "--db", pdb, "--platform", "中国大学MOOC"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].startswith("accepted") and r.stdout.splitlines()[1].startswith("unchanged")
    r = invoke(["platform", "list", "--db", pdb, "--format", "json"])
    listing = json.loads(r.stdout)
    assert isinstance(listing, list) and len(listing) == 1
    assert listing[0]["course_id"] == "jdlg-cs2101-ds-2025a"


def test_sign_refused_lists_reasons(setup, tmp_path):
    tmp, kd, pkg, dbp = setup
    db = open_db(dbp)
    blocking = next(i for i in rv.review_status(db, pkg).items if i.blocking)
    rv.clear_answer(db, pkg, blocking.id)
    r = invoke(["sign", pkg, "--key", kd / "wang.key", "--out", tmp / "rec.json", "--db", dbp,
                "--lang", "en"])
    assert r.exit_code == 1
    assert blocking.id in r.stderr
    assert not (tmp / "rec.json").exists()


def test_wrong_passphrase_exit_2(setup, monkeypatch):
    tmp, kd, pkg, dbp = setup
    monkeypatch.setenv("REVIEWER_PASSPHRASE", "wrong")
    r = invoke(["--lang", "en", "sign", pkg, "--key", kd / "wang.key", "--out", tmp / "rec.json", "--db", dbp])
    assert r.exit_code == 2 and "wrong passphrase" in r.stderr


def test_verify_unreadable_inputs_exit_2(setup):
    tmp, kd, pkg, dbp = setup
    trust = tmp / "trust.yaml"
    invoke(["trust", "add", trust, kd / "wang.pub"])
    assert invoke(["verify", tmp / "nope.json", "--trust", trust]).exit_code == 2
    bad = tmp / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert invoke(["verify", bad, "--trust", trust]).exit_code == 2
    # readable JSON that is not an envelope: a reason, exit 1
    (tmp / "obj.json").write_text("{}", encoding="utf-8")
    r = invoke(["verify", tmp / "obj.json", "--trust", trust, "--format", "json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["reasons"][0]["code"] == "envelope.malformed"
    broken = tmp / "broken.yaml"
    broken.write_text("institutions: [\n", encoding="utf-8")
    r = invoke(["--lang", "en", "verify", tmp / "obj.json", "--trust", broken])
    assert r.exit_code == 2 and "not valid YAML" in r.stderr
    r = invoke(["verify", tmp / "obj.json", "--trust", trust, "--at", "someday"])
    assert r.exit_code == 2


def test_trust_commands(setup):
    tmp, kd, pkg, dbp = setup
    trust = tmp / "t.yaml"
    r = invoke(["--lang", "en", "trust", "add", trust, kd / "li.pub", "--role", "reviewer",
                "--not-after", "2030-01-01"])
    assert r.exit_code == 0 and "trusted as reviewer" in r.stderr
    data = yaml.safe_load(trust.read_text(encoding="utf-8"))
    [entry] = data["institutions"][INST]["keys"]
    assert entry["role"] == "reviewer" and entry["not_after"].startswith("2030-01-01T23:59:59")
    r = invoke(["trust", "add", trust, kd / "li.pub", "--role", "committee"])
    assert r.stdout.startswith("updated")
    r = invoke(["--lang", "en", "trust", "revoke", trust, "ed25519:" + "0" * 32])
    assert r.exit_code == 0 and "not in" in r.stderr
    assert invoke(["trust", "revoke", tmp / "none.yaml", "x"]).exit_code == 2
    r = invoke(["trust", "list", trust])
    assert INST in r.stdout
    (tmp / "garbage.pub").write_text("[]", encoding="utf-8")
    assert invoke(["trust", "add", trust, tmp / "garbage.pub"]).exit_code == 2


def test_platform_list_missing_db(tmp_path):
    assert invoke(["platform", "list", "--db", tmp_path / "nope.db"]).exit_code == 2


def test_report_command(setup):
    tmp, kd, pkg, dbp = setup
    rec = tmp / "rec.json"
    invoke(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp])
    r = invoke(["report", rec, "--format", "md"])
    assert r.exit_code == 0 and "# 课程审核推荐报告" in r.stdout and "数据结构" in r.stdout
    r = invoke(["report", rec, "--format", "md", "--lang", "en", "--out", tmp / "r.md"])
    assert r.exit_code == 0 and "Course review recommendation" in (tmp / "r.md").read_text(encoding="utf-8")
    (tmp / "junk.json").write_text("[]", encoding="utf-8")
    assert invoke(["report", tmp / "junk.json"]).exit_code == 2


def test_unwritable_outputs_exit_2(setup):
    tmp, kd, pkg, dbp = setup
    (tmp / "afile").write_text("x", encoding="utf-8")
    r = invoke(["--lang", "en", "sign", pkg, "--key", kd / "wang.key", "--out", tmp / "afile" / "rec.json",
                "--db", dbp])
    assert r.exit_code == 2 and "cannot write" in r.stderr
    r = invoke(["--lang", "en", "trust", "add", tmp / "afile" / "t.yaml", kd / "wang.pub"])
    assert r.exit_code == 2 and "cannot write" in r.stderr
    rec = tmp / "rec.json"
    invoke(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp])
    r = invoke(["--lang", "en", "report", rec, "--out", tmp / "afile" / "r.html"])
    assert r.exit_code == 2 and "cannot write" in r.stderr


def test_platform_import_json_and_report_with_trust(setup):
    tmp, kd, pkg, dbp = setup
    rec = tmp / "rec.json"
    invoke(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp, "--audience", "学堂在线"])
    trust = tmp / "trust.yaml"
    invoke(["trust", "add", trust, kd / "wang.pub"])
    invoke(["trust", "add", trust, kd / "li.pub"])
    # Not countersigned yet: rejected, listed in JSON with reasons.
    r = invoke(["platform", "import", rec, "--trust", trust, "--db", tmp / "p.db", "--platform", "学堂在线",
                "--format", "json"])
    assert r.exit_code == 1
    [entry] = json.loads(r.stdout)
    assert entry["outcome"] == "rejected"
    assert [x["code"] for x in entry["reasons"]] == ["roles.missing"]
    html = invoke(["report", rec, "--trust", trust]).stdout
    assert "已使用信任库核验：无效" in html and "roles.missing" in html
    invoke(["countersign", rec, "--key", kd / "li.key"])
    r = invoke(["platform", "import", rec, "--trust", trust, "--db", tmp / "p.db", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["outcome"] == "accepted"
    html = invoke(["report", rec, "--trust", trust]).stdout
    assert "已使用信任库核验：有效" in html
    r = invoke(["platform", "list", "--db", tmp / "p.db"])
    assert "jdlg-cs2101-ds-2025a" in r.stdout and "数据结构" in r.stdout


def test_committee_report_from_a_real_review(setup, monkeypatch):
    """The sample course signed and countersigned: the statement carries each finding's
    text with personal data masked, and the report names the key holders, not the OS
    account the review recorded; --format pdf prints it when Chromium is there."""
    import base64

    tmp, kd, pkg, dbp = setup
    rec, trust = tmp / "rec.json", tmp / "trust.yaml"
    assert invoke(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp]).exit_code == 0
    assert invoke(["countersign", rec, "--key", kd / "li.key"]).exit_code == 0
    invoke(["trust", "add", trust, kd / "wang.pub"])
    invoke(["trust", "add", trust, kd / "li.pub"])
    statement = json.loads(base64.b64decode(json.loads(rec.read_text(encoding="utf-8"))["payload"]))
    payload = json.dumps(statement, ensure_ascii=False)
    for secret in ("13826457193", "110105199903072413", "zhaolin_ta@jdlg-edu.cn"):
        assert secret not in payload, secret
    items = statement["predicate"]["findings"]["items"]
    assert all("match" in i and "message" in i for i in items)
    assert any(i["check"] == "pii" and i["match"] == "138****7193" for i in items)
    assert statement["predicate"]["decision"]["decided_by"]  # whatever account the review ran under

    html = invoke(["report", rec, "--trust", trust]).stdout
    assert "<dt>结论人</dt><dd>wang · 江东理工大学" in html
    assert "<strong>wang</strong>" in html and "<strong>li</strong>" in html
    assert "个人信息" in html and "示例" in html and "(北京时间)" in html
    for secret in ("13826457193", "110105199903072413", "zhaolin_ta@jdlg-edu.cn"):
        assert secret not in html, secret
    md = invoke(["report", rec, "--format", "md", "--lang", "en", "--time-zone", "utc"]).stdout
    assert " UTC" in md and "Beijing" not in md and "not checked: give a trust store with --trust" in md

    r = invoke(["report", rec, "--format", "pdf"])
    assert r.exit_code == 2 and "--out" in r.stderr
    monkeypatch.setenv("REVIEWER_CHROMIUM", str(tmp / "no-such-browser"))
    r = invoke(["report", rec, "--format", "pdf", "--out", tmp / "rec.pdf"])
    assert r.exit_code == 2 and "REVIEWER_CHROMIUM" in r.stderr and not (tmp / "rec.pdf").exists()
    monkeypatch.delenv("REVIEWER_CHROMIUM")
    if not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")):
        pytest.skip("Chromium is not installed: the PDF itself is not printed here")
    r = invoke(["report", rec, "--trust", trust, "--format", "pdf", "--out", tmp / "out" / "rec.pdf"])
    assert r.exit_code == 0, r.output
    assert (tmp / "out" / "rec.pdf").read_bytes().startswith(b"%PDF")
    assert not [p for p in (tmp / "out").iterdir() if p.name != "rec.pdf"]  # no leftovers


def test_verify_tells_an_unknown_key_from_a_forgery(setup):
    """An operator reads 无效 as forgery: a key that is merely not in the trust store is
    'not verified', and only bytes that don't match the signature are 'not valid'."""
    tmp, kd, pkg, dbp = setup
    rec = tmp / "rec.json"
    assert invoke(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp]).exit_code == 0
    assert invoke(["countersign", rec, "--key", kd / "li.key"]).exit_code == 0
    only_reviewer = tmp / "only-reviewer.yaml"
    assert invoke(["trust", "add", only_reviewer, kd / "wang.pub"]).exit_code == 0

    r = invoke(["verify", rec, "--trust", only_reviewer])
    assert r.exit_code == 1
    assert "密钥不在信任库中，未能核验（不代表伪造）" in r.stdout
    assert "未通过核验 / NOT VERIFIED" in r.stdout and "无效" not in r.stdout
    r = invoke(["verify", rec, "--trust", only_reviewer, "--lang", "en", "--format", "json"])
    states = [s["state"] for s in json.loads(r.stdout)["signatures"]]
    assert states == ["ok", "untrusted"]

    both = tmp / "both.yaml"
    invoke(["trust", "add", both, kd / "wang.pub"])
    invoke(["trust", "add", both, kd / "li.pub"])
    envelope = json.loads(rec.read_text(encoding="utf-8"))
    sig = envelope["signatures"][1]["sig"]
    envelope["signatures"][1]["sig"] = ("A" if sig[0] != "A" else "B") + sig[1:]
    rec.write_text(json.dumps(envelope), encoding="utf-8")
    r = invoke(["verify", rec, "--trust", both, "--lang", "en"])
    assert r.exit_code == 1
    assert "not valid: does not match what was signed" in r.stdout
    assert "NOT VALID (the bytes do not match the signature)" in r.stdout


def test_platform_list_is_a_table_with_decision_and_signers(setup):
    tmp, kd, pkg, dbp = setup
    rec = tmp / "rec.json"
    assert invoke(["sign", pkg, "--key", kd / "wang.key", "--out", rec, "--db", dbp]).exit_code == 0
    assert invoke(["countersign", rec, "--key", kd / "li.key"]).exit_code == 0
    trust = tmp / "trust.yaml"
    invoke(["trust", "add", trust, kd / "wang.pub"])
    invoke(["trust", "add", trust, kd / "li.pub"])
    pdb = tmp / "platform.db"
    assert invoke(["platform", "import", rec, "--trust", trust, "--db", pdb]).exit_code == 0
    r = invoke(["platform", "list", "--db", pdb])
    assert r.exit_code == 0
    header, row = r.stdout.splitlines()[0], r.stdout.splitlines()[2]
    for word in ("机构", "课程编号", "结论", "签名人", "有效期至", "状态"):
        assert word in header
    assert "jdlg-cs2101-ds-2025a" in row and "推荐" in row and "wang（审核人）" in row \
        and "li（教学委员会）" in row and "有效" in row
    assert "共 1 门课程，其中 0 门的推荐已过期" in r.stdout
    r = invoke(["platform", "list", "--db", pdb, "--lang", "en"])
    assert "signed by" in r.stdout and "wang（reviewer）" in r.stdout and "recommend" in r.stdout
