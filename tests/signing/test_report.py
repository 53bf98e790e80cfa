"""The printable report: self-contained HTML and Markdown, rendered by a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reviewer.signing.report import render_report
from reviewer.signing.verify import verify_envelope

from tests.signing.signing_helpers import T0, as_data, make_envelope

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser",
                             shutil.which("chromium") or "", shutil.which("google-chrome") or "")
                 if p and Path(p).exists()), None)


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _external_references(html: str) -> list[str]:
    p = _Collect()
    p.feed(html)
    bad = []
    for tag, attrs in p.tags:
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            bad.append(tag)
        for name in ("src", "href"):
            if name in attrs:
                bad.append(f"{tag}[{name}]={attrs[name]}")
    if re.search(r"url\(|@import", html):
        bad.append("css url()/@import")
    return bad


def test_html_is_self_contained_and_complete(env, trust):
    v = verify_envelope(as_data(env), trust, at=T0 + timedelta(days=1))
    html = render_report(env, "html", "zh", verification=v, now=T0)
    assert _external_references(html) == []
    assert "@media print" in html and "<style>" in html
    for text in ("数据结构", "ds-2026", "江东理工大学", "推荐", "P1", "虚构号码", "引用示例",
                 env.signatures[0].keyid, env.signatures[1].keyid, "reviewer verify",
                 "已使用信任库核验：有效", "王建国", "wang", "li", "个人信息", "敏感词", "内容陈旧",
                 "提示级发现", "2026-03-01 16:00 (北京时间)", "Content-Security-Policy"):
        assert text in html, text


def test_html_escapes_content(package, keys, trust):
    env = make_envelope(package, keys, decision={"value": "recommend", "comment": "<script>alert(1)</script>"})
    html = render_report(env, "html", "en")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Not verified against a trust store" in html


def test_unverified_report_says_so_and_shows_self_check(env):
    html = render_report(env, "html", "zh")
    assert "未使用信任库核验" in html and "完整性自检" in html


def test_report_of_failed_verification_lists_reasons(env, keys):
    from tests.signing.signing_helpers import trust_for

    v = verify_envelope(as_data(env), trust_for(keys, "reviewer"), at=T0 + timedelta(days=1))
    md = render_report(env, "md", "en", verification=v)
    assert "NOT valid" in md and "`roles.missing`" in md and "`key.unknown`" in md


def test_markdown_report(env):
    md = render_report(env, "md", "en", now=T0)
    assert md.startswith("# Course review recommendation")
    assert "| `P1` political direction | yes | pass |" in md
    assert "| Q3" not in md and "| `Q3` exam supervision | no | not applicable | 本校线下考试 |" in md
    assert "| error | personal data / `mobile` | slides/第1讲.md · line 2 |  | false alarm | 虚构号码 |" in md
    assert "| **Total** | 1 | 1 | 1 |" in md
    # the info finding in its own section, its check named in words
    info = md.split("### Info findings", 1)[1]
    assert "| info | outdated content / `law` | whole package |  | no disposition |  |" in info


def test_markdown_table_cells_are_escaped(package, keys):
    env = make_envelope(package, keys, decision={"value": "recommend", "comment": "a|b\nc"})
    md = render_report(env, "md", "zh")
    assert "a\\|b c" in md or "a\\|b\nc" in md


def test_report_refuses_non_recommendation():
    from reviewer.signing.dsse import Envelope

    with pytest.raises(ValueError):
        render_report(Envelope("application/vnd.in-toto+json", b"[1, 2]"), "html")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt install chromium)")
@pytest.mark.parametrize("lang,heading,title", [("en", "Course review recommendation", "Data Structures"),
                                                ("zh", "课程审核推荐报告", "数据结构")])
def test_chromium_prints_the_report_to_pdf(env, trust, tmp_path, lang, heading, title):
    import pypdfium2 as pdfium

    from reviewer.service.printing import html_to_pdf

    v = verify_envelope(as_data(env), trust, at=T0 + timedelta(days=1))
    pdf = tmp_path / "report.pdf"
    html_to_pdf(render_report(env, "html", lang, verification=v), pdf, browser=CHROMIUM)
    doc = pdfium.PdfDocument(str(pdf))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert len(doc) >= 1
    assert heading in text
    assert title in text
    assert "ds-2026" in text
    assert env.signatures[0].keyid[:20] in text.replace("\r", "").replace("\n", "")


def test_report_refuses_a_statement_that_breaks_the_schema(package, keys):
    import json as _json

    from reviewer.signing.sign import sign_statement
    from reviewer.signing.statement import build_statement

    from tests.signing.signing_helpers import make_input

    statement = build_statement(make_input(package, keys["reviewer"]))
    del statement["predicate"]["findings"]
    env = sign_statement(statement, keys["reviewer"].signer)
    with pytest.raises(ValueError, match="findings"):
        render_report(env, "html")
    assert _json.loads(env.payload)["predicate"]["course"]["id"] == "ds-2026"
