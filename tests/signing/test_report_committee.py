"""The committee's report: names from keys, every finding with its text and reason,
personal data masked, localised names and Beijing time, and a printed A4 PDF.

The PDF test prints a freshly signed, countersigned recommendation with its
trust store through ``reviewer.service.printing`` (headless Chromium), rasterises
every page and reads the PDF's text layer back (pypdfium2).  It is skipped,
saying so, where Chromium is not installed.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from reviewer.signing.mask import mask_match, mask_text, mask_value, pii_secrets
from reviewer.signing.report import check_label, format_time, render_report
from reviewer.signing.sign import sign_statement
from reviewer.signing.statement import build_statement, findings_summary
from reviewer.signing.trust import load_trust
from reviewer.signing.verify import schema_problems, verify_envelope

from tests.signing.signing_helpers import UNI, as_data, make_input, seeded_signer, signed_and_countersigned

GOLDEN = Path(__file__).parent / "golden"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser",
                             shutil.which("chromium") or "", shutil.which("google-chrome") or "")
                 if p and Path(p).exists()), None)
A4 = (595.28, 841.89)  # points

MOBILE, ID_NUMBER, EMAIL = "13826457193", "110105199903072413", "zhaolin_ta@jdlg-edu.cn"
#: One finding of each kind the committee reads, each disposed of with its own reason.
FINDINGS = [
    {"id": "a1", "check": "pii", "rule": "mobile", "severity": "error", "file": "slides/第5讲.pdf",
     "location": {"page": 11}, "disposition": "false-alarm", "reason": "教材中的虚构示例号码",
     "match": MOBILE, "context": f"示例记录：姓名 张伟明，身份证号 {ID_NUMBER}，手机 {MOBILE}。",
     "message": {"zh": "疑似手机号码，属于个人信息", "en": "Looks like a mobile number"}},
    {"id": "a2", "check": "pii", "rule": "id-card", "severity": "error", "file": "slides/第5讲.pdf",
     "location": {"page": 11}, "disposition": "false-alarm", "reason": "校验位正确但为编造的号码",
     "match": ID_NUMBER, "context": f"姓名 张伟明，身份证号 {ID_NUMBER}，手机 {MOBILE}",
     "message": {"zh": "疑似居民身份证号码", "en": "Looks like a resident ID number"}},
    {"id": "a3", "check": "pii", "rule": "email", "severity": "warning", "file": "notes/课程笔记.md",
     "location": {"line": 7}, "disposition": "accepted", "reason": "助教公开的工作邮箱",
     "match": EMAIL, "context": f"助教赵林，答疑邮箱 {EMAIL}，有问题请先发邮件。",
     "message": {"zh": "电子邮箱地址", "en": "An e-mail address"}},
    {"id": "a4", "check": "lexicon", "rule": "cheating-ads", "severity": "error",
     "file": "transcripts/第1讲.srt", "location": {"cue": 27, "start": "00:02:49.355", "end": "00:02:56.855"},
     "disposition": "confirmed", "reason": "已通知教师删除该段字幕",
     "match": "代刷网课", "context": "需要代刷网课的同学加微信 shuake_2025，代看视频代做作业",
     "message": {"zh": "疑似刷课广告", "en": "Looks like a course-cheating advert"}},
    {"id": "a5", "check": "coverage", "rule": "topic-uncovered", "severity": "warning",
     "file": "syllabus/大纲.docx", "location": {"paragraph": 24}, "disposition": "false-alarm",
     "reason": "外部排序在第8讲的实验中讲授", "match": "外部排序", "context": "第八章 外部排序（4 学时）",
     "message": {"zh": "大纲主题未找到讲授内容", "en": "No teaching found for a syllabus topic"}},
    {"id": "a6", "check": "lexicon", "rule": "cheating-ads", "severity": "info", "file": "诚信承诺书.md",
     "location": {"line": 6}, "disposition": "false-alarm", "reason": "诚信承诺书中的禁止性表述",
     "match": "替考", "context": "不参与任何形式的刷课、替课、替考活动",
     "message": {"zh": "疑似刷课广告", "en": "Looks like a course-cheating advert"}},
    {"id": "a7", "check": "outdated", "rule": "outdated-laws", "severity": "info", "file": "notes/课程笔记.md",
     "location": {"line": 16}, "disposition": "accepted", "reason": "实验环境说明保留旧版本以作对照",
     "match": "Windows XP", "context": "实验室统一环境：Windows XP + Visual C++ 6.0",
     "message": {"zh": "已停止支持的软件", "en": "Software past end of life"}},
]
REASONS = [f["reason"] for f in FINDINGS]


@pytest.fixture()
def committee_rec(package, keys):
    """A recommendation signed by 王建国 (reviewer) and countersigned by 李晓燕 (committee),
    decided under the OS account ``root``, with the trust store that names both."""
    reviewer = seeded_signer(11, "王建国", "reviewer")
    committee = seeded_signer(12, "李晓燕", "committee")
    inp = make_input(
        package, SimpleNamespace(info=reviewer.info), findings=[dict(f) for f in FINDINGS],
        decision={"value": "recommend", "comment": "同意推荐", "decided_at": "2026-12-07T09:30:00Z",
                  "decided_by": "root"},
        issued_at=datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc))
    return signed_and_countersigned(build_statement(inp), reviewer, committee)


def _verified(env, trust):
    return verify_envelope(as_data(env), trust, at=datetime(2026, 12, 8, tzinfo=timezone.utc))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- masking

@pytest.mark.parametrize("value,masked", [
    ("13826457193", "138****7193"),
    ("110105199903072413", "110***********2413"),
    ("zhaolin_ta@jdlg-edu.cn", "z***@jdlg-edu.cn"),
    ("zhao#pku.edu.cn", "z***#pku.edu.cn"),
    ("QQ 2837465091", "QQ 2********1"),
    ("微信 shuake_2025", "微信 shu****2025"),
    ("微信wk8899", "微信w****9"),
    ("+86 138 2645 7193", "+86**********7193"),
    ("张伟明", "张**"),
    ("6222021234567890123", "622************0123"),
])
def test_mask_value_keeps_first_and_last_characters(value, masked):
    assert mask_value(value) == masked
    assert mask_value(masked) == masked  # idempotent: masking what is masked changes nothing


def test_mask_text_masks_the_found_data_and_the_safety_net():
    context = f"示例记录：姓名 张伟明，身份证号 {ID_NUMBER}，手机 {MOBILE}，学号2023015，邮箱 z@pku.edu.cn"
    out = mask_text(context, {MOBILE})
    for secret in (MOBILE, ID_NUMBER, "张伟明", "2023015", "z@pku.edu.cn"):
        assert secret not in out, secret
    assert "138****7193" in out and "110***********2413" in out and "姓名 张**" in out
    assert mask_text(out, {mask_value(MOBILE)}) == out
    # ordinary numbers, standards and dates are left alone
    plain = "GB/T 7714-2005 于 2015-12-01 废止，第 3 学期 64 学时，https://a.example/c#d.e"
    assert mask_text(plain) == plain


def test_mask_match_masks_pii_and_text_inside_personal_data():
    secrets = {"微信 shuake_2025"}
    assert mask_match(MOBILE, "pii") == "138****7193"
    assert mask_match("shuake", "lexicon", secrets) == "s****e"  # part of a WeChat id
    assert mask_match("代刷网课", "lexicon", secrets) == "代刷网课"
    assert pii_secrets(FINDINGS) == {MOBILE, ID_NUMBER, EMAIL}


def test_personal_data_never_reaches_the_signed_statement(committee_rec):
    env, _ = committee_rec
    payload = env.payload.decode("utf-8")
    for secret in (MOBILE, ID_NUMBER, EMAIL, "张伟明", "shuake_2025"):
        assert secret not in payload, secret
    items = json.loads(payload)["predicate"]["findings"]["items"]
    mobile = next(i for i in items if i["id"] == "a1")
    assert mobile["match"] == "138****7193"
    assert "110***********2413" in mobile["context"] and "138****7193" in mobile["context"]
    assert mobile["message"] == {"zh": "疑似手机号码，属于个人信息", "en": "Looks like a mobile number"}


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_personal_data_never_reaches_the_report(committee_rec, fmt):
    env, trust = committee_rec
    text = render_report(env, fmt, "zh", verification=_verified(env, trust))
    for secret in (MOBILE, ID_NUMBER, EMAIL, "张伟明", "shuake_2025"):
        assert secret not in text, secret
    assert "个人信息已脱敏" in text


# ---------------------------------------------------------------- time and names

def test_times_are_beijing_time_by_default_and_utc_on_request():
    assert format_time("2026-12-07T09:30:00Z") == "2026-12-07 17:30 (北京时间)"
    assert format_time("2026-12-07T17:30:00Z", "zh") == "2026-12-08 01:30 (北京时间)"  # the next day
    assert format_time("2026-12-07T09:30:00.123+00:00", "en") == "2026-12-07 17:30 (Beijing time)"
    assert format_time("2026-12-07T17:30:00+08:00", "zh") == "2026-12-07 17:30 (北京时间)"
    assert format_time("2026-12-07T09:30:00Z", "zh", "utc") == "2026-12-07 09:30 UTC"
    assert format_time("2026-12-07 09:30") == "2026-12-07 17:30 (北京时间)"  # naive: UTC
    assert format_time("not a time") == "not a time" and format_time(None) == ""
    with pytest.raises(ValueError):
        format_time("2026-12-07T09:30:00Z", "zh", "mars")


def test_check_names_come_from_the_catalogs():
    assert check_label("coverage", "zh") == "大纲覆盖" and check_label("coverage", "en") == "syllabus coverage"
    assert check_label("pii", "zh") == "个人信息" and check_label("lexicon", "zh") == "敏感词"
    assert check_label("no-such-check", "zh") == "no-such-check"


def test_report_times_follow_the_time_zone(committee_rec):
    env, trust = committee_rec
    zh = render_report(env, "html", "zh", verification=_verified(env, trust))
    assert "2026-12-07 17:30 (北京时间)" in zh and "2026-12-07T09:30:00Z" not in zh
    utc = render_report(env, "md", "en", tz="utc")
    assert "2026-12-07 09:30 UTC" in utc and "Beijing" not in utc
    with pytest.raises(ValueError):
        render_report(env, "html", tz="mars")


def test_signers_and_the_decider_are_named_from_their_keys(committee_rec):
    env, trust = committee_rec
    html = render_report(env, "html", "zh", verification=_verified(env, trust))
    decision = html.split("<h2>审核结论</h2>", 1)[1].split("<h2>", 1)[0]
    assert re.search(r"<dt>结论人</dt><dd>王建国 · 江东理工大学", decision)
    assert "root" in decision and "审核记录中的结论人" in decision  # the recorded name, said to be one
    assert not re.search(r"<dt>结论人</dt><dd>root", decision)
    signatures = html.split("<h2>签名</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<strong>王建国</strong>" in signatures and "<strong>李晓燕</strong>" in signatures
    assert signatures.count("据信任库") == 2 and "未核验" not in signatures


def test_without_a_trust_store_the_countersignature_says_how_to_check_it(committee_rec):
    env, _ = committee_rec
    md = render_report(env, "md", "zh")
    assert "**王建国** (推荐文件自述，未用信任库核验)" in md
    assert "未知（推荐文件只记录密钥指纹）" in md and "请用 \\-\\-trust 指定信任库" not in md
    assert "未核验：请用 --trust 指定信任库" in md


def test_the_decider_is_not_repeated_when_the_account_is_the_name(package, keys):
    from tests.signing.signing_helpers import make_envelope

    env = make_envelope(package, keys)  # decided_by "wang", the key's own name
    html = render_report(env, "html", "zh")
    assert "审核记录中的结论人" not in html and "<dt>结论人</dt><dd>wang · 江东理工大学" in html


# ---------------------------------------------------------------- findings

def test_every_finding_with_its_text_disposition_and_reason(committee_rec):
    env, trust = committee_rec
    html = render_report(env, "html", "zh", verification=_verified(env, trust))
    for reason in REASONS:
        assert reason in html, reason
    for name in ("个人信息", "敏感词", "大纲覆盖", "内容陈旧"):
        assert name in html
    errors, info = html.split("<h3>错误与警告</h3>", 1)[1].split("<h3>提示级发现</h3>", 1)
    assert "代刷网课" in errors and "<mark>代刷网课</mark>" in errors
    assert "替考" not in errors and "诚信承诺书中的禁止性表述" in info and "<mark>替考</mark>" in info
    assert "误报" in info and "可接受" in info
    assert "处置汇总" in html and "误报 4，可接受 2，确认问题 1" in html


def test_statement_lists_info_findings_on_their_own(committee_rec):
    env, _ = committee_rec
    findings = json.loads(env.payload)["predicate"]["findings"]
    assert [i["id"] for i in findings["info_items"]] == ["a6", "a7"]
    assert all(i["severity"] in ("error", "warning") for i in findings["items"])
    assert schema_problems(json.loads(env.payload)) == []


def test_a_statement_without_info_findings_has_no_info_items():
    summary = findings_summary([dict(FINDINGS[0])])
    assert "info_items" not in summary


def test_page_header_and_footer_name_the_recommendation(committee_rec):
    env, _ = committee_rec
    html = render_report(env, "html", "zh")
    statement = json.loads(env.payload)
    import hashlib

    digest = hashlib.sha256(env.payload).hexdigest()
    page = html.split("@page {", 1)[1].split("@media print", 1)[0]
    assert "size: A4" in page and statement["predicate"]["id"] in page and digest in page
    assert 'counter(page) " 页 / 共 " counter(pages)' in page


def test_page_header_text_cannot_break_out_of_the_style_sheet(package, keys):
    from tests.signing.signing_helpers import make_envelope

    title = 'x"; } </style><script>alert(1)</script>'
    env = make_envelope(package, keys, course={"id": "ds-2026", "title": title, "institution": UNI})
    html = render_report(env, "html", "zh")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<script>" not in style and "</style" not in style and '"; }' not in style
    assert "<script>" not in html


# ---------------------------------------------------------------- older recommendations

@pytest.mark.parametrize("name", ["recommendation.json", "recommendation-before-groups.json"])
@pytest.mark.parametrize("fmt,lang", [("html", "zh"), ("md", "en")])
def test_older_recommendations_still_render(name, fmt, lang):
    from reviewer.signing.dsse import envelope_from_json

    env = envelope_from_json((GOLDEN / name).read_text(encoding="utf-8"))
    v = verify_envelope(json.loads((GOLDEN / name).read_text(encoding="utf-8")),
                        load_trust(GOLDEN / "trust.yaml"), at=datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert v.ok
    text = render_report(env, fmt, lang, verification=v)
    for expected in ("王老师", "李主任", "示例号码", "2026-03-01 16:30"):
        assert expected in text, expected
    assert ("earlier version" if lang == "en" else "较早版本") in text  # no matched text recorded


def test_a_report_of_a_recommendation_without_the_new_fields(package, keys):
    """Signed before match, context and info findings were recorded: still a full report."""
    statement = build_statement(make_input(package, keys["reviewer"], findings=[dict(f) for f in FINDINGS]))
    findings = statement["predicate"]["findings"]
    del findings["info_items"]
    for item in findings["items"]:
        for key in ("match", "context", "message"):
            item.pop(key)
    assert schema_problems(statement) == []
    env = sign_statement(statement, keys["reviewer"].signer)
    html = render_report(env, "html", "zh")
    assert "未记录各项发现的匹配文本与上下文" in html
    assert "未列出提示级发现的明细（共 2 条" in html
    for reason in REASONS[:5]:
        assert reason in html


# ---------------------------------------------------------------- printed

@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt install chromium; CI installs it)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_printed_pdf_is_a4_and_holds_names_reasons_checks_and_dates(committee_rec, tmp_path, lang):
    import pypdfium2 as pdfium

    from reviewer.service.printing import html_to_pdf

    env, trust = committee_rec
    html = render_report(env, "html", lang, verification=_verified(env, trust))
    result = html_to_pdf(html, tmp_path / "rec.pdf", browser=CHROMIUM)
    doc = pdfium.PdfDocument(str(result.out))
    assert len(doc) >= 1 and result.pages == len(doc)
    texts = []
    for i in range(len(doc)):
        page = doc[i]
        width, height = page.get_size()
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2, (width, height)
        bitmap = page.render(scale=1).to_pil().convert("L")
        assert bitmap.size == (round(width), round(height))
        assert bitmap.getextrema()[0] < 128  # ink on every page
        texts.append(page.get_textpage().get_text_range())
    text = _flat("".join(texts))
    assert "王建国" in text and "李晓燕" in text
    for reason in REASONS:
        assert _flat(reason) in text, reason
    names = (("个人信息", "敏感词", "大纲覆盖", "内容陈旧") if lang == "zh"
             else ("personaldata", "sensitiveterms", "syllabuscoverage", "outdatedcontent"))
    for name in names:
        assert name in text, name
    assert _flat("2026-12-07 17:30 (北京时间)" if lang == "zh" else "2026-12-07 17:30 (Beijing time)") in text
    # the running header and footer on every page: recommendation id, digest, page numbers
    rec_id = json.loads(env.payload)["predicate"]["id"]
    import hashlib

    digest = hashlib.sha256(env.payload).hexdigest()
    n = len(doc)
    for i, page_text in enumerate(texts, start=1):
        flat = _flat(page_text)
        assert rec_id in flat and digest in flat
        assert (f"第{i}页/共{n}页" if lang == "zh" else f"Page{i}of{n}") in flat
    for secret in (MOBILE, ID_NUMBER, EMAIL):
        assert secret not in text
