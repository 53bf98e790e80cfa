"""Syllabus topics for the ``coverage`` check — room ``checks``.

Topics come from ``topics`` in the manifest when it has them (strings or
``{title, keywords}``); otherwise from the segments of the syllabus-role
files, line by line:

* Markdown headings (``#`` … ``######``) and DOCX heading paragraphs (a
  paragraph is a heading when the next paragraph's heading path ends with it);
* numbered items — 第一章, 第1周, 第3次课, Week 3:, Lecture 2, 一、, （一）,
  1., 1.1, (1) … (patterns and levels are rule data);
* the items of a learning-objectives list (bullets or numbers after a line
  such as 学习目标 / Learning objectives).

Administrative sections (考核方式, grading, office hours, 参考书 …) are skipped
with everything under them; container headings (教学内容, Course schedule …)
are not topics themselves but their items are.  Titles are cleaned (numbering,
trailing dates, hours and parentheses removed) and de-duplicated.  All words
and patterns are in ``lexicons/coverage.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reviewer.ingest.model import Package, Segment

_MD_HEADING = re.compile(r"\s{0,3}(#{1,6})(?=\s)")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪◦●○■□➢►✓√]|\d+[.)、]|[a-z][.)])\s*", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"\*\*|__|`|<[^>]+>")


@dataclass(slots=True)
class TopicRules:
    """Topic-extraction rule data (the ``topics`` section of a coverage rule file)."""

    numbered: list[tuple[re.Pattern[str], int]] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    admin: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    strip: list[re.Pattern[str]] = field(default_factory=list)
    not_topics: list[re.Pattern[str]] = field(default_factory=list)  # references, dates …
    min_chars: int = 1
    max_chars: int = 60
    max_description: int = 400


@dataclass(slots=True)
class Topic:
    """A syllabus topic, where it was stated, and any keywords the manifest gives."""

    title: str
    keywords: list[str] = field(default_factory=list)
    description: str = ""  # the syllabus text right under it (its contents, in prose)
    alt_title: str = ""  # a trailing parenthesis: often the title in the other language
    objective: bool = False  # an item of a learning-objectives list (a fallback topic)
    segment: Segment | None = None  # the syllabus segment stating it
    start: int = 0  # span of the title in segment.text
    end: int = 0
    source: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ manifest

def manifest_topics(manifest: dict[str, Any] | None) -> list[Topic]:
    """``topics`` of the manifest: strings or ``{title, keywords}`` mappings."""
    out: list[Topic] = []
    items = (manifest or {}).get("topics") or []
    if not isinstance(items, list):
        return out
    for i, item in enumerate(items):
        if isinstance(item, str) and item.strip():
            out.append(Topic(item.strip(), source={"manifest": f"topics[{i}]"}))
        elif isinstance(item, dict):
            title = item.get("title")
            if isinstance(title, dict):
                title = title.get("zh") or title.get("en")
            if not isinstance(title, str) or not title.strip():
                continue
            keywords = item.get("keywords")
            if isinstance(keywords, str):
                keywords = [keywords]
            elif not isinstance(keywords, list):
                keywords = []
            out.append(Topic(title.strip(), [str(k) for k in keywords if isinstance(k, (str, int))
                                             and not isinstance(k, bool) and str(k).strip()],
                             source={"manifest": f"topics[{i}]"}))
    return _dedupe(out)


# ------------------------------------------------------------------ syllabus

def _contains_any(text: str, words: list[str]) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def _starts_with_any(text: str, words: list[str]) -> bool:
    low = text.lower().lstrip("*_# ")
    return any(low.startswith(w) for w in words)


def clean_title(raw: str, rules: TopicRules) -> str:
    """Numbering, markup, trailing dates/hours/parentheses removed."""
    text = _MD_LINK.sub(r"\1", re.sub(r"^\s{0,3}#{1,6}\s+", "", raw))
    text = _MD_MARK.sub("", text).strip()
    for _ in range(4):  # numbering can be stacked: "1. Lecture 1: …"
        before = text
        for pattern, _level in rules.numbered:
            m = pattern.match(text)
            if m:
                text = text[m.end():].lstrip(" \t\u3000:：.、-–—)）")
        if text == before:
            text = _BULLET.sub("", text, count=1)
        if text == before:
            break
    for _ in range(4):
        before = text
        for pattern in rules.strip:
            text = pattern.sub("", text).strip()
        if text == before:
            break
    return text.strip(" \t:：;；,，.。-–—")


def _md_heading(line: str) -> tuple[int, str] | None:
    """Level and text of a Markdown ATX heading (``## Title ##``), or None.

    In Python rather than one regular expression: ``(.*?)\\s*#*\\s*$`` backtracks in
    cubic time over a long run of spaces (a hostile syllabus line took minutes).
    A closing run of ``#`` counts only after a space, so ``## C#`` is about C#.
    """
    m = _MD_HEADING.match(line)
    if m is None:
        return None
    body = line[m.end():].strip()
    closed = body.rstrip("#")
    if closed != body and (not closed or closed[-1].isspace()):
        body = closed.rstrip()
    return len(m.group(1)), body


def _numbered_level(line: str, rules: TopicRules) -> int | None:
    for pattern, level in rules.numbered:
        if pattern.match(line):
            return level
    return None


def _docx_heading_levels(segments: list[Segment]) -> dict[int, int]:
    """Ordinal → heading level, for DOCX paragraphs that head the ones after them."""
    levels: dict[int, int] = {}
    for seg, nxt in zip(segments, segments[1:]):
        if seg.locator.paragraph is None or not nxt.locator.heading:
            continue
        path = nxt.locator.heading.split(" > ")
        if path and path[-1] == " ".join(seg.text.split()):
            levels[seg.ordinal] = len(path)
    return levels


@dataclass(slots=True)
class _State:
    skip_level: int | None = None  # inside an admin section of this level
    objectives_level: int | None = None  # inside an objectives list under this level
    # right under a contents heading (Topics, 教学内容) of this level, before any
    # numbered topic: its bullets are the topics
    contents_level: int | None = None
    pending: bool = False  # a bare "第1周": its title is on the next line


def _lines(segment: Segment) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in segment.text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def syllabus_topics(package: Package, rules: TopicRules) -> list[Topic]:
    """Topics from the headings, numbered items and objectives of the syllabus files."""
    out: list[Topic] = []
    for record in package.files:
        if record.role != "syllabus" or record.status != "ok":
            continue
        out += _file_topics(record.segments, record.path, rules)
    if any(not t.objective for t in out):
        # Objectives are sentences about the students, not the contents: they are topics
        # only in a syllabus that states no contents at all.
        out = [t for t in out if not t.objective]
    _drop_boilerplate(out)
    return _dedupe(out)


def _drop_boilerplate(topics: list[Topic]) -> None:
    """A description repeated under several topics (教学要求：掌握基本概念…) says nothing
    about any one of them: forget it."""
    counts: dict[str, int] = {}
    for topic in topics:
        if topic.description:
            counts[topic.description] = counts.get(topic.description, 0) + 1
    for topic in topics:
        if counts.get(topic.description, 0) >= 3:
            topic.description = ""


def _file_topics(segments: list[Segment], path: str, rules: TopicRules) -> list[Topic]:
    docx_levels = _docx_heading_levels(segments)
    # Files with real headings (Markdown, DOCX styles) don't need guessing; in
    # others (PDF, plain text) a short line without final punctuation is a
    # "soft" heading: it opens and closes sections but is never a topic itself.
    structured = bool(docx_levels) or any(
        _MD_HEADING.match(line) for seg in segments for _, line in _lines(seg))
    state = _State()
    topics: list[Topic] = []
    current: Topic | None = None  # the topic whose description is being read
    title_line = _document_title(segments)
    for seg in segments:
        for offset, line in _lines(seg):
            if not line.strip() or (seg.ordinal, offset) == title_line:
                continue
            before = (state.skip_level, state.objectives_level, state.pending)
            topic = _line_topic(seg, offset, line, docx_levels.get(seg.ordinal), structured,
                                state, rules)
            if topic is not None:
                topic.source = {"file": path, "location": seg.locator.to_dict()}
                topics.append(topic)
                current = None if state.objectives_level is not None else topic
            elif _is_section_line(line, docx_levels.get(seg.ordinal), structured, rules) or \
                    before != (state.skip_level, state.objectives_level, state.pending):
                current = None
            elif current is not None and len(current.description) < rules.max_description:
                current.description = (current.description + " " + line.strip()).strip()
    return topics


def _document_title(segments: list[Segment]) -> tuple[int, int] | None:
    """``(segment, offset)`` of a Markdown document's title: its first line when that is
    its only level-1 heading (``# PSYC 1001 Introduction to Psychology`` over ``##``
    sections) — the course's name, not one of its topics.  A syllabus whose chapters are
    level-1 headings has several, and none is taken for the title."""
    first: tuple[int, int] | None = None
    is_title = False
    for seg in segments:
        for offset, line in _lines(seg):
            if not line.strip():
                continue
            md = _md_heading(line)
            if first is None:
                first, is_title = (seg.ordinal, offset), bool(md and md[0] == 1)
                if not is_title:
                    return None
            elif md and md[0] == 1:
                return None
    return first if is_title else None


def _is_section_line(line: str, docx_level: int | None, structured: bool,
                     rules: TopicRules) -> bool:
    if docx_level is not None or _MD_HEADING.match(line) or _numbered_level(line.strip(), rules):
        return True
    return not structured and _looks_like_heading(line)


def _line_topic(seg: Segment, offset: int, line: str, docx_level: int | None,
                structured: bool, state: _State, rules: TopicRules) -> Topic | None:
    if len(line) > 4 * rules.max_chars + 40:
        return None  # prose (or a one-line transcript pasted in), never a heading
    md = _md_heading(line)
    heading_level = md[0] if md else docx_level
    number_level = _numbered_level(line.strip(), rules)
    level = heading_level if heading_level is not None else number_level
    soft = level is None and not structured and _looks_like_heading(line)
    section_level = level if level is not None else (1 if soft else None)
    body = md[1] if md else line
    title = clean_title(body, rules)
    label = title or body

    if state.pending and level is None and title:
        state.pending = False
        return None if not_a_topic(title, rules) else _topic(title, seg, offset, line, rules)
    state.pending = False

    if section_level is not None:
        # A heading or numbered item closes sections at its level or deeper.
        if state.skip_level is not None and section_level <= state.skip_level:
            state.skip_level = None
        if state.objectives_level is not None and section_level <= state.objectives_level:
            state.objectives_level = None
        if state.contents_level is not None and number_level is None and \
                section_level <= state.contents_level:
            state.contents_level = None  # a heading (not a numbered item) ends the list
    if state.skip_level is not None:
        return None
    if section_level is not None and _starts_with_any(label, rules.admin):
        state.skip_level = section_level
        state.objectives_level = None
        return None
    if _contains_any(label, rules.objectives) and len(title) <= rules.max_chars:
        state.objectives_level = section_level if section_level is not None else (
            state.objectives_level or 1)
        return None
    if section_level is not None and title and _is_container(title, rules):
        state.contents_level = section_level
        state.objectives_level = None
        return None
    if level is not None:
        if not title:
            state.pending = True
            return None
        if _contains_any(title, rules.skip):
            return None
        if not_a_topic(title, rules):
            return None
        topic = _topic(title, seg, offset, line, rules)
        if topic is not None and state.objectives_level is not None \
                and level > state.objectives_level:
            topic.objective = True  # "1. Designing schemas …" under Learning Outcomes
        elif topic is not None:
            state.contents_level = None  # bullets from here on describe this topic
        return topic
    if not _BULLET.match(line):
        return None
    if state.objectives_level is not None:
        topic = _topic(title, seg, offset, line, rules)
        if topic is not None:
            topic.objective = True
        return topic
    if state.contents_level is not None and title and not not_a_topic(title, rules):
        return _topic(title, seg, offset, line, rules)  # "• B+ tree indexes" under Topics
    return None


def not_a_topic(title: str, rules: TopicRules) -> bool:
    """A numbered line that is no topic: a reference, an objective or other sentence, an
    exam, a date or a weight (patterns ``topics.not_topics``, tried on the cleaned title)."""
    return any(p.search(title) for p in rules.not_topics)


def _is_container(title: str, rules: TopicRules) -> bool:
    low = title.lower()
    return any(low == c or low.startswith(c) and len(low) <= len(c) + 6 for c in rules.containers)


def _looks_like_heading(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= 40 and not re.search(r"[。．.;；:：,，]$", text) \
        and not _BULLET.match(text)


_TRAILING_PAREN = re.compile(r"[（(]([^（）()]*)[）)][^（）()]*$")
_NOT_ALT = re.compile(r"学时|课时|\bhours?\b|\bhrs?\b|^\s*[0-9./\s-]*$", re.IGNORECASE)


def _alt_title(line: str, title: str) -> str:
    """The text of a trailing parenthesis that cleaning removed (e.g. an English title)."""
    m = _TRAILING_PAREN.search(line)
    if m is None or m.group(1) in title or _NOT_ALT.search(m.group(1)):
        return ""
    inner = m.group(1).strip()
    return inner if re.search(r"[A-Za-z]{3,}|[\u4e00-\u9fff]{2,}", inner) else ""


def _topic(title: str, seg: Segment, offset: int, line: str, rules: TopicRules) -> Topic | None:
    if not (rules.min_chars <= len(title) <= rules.max_chars):
        return None
    at = line.find(title)
    start = offset + (at if at >= 0 else len(line) - len(line.lstrip()))
    end = start + (len(title) if at >= 0 else len(line.strip()))
    return Topic(title, segment=seg, start=start, end=end, alt_title=_alt_title(line, title))


def _dedupe(topics: list[Topic]) -> list[Topic]:
    seen: set[str] = set()
    out = []
    for topic in topics:
        key = re.sub(r"[\s\W_]+", "", topic.title.lower())
        if key and key not in seen:
            seen.add(key)
            out.append(topic)
    return out
