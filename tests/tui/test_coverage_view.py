"""The coverage view's detail says when the passages shown are only the nearest misses."""

from __future__ import annotations

from reviewer.tui.widgets.coverage_view import evidence_text

LOCATION = {"cue": 3, "start_ms": 6000, "end_ms": 9000}


def test_an_uncovered_topics_passages_are_called_the_nearest_misses():
    topic = {"title": "死锁", "covered": False, "score": 0.1, "evidence": [
        {"file": "t/lec.srt", "location": LOCATION, "text": "我们休息一下。", "nearest_miss": True,
         "similarity": 0.1753}]}
    zh = evidence_text(topic, "zh").plain
    assert "以下是最接近的段落，但都未达到覆盖标准" in zh and "（相似度 0.18）" in zh
    en = evidence_text(topic, "en").plain
    assert "The nearest passages, none of which reaches the bar" in en and "similarity 0.18" in en


def test_a_covered_topics_evidence_is_shown_as_evidence():
    topic = {"title": "线性表", "covered": True, "score": 0.9, "evidence": [
        {"file": "notes.md", "location": {"line": 2}, "text": "线性表的顺序存储"}]}
    text = evidence_text(topic, "zh").plain
    assert "最接近" not in text and "线性表的顺序存储" in text


def test_glossary_and_translation_evidence_say_how_the_topic_was_found():
    topic = {"title": "TCP拥塞控制", "covered": True, "score": 0.2, "evidence": [
        {"file": "lec.srt", "location": LOCATION, "text": "这叫慢启动。", "match": "glossary",
         "terms": ["慢启动", "拥塞窗口"]},
        {"file": "deck.pptx", "location": {"slide": 2}, "text": "Congestion control",
         "match": "translation", "via": "tcp congestion control"}]}
    zh = evidence_text(topic, "zh").plain
    assert "（术语表：慢启动、拥塞窗口）" in zh
    assert "（按另一语言的名称“tcp congestion control”找到）" in zh
    en = evidence_text(topic, "en").plain
    assert "(glossary terms: 慢启动, 拥塞窗口)" in en
    assert "found under its other-language name “tcp congestion control”" in en
