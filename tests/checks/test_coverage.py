"""Check ``coverage``: topic extraction, key-term scoring, hours, rule files, samples, corpus."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from reviewer.checks.coverage import (
    CoverageRules, check_coverage, declared_class_hours, key_terms, parse_coverage,
)
from reviewer.checks.coverage_text import Stemmer
from reviewer.checks.coverage_topics import Topic, clean_title, manifest_topics, syllabus_topics
from reviewer.checks.model import CheckContext
from reviewer.checks.rulefile import RuleFileError, parse_rule_text
from reviewer.ingest.model import FileRecord, Locator, Package, Segment

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lexicons" / "coverage.yaml"


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules(raw) -> CoverageRules:
    return parse_coverage(copy.deepcopy(raw), str(SHIPPED))


# ------------------------------------------------------------------ builders

def _lines(path: str, text: str, role: str, fmt: str = "md") -> FileRecord:
    segs = [Segment(path, i, Locator(line=i + 1), line)
            for i, line in enumerate(text.splitlines()) if line.strip()]
    return FileRecord(path=path, size=1, sha256=path, role=role, format=fmt, segments=segs)


def _cues(path: str, sentences: list[str], step_ms: int = 5000) -> FileRecord:
    segs = [Segment(path, i, Locator(cue=i + 1, start_ms=i * step_ms, end_ms=i * step_ms + 4000), s)
            for i, s in enumerate(sentences)]
    return FileRecord(path=path, size=1, sha256=path, role="transcript", format="srt", segments=segs)


def _package(*records: FileRecord, manifest: dict | None = None) -> Package:
    files = list(records)
    if manifest is not None:
        files.insert(0, FileRecord(path="course.yaml", size=1, sha256="m", role="manifest",
                                   format="yaml"))
    return Package(source="/p", kind="dir", files=files, digest="sha256:0", manifest=manifest)


def _run(pkg: Package, rules: CoverageRules, **options):
    return check_coverage(CheckContext(package=pkg, rules={"coverage": [rules]}, options=options))


FILLER_ZH = ["同学们好，我们继续上节课的内容。", "大家先回顾一下作业里的问题。", "这一部分考试会考到，请注意。",
             "下面我们看一个例子。", "有问题可以课后再讨论。", "好，我们休息五分钟。"]
FILLER_EN = ["Welcome back, everyone.", "Let us look at an example on the board.",
             "Any questions so far?", "This will be on the exam, so take notes.",
             "We will continue after a short break.", "Remember to submit the homework on time."]


def _topic_result(result, title: str):
    return next(t for t in result.coverage.topics if t.title == title)


# ------------------------------------------------------------------ extraction

@pytest.mark.parametrize("raw_title, expected", [
    ("第一章 绪论（4学时）", "绪论"),
    ("## 第1次课：开源软件及其开发概述（课堂lecture）  09/07", "开源软件及其开发概述"),
    ("1. Lecture 1: Course Overview & Motivation", "Course Overview & Motivation"),
    ("### Week 3: Gradient Descent (2 hours)", "Gradient Descent"),
    ("（二）[哈希表](notes/hash.md)与**冲突处理**", "哈希表与冲突处理"),
    ("1.2.3 平衡二叉树", "平衡二叉树"),
])
def test_clean_title(rules, raw_title, expected):
    assert clean_title(raw_title, rules.topics) == expected


MARKDOWN_SYLLABUS = """\
# 《机器学习》课程教学大纲
- 先修课程：线性代数
## 一、学习目标
通过本课程，学生能够：
- 掌握线性回归与梯度下降
- 理解支持向量机的原理
## 二、教学内容
### 第1周：线性回归（4学时）
最小二乘法；正规方程；梯度下降。
### 第2周：支持向量机
间隔最大化；核函数。
### 第2周：支持向量机
## 三、考核方式
1. 平时作业 30%
2. 期末考试 70%
## 四、参考书
1. 周志华. 机器学习
"""


def test_markdown_syllabus_topics(rules):
    pkg = _package(_lines("syllabus.md", MARKDOWN_SYLLABUS, "syllabus"))
    topics = syllabus_topics(pkg, rules.topics)
    # The objectives are sentences about the students: with contents stated, they are no topics.
    assert [t.title for t in topics] == ["线性回归", "支持向量机"]
    linear = topics[0]
    assert linear.source == {"file": "syllabus.md", "location": {"line": 8}}
    assert linear.segment.text[linear.start:linear.end] == "线性回归"
    assert linear.description == "最小二乘法；正规方程；梯度下降。"


def test_a_markdown_documents_only_top_heading_is_its_title_not_a_topic(rules):
    course = """# PSYC 1001 Introduction to Psychology
**Semester 1 · 3 credits**
## Course aims
- Students will describe the major perspectives in psychology.
## Lecture schedule
### Week 1 — Memory
### Week 2 — Emotion
## Required reading
Myers, D. G. (2021). Psychology. Worth.
"""
    pkg = _package(_lines("syllabus.md", course, "syllabus"))
    assert [t.title for t in syllabus_topics(pkg, rules.topics)] == ["Memory", "Emotion"]
    # chapters as level-1 headings: none of them is the document's title
    chapters = "# 第一章 绪论\n# 第二章 线性表\n# 第三章 栈和队列\n"
    pkg = _package(_lines("syllabus.md", chapters, "syllabus"))
    assert [t.title for t in syllabus_topics(pkg, rules.topics)] == ["绪论", "线性表", "栈和队列"]


def test_week_ranges_reading_weeks_and_recommended_textbooks(rules):
    rows = """二、教学内容与进度安排
第1周　会计要素与会计等式
第2—3周　借贷记账法
Week 6: Reading week — no lectures
Week 10: Revision
四、推荐教材
陈国辉．基础会计（第7版）．大连：东北财经大学出版社，2021．
"""
    pkg = _package(_lines("syllabus.md", rows, "syllabus", fmt="txt"))
    assert [t.title for t in syllabus_topics(pkg, rules.topics)] == [
        "会计要素与会计等式", "借贷记账法"]


def test_markdown_headings_in_linear_time_with_closing_hashes_after_a_space(rules):
    """``(.*?)\\s*#*\\s*$`` backtracked for minutes over a long run of spaces.  The
    heading's only regular expression now reads the ``#`` marks (at most 9 characters);
    the rest is string methods — linear by construction, checked without a clock."""
    from reviewer.checks import coverage_topics

    text = "# 第一章 绪论\n" + "# a" + " " * 3_000 + "x\n## Learning C#\n### 树与图 ###\n"
    topics = syllabus_topics(_package(_lines("syllabus.md", text, "syllabus")), rules.topics)
    assert [t.title for t in topics][-2:] == ["Learning C#", "树与图"]
    hostile = "## a" + " " * 30_000 + "x ##"
    assert coverage_topics._MD_HEADING.match(hostile).end() <= 9
    assert coverage_topics._md_heading(hostile) == (2, "a" + " " * 30_000 + "x")


def test_docx_headings_and_table_cells(rules):
    def para(n: int, text: str, heading: str | None) -> Segment:
        return Segment("s.docx", n - 1, Locator(paragraph=n, heading=heading), text)

    segs = [para(1, "课程基本信息", None), para(2, "学分：3", "课程基本信息"),
            para(3, "教学进度", None), para(4, "第1周", "教学进度"), para(5, "数据库概述", "教学进度"),
            para(6, "关系代数", None), para(7, "选择、投影与连接。", "关系代数"),
            para(8, "成绩评定", None), para(9, "实验报告", "成绩评定")]
    rec = FileRecord(path="s.docx", size=1, sha256="d", role="syllabus", format="docx",
                     segments=segs)
    topics = syllabus_topics(_package(rec), rules.topics)
    assert [(t.title, t.source["location"]["paragraph"]) for t in topics] == [
        ("数据库概述", 5), ("关系代数", 6)]
    assert topics[1].description == "选择、投影与连接。"


def test_pdf_page_with_soft_headings(rules):
    page = ("CS 101: Databases\nLearning Objectives\nBy the end, students will be able to:\n"
            "• Design normalised relational schemas\n• Write SQL queries with joins\n"
            "Weekly Schedule\n1. Week 1: The relational model\n2. Week 2: SQL (3 hours)\n"
            "Grading\n1. Homework 40%\n2. Exam 60%\nTextbook\nDatabase System Concepts\n")
    rec = FileRecord(path="s.pdf", size=1, sha256="p", role="syllabus", format="pdf",
                     segments=[Segment("s.pdf", 0, Locator(page=1), page)])
    topics = syllabus_topics(_package(rec), rules.topics)
    assert [t.title for t in topics] == ["The relational model", "SQL"]
    assert all(t.source == {"file": "s.pdf", "location": {"page": 1}} for t in topics)
    sql = topics[-1]
    assert sql.segment.text[sql.start:sql.end] == "SQL"


def test_manifest_topics_forms():
    manifest = {"topics": ["栈与队列", {"title": {"zh": "散列表", "en": "Hashing"},
                                       "keywords": ["哈希", "冲突"]},
                           {"title": "  "}, 42, {"keywords": ["x"]}, "栈与队列",
                           {"title": "Sorting", "keywords": "quicksort"}]}
    topics = manifest_topics(manifest)
    assert [(t.title, t.keywords) for t in topics] == [
        ("栈与队列", []), ("散列表", ["哈希", "冲突"]), ("Sorting", ["quicksort"])]
    assert topics[1].source == {"manifest": "topics[1]"}
    assert manifest_topics(None) == [] and manifest_topics({"topics": "not a list"}) == []


def test_manifest_topic_keywords_of_the_wrong_shape_are_ignored():
    manifest = {"topics": [{"title": "树", "keywords": 5}, {"title": "图", "keywords": True},
                           {"title": "堆", "keywords": [None, {"x": 1}, "最小堆", 2]}]}
    assert [(t.title, t.keywords) for t in manifest_topics(manifest)] == [
        ("树", []), ("图", []), ("堆", ["最小堆", "2"])]


def test_key_terms_drop_stopwords_and_mark_generic(rules):
    terms = {t.key: generic for t, generic, _, _ in
             key_terms(Topic("Understanding the Learning of Reinforcement Policies"), rules)}
    assert terms == {"learn": True, "reinforc": False, "polic": False}
    zh = {t.key: generic for t, generic, _, _ in key_terms(Topic("计算机网络的拥塞控制"), rules)}
    assert zh.get("拥塞") is False and "的" not in zh
    assert [t.key for t, *_ in key_terms(Topic("图"), rules)] == ["图"]


def test_stemmer_groups_inflections_and_derivations(rules):
    stem = rules.stemmer.stem
    assert stem("optimization") == stem("optimizer") == stem("optimize") == "optim"
    assert stem("networks") == stem("networking") == stem("network")
    assert stem("classes") == stem("class") != stem("classic")
    assert stem("running") == "run" and stem("virus") == "virus"
    assert Stemmer(["s"]).stem("Trees") == "tree"


# ------------------------------------------------------------------ scoring

def test_topic_taught_in_other_words_but_with_its_key_terms_is_covered(rules):
    transcript = _cues("t/w3.srt", FILLER_EN + [
        "To minimise the loss we keep stepping against the slope.",
        "The slope here is the gradient of the loss with respect to the weights.",
        "Each descent step moves the weights a little downhill.",
        "Adam is an optimizer that adapts the step size for every weight.",
    ] + FILLER_EN)
    pkg = _package(transcript, manifest={"topics": ["Gradient-based optimization: descent methods"]})
    result = _run(pkg, rules)
    topic = result.coverage.topics[0]
    assert topic.covered and topic.score >= rules.threshold
    assert topic.evidence[0]["file"] == "t/w3.srt" and "cue" in topic.evidence[0]["location"]
    assert not [f for f in result.findings if f.rule == "topic-uncovered"]


def test_chinese_topic_in_other_words_is_covered(rules):
    transcript = _cues("t/w4.srt", FILLER_ZH + [
        "访问二叉树的每个结点恰好一次，叫作遍历。",
        "先序、中序、后序三种次序的区别在于根结点什么时候访问。",
    ] + FILLER_ZH)
    pkg = _package(transcript, manifest={"topics": ["二叉树的遍历方法"]})
    assert _run(pkg, rules).coverage.topics[0].covered


@pytest.mark.parametrize("title, content", [
    ("Reinforcement learning", ["Machine learning learns from data.",
                                "Deep learning stacks many layers.",
                                "The learning rate controls the step size.",
                                "Supervised learning needs labels."]),
    ("网络安全与防火墙", ["计算机网络分为五层。", "网络层负责路由选择。", "网络协议规定了报文格式。",
                  "我们用网络抓包工具观察报文。"]),
    ("神经网络", ["计算机网络分为五层。", "网络层负责路由选择。", "局域网与广域网的区别。"]),
])
def test_topic_sharing_only_generic_words_is_not_covered(rules, title, content):
    filler = FILLER_EN if title.isascii() else FILLER_ZH
    pkg = _package(_cues("t/x.srt", filler + content + filler), manifest={"topics": [title]})
    result = _run(pkg, rules)
    assert not result.coverage.topics[0].covered, result.coverage.topics[0]
    [finding] = [f for f in result.findings if f.rule == "topic-uncovered"]
    assert finding.file == "course.yaml" and finding.match == title
    assert finding.severity == "warning" and finding.category == "coverage"


def test_generic_only_topic_needs_a_near_verbatim_mention(rules):
    with_phrase = _cues("t/a.srt", FILLER_ZH + ["今天这一讲的主题是系统设计。"] + FILLER_ZH)
    scattered = _cues("t/a.srt", FILLER_ZH + ["这个系统很复杂。", "界面设计要简洁。"] + FILLER_ZH)
    topic = {"topics": ["系统设计"]}
    assert _run(_package(with_phrase, manifest=topic), rules).coverage.topics[0].covered
    assert not _run(_package(scattered, manifest=topic), rules).coverage.topics[0].covered


def test_only_teaching_roles_count(rules):
    exam = _lines("exam/final.md", "二叉树的遍历有先序、中序、后序三种。", "exam")
    notes = _lines("notes/n.md", "二叉树的遍历有先序、中序、后序三种。", "notes")
    topic = {"topics": ["二叉树的遍历"]}
    assert not _run(_package(exam, manifest=topic), rules).coverage.topics[0].covered
    by_notes = _run(_package(notes, manifest=topic), rules).coverage.topics[0]
    by_transcript = _run(_package(_cues("t.srt", ["二叉树的遍历有先序、中序、后序三种。"]),
                                  manifest=topic), rules).coverage.topics[0]
    assert by_notes.covered and by_notes.score < by_transcript.score


def test_uncovered_syllabus_topic_is_located_where_the_syllabus_states_it(rules):
    syllabus = _lines("syllabus.md", "## 教学内容\n### 第1周 二叉树的遍历\n### 第2周 外部排序与败者树\n",
                      "syllabus")
    transcript = _cues("t/1.srt", FILLER_ZH + ["二叉树的遍历有先序、中序、后序三种。"])
    result = _run(_package(syllabus, transcript, manifest={"responsible_teacher": "x"}), rules)
    assert result.coverage.ratio == 0.5
    [finding] = [f for f in result.findings if f.rule == "topic-uncovered"]
    assert finding.file == "syllabus.md" and finding.location == {"line": 3}
    assert finding.match == "外部排序与败者树"
    assert "外部排序与败者树" in finding.message["zh"] and finding.message["en"]
    assert finding.extra["terms"] and finding.extra["score"] < rules.threshold


def test_threshold_option(rules):
    pkg = _package(_cues("t.srt", FILLER_ZH + ["二叉树的遍历有三种。"]),
                   manifest={"topics": ["二叉树的遍历与线索化"]})
    topic = _run(pkg, rules).coverage.topics[0]
    assert topic.covered and topic.score < 0.95
    assert not _run(pkg, rules, coverage_threshold=0.95).coverage.topics[0].covered


def test_without_rules_topics_or_content(rules):
    pkg = _package(_cues("t.srt", ["二叉树"]), manifest={"topics": ["二叉树"]})
    assert check_coverage(CheckContext(package=pkg)).coverage is None
    empty_syllabus = _lines("syllabus.md", "本课程介绍数据库。", "syllabus")
    result = _run(_package(empty_syllabus), rules)
    assert result.coverage is None
    assert [(f.rule, f.severity, f.file) for f in result.findings] == [
        ("no-topics", "info", "syllabus.md")]
    assert _run(_package(_cues("t.srt", ["x"])), rules).findings == []
    no_content = _run(_package(manifest={"topics": ["二叉树"]}), rules)
    assert no_content.coverage.ratio == 0.0 and len(no_content.findings) == 1


def test_no_topics_names_the_syllabus_that_was_read(rules):
    broken = FileRecord(path="a-broken.pdf", size=1, sha256="b", role="syllabus", format="pdf",
                        status="error")
    read = _lines("syllabus.md", "本课程介绍数据库。", "syllabus")
    result = _run(_package(broken, read), rules)
    assert [(f.rule, f.file) for f in result.findings] == [("no-topics", "syllabus.md")]


# ------------------------------------------------------------------ hours

@pytest.mark.parametrize("manifest, hours", [
    ({"hours": 48}, 48), ({"hours": "32"}, 32), ({"credit_hours": 2}, 32),
    ({"credit_hours": 36}, 36), ({"hours": 0, "credit_hours": 3}, 48), ({}, None),
    ({"hours": "many"}, None), ({"hours": True}, None),
    ({"hours": float("inf"), "credit_hours": 2}, 32), ({"hours": "nan"}, None),
    ({"hours": "inf"}, None), ({"hours": 10 ** 400}, None), ({"hours": [2]}, None),
])
def test_declared_class_hours(rules, manifest, hours):
    assert declared_class_hours(manifest, rules.hours) == hours


def test_hours_that_transcripts_cannot_support(rules):
    # 2 class hours → 90 min, half of it = 45 min; 30 cues of 1 minute = 30 min.
    short = _cues("t/1.srt", ["讲课"] * 30, step_ms=60_000)
    pkg = _package(short, manifest={"hours": 2})
    [finding] = [f for f in _run(pkg, rules).findings if f.rule == "hours-unsupported"]
    assert finding.file == "course.yaml" and finding.severity == "warning"
    assert finding.extra["transcript_minutes"] == pytest.approx(29.1, abs=0.1)
    assert finding.extra["declared_minutes"] == 90
    assert not [f for f in _run(pkg, rules, hours_min_ratio=0.3).findings
                if f.rule == "hours-unsupported"]
    enough = _package(_cues("t/1.srt", ["讲课"] * 50, step_ms=60_000), manifest={"hours": 2})
    assert not [f for f in _run(enough, rules).findings if f.rule.startswith("hours")]


def test_options_that_are_not_finite_numbers_fall_back_to_the_rule_file(rules):
    short = _cues("t/1.srt", ["讲课"] * 30, step_ms=60_000)
    pkg = _package(short, manifest={"hours": 2})
    [finding] = [f for f in _run(pkg, rules, hours_min_ratio="nan",
                                 coverage_threshold=float("inf")).findings
                 if f.rule == "hours-unsupported"]
    assert finding.extra["min_ratio"] == rules.hours.min_ratio


def test_hours_without_timing_or_transcripts(rules):
    untimed = _lines("t/1.txt", "讲稿第一行\n讲稿第二行", "transcript", "txt")
    findings = _run(_package(untimed, manifest={"hours": 32}), rules).findings
    assert [(f.rule, f.severity) for f in findings] == [("hours-unknown", "info")]
    assert _run(_package(manifest={"hours": 32}), rules).findings == []


# ------------------------------------------------------------------ rule files

@pytest.mark.parametrize("mutate, needle", [
    (lambda d: d.update(threshold=1.5), "threshold"),
    (lambda d: d.update(generic="网络"), "generic"),
    (lambda d: d["topics"]["numbered"].append({"pattern": "第(", "level": 1}), "topics.numbered"),
    (lambda d: d["topics"]["numbered"].append({"level": 1}), "topics.numbered"),
    (lambda d: d["hours"].update(severity="critical"), "hours.severity"),
    (lambda d: d["messages"].update(uncovered="plain"), "messages.uncovered"),
    (lambda d: d["messages"].update(uncovered={"zh": "主题 {name}", "en": "x"}),
     "messages.uncovered.zh"),
    (lambda d: d["messages"].update(hours={"zh": "{hours:.1f", "en": "x"}), "messages.hours"),
    (lambda d: d["tests"]["titles"].append(["第一章 绪论", "第一章"]), "tests"),
    (lambda d: d["tests"]["not_admin"].append("考核方式"), "tests"),
])
def test_bad_rule_files_are_refused(raw, mutate, needle):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(RuleFileError) as err:
        parse_coverage(data, "inst/coverage.yaml")
    assert "inst/coverage.yaml" in str(err.value) and needle in str(err.value)


def test_rule_errors_carry_the_yaml_line():
    text = SHIPPED.read_text(encoding="utf-8")
    assert parse_rule_text(text, "coverage.yaml").rules.threshold == 0.5
    broken = text.replace("threshold: 0.5\n", "threshold: high\n", 1)
    with pytest.raises(RuleFileError) as err:
        parse_rule_text(broken, "coverage.yaml")
    assert err.value.line == broken.splitlines().index("threshold: high") + 1


def test_not_a_mapping_is_refused():
    with pytest.raises(RuleFileError):
        parse_coverage(["x"], "c.yaml")  # type: ignore[arg-type]


def test_the_check_is_registered():
    from reviewer.checks.registry import CHECK_MODULES, all_checks

    assert "reviewer.checks.coverage" in CHECK_MODULES and "coverage" in all_checks()


# ------------------------------------------------------------------ real material

def test_sample_courses_uncovered_topics_are_exactly_the_seeded_ones(rules, samples_dir):
    from reviewer.ingest.package import load_package

    def matches(want: dict, got) -> bool:
        return got.file == want["file"] and want["match"] in got.match and all(
            got.location.get(k) == v for k, v in (want.get("location") or {}).items())

    for name in ("zh-data-structures", "en-intro-ml", "bi-computer-networks"):
        expected = yaml.safe_load((samples_dir / "expected" / f"{name}.yaml").read_text("utf-8"))
        seeded = [e for e in expected["findings"] if e["check"] == "coverage"]
        result = _run(load_package(samples_dir / name), rules)
        for want in seeded:  # every seeded coverage problem is found …
            assert any(matches(want, got) for got in result.findings), (name, want)
        for got in result.findings:  # … and no topic is reported that nobody seeded
            if got.rule == "topic-uncovered":
                assert any(matches(want, got) for want in seeded), (name, got.match)
        assert any(f.rule == "topic-uncovered" for f in result.findings)
        assert result.coverage.ratio >= 0.75


def test_corpus_syllabi_yield_their_lecture_topics(rules, corpus_dir):
    from reviewer.ingest.package import read_file

    md = corpus_dir / "zh-pku-oss-development" / "syllabus" / "课程大纲_2022.md"
    rec = read_file(md.read_bytes(), md.name, role="syllabus")
    titles = [t.title for t in syllabus_topics(_package(rec), rules.topics)]
    assert len(titles) == 15 and titles[0] == "开源软件及其开发概述"
    assert "CI/CD" in titles and not any("评分" in t for t in titles)

    pdf = corpus_dir / "en-usc-csce585-ml-systems" / "syllabus" / "CSCE585_Syllabus_Fall2025.pdf"
    rec = read_file(pdf.read_bytes(), pdf.name, role="syllabus")
    titles = [t.title for t in syllabus_topics(_package(rec), rules.topics)]
    # its learning objectives are sentences about students: the schedule states the contents
    assert "Design and analyze reproducible ML experiments" not in titles
    assert "Reproducibility & Benchmarking in MLSys" in titles
    assert not any(t.lower().startswith(("grading", "course description")) for t in titles)


def test_objectives_are_topics_only_when_the_syllabus_states_no_contents(rules):
    only = "## 学习目标\n- 掌握线性回归与梯度下降\n- 理解支持向量机的原理\n"
    topics = syllabus_topics(_package(_lines("s.md", only, "syllabus")), rules.topics)
    assert [t.title for t in topics] == ["掌握线性回归与梯度下降", "理解支持向量机的原理"]
    both = only + "## 教学内容\n### 第1周 线性回归\n"
    topics = syllabus_topics(_package(_lines("s.md", both, "syllabus")), rules.topics)
    assert [t.title for t in topics] == ["线性回归"]


@pytest.mark.parametrize("line", [
    "1. Robert Gibbons, Game Theory for Applied Economists, Princeton University Press, 1992.",
    "2. 谢希仁．计算机网络（第8版）．北京：电子工业出版社，2021．",
    "1. 使学生理解计算机网络的分层体系结构，能够分析常见网络协议的工作过程。",
    "Week 1: Students will learn to model strategic interactions as games.",
    "第3周　第二章", "第9周　期中考试", "Week 6: Midterm exam (25%)", "第10周 2025-11-10",
    "第七章（简略）", "第二章",
])
def test_non_topic_numbered_lines_are_dropped(rules, line):
    pkg = _package(_lines("s.md", "## 教学内容\n" + line + "\n", "syllabus"))
    assert syllabus_topics(pkg, rules.topics) == []


def test_bare_chapter_takes_the_title_on_the_next_line_and_dates_are_stripped(rules):
    text = "## 教学内容\n### 第七章（简略）\n无线局域网\nWeek 3 (Sep 15): Mixed strategies\n"
    topics = syllabus_topics(_package(_lines("s.md", text, "syllabus")), rules.topics)
    assert [t.title for t in topics] == ["无线局域网", "Mixed strategies"]


def test_a_broken_not_topics_pattern_fails_the_rule_file(raw):
    data = copy.deepcopy(raw)
    data["topics"]["not_topics"] = ["("]
    with pytest.raises(RuleFileError, match="not_topics"):
        parse_coverage(data, "x.yaml")
    data = copy.deepcopy(raw)
    data["tests"]["topics_ok"] = ["期中考试"]
    with pytest.raises(RuleFileError, match="should be a topic"):
        parse_coverage(data, "x.yaml")


def test_boilerplate_descriptions_are_dropped_and_alternative_titles_kept(rules):
    lines = []
    for n, (zh, en) in enumerate([("进程调度", "process scheduling"), ("虚拟内存", "virtual memory"),
                                  ("文件系统", "file systems")], start=1):
        lines += [f"第{n}讲 {zh}（{en}）", "教学要求：掌握基本概念，完成课后练习。"]
    lines += ["第4讲 死锁（2学时）", "死锁的四个必要条件；银行家算法。"]
    rec = FileRecord(path="s.pdf", size=1, sha256="p", role="syllabus", format="pdf",
                     segments=[Segment("s.pdf", 0, Locator(page=1), "\n".join(lines))])
    topics = syllabus_topics(_package(rec), rules.topics)
    assert [(t.title, t.alt_title, t.description) for t in topics] == [
        ("进程调度", "process scheduling", ""), ("虚拟内存", "virtual memory", ""),
        ("文件系统", "file systems", ""), ("死锁", "", "死锁的四个必要条件；银行家算法。")]


def test_alternative_title_lets_content_in_the_other_language_confirm(rules):
    topic = Topic("页面置换", alt_title="page replacement algorithms")
    content = _cues("t.srt", FILLER_EN + ["When memory is full, page replacement picks a victim.",
                                          "LRU is the classic replacement algorithm."] + FILLER_EN)
    pkg = _package(content)
    from reviewer.checks.coverage import ContentIndex, assess

    [(_, result, _)] = assess([topic], ContentIndex(pkg, rules), rules, rules.threshold)
    [(_, plain, _)] = assess([Topic("页面置换")], ContentIndex(pkg, rules), rules, rules.threshold)
    assert result.score > plain.score


def test_a_description_confirms_a_topic_but_never_counts_against_it(rules):
    taught = _cues("t.srt", FILLER_ZH + ["下面讲死锁。死锁的四个必要条件是互斥、占有并等待、不可抢占和循环等待。"])
    with_desc = Topic("死锁", description="哲学家就餐问题；资源分配图的化简；鸵鸟算法。")
    from reviewer.checks.coverage import ContentIndex, assess

    [(_, result, _)] = assess([with_desc], ContentIndex(_package(taught), rules), rules,
                              rules.threshold)
    assert result.covered and result.score >= 0.9


def test_a_compound_said_in_pieces_counts_only_with_all_its_pieces(rules):
    pieces = _cues("t.srt", FILLER_ZH + ["分布式的文件系统把文件分散存储在多台服务器上。",
                                         "客户端通过元数据服务器找到数据块。"] + FILLER_ZH)
    topic = {"topics": ["分布式文件系统"]}
    assert _run(_package(pieces, manifest=topic), rules).coverage.topics[0].covered
    one_piece = _cues("t.srt", FILLER_ZH + ["银行家算法检查系统是否处于安全状态。"] + FILLER_ZH * 3
                      + ["计算机网络分为五层。"])
    result = _run(_package(one_piece, manifest={"topics": ["网络安全"]}), rules)
    assert not result.coverage.topics[0].covered


def test_many_candidate_windows_are_scored_alike_with_arrays_and_without(rules, monkeypatch):
    """A large course's windows are masked with numpy (``VECTOR_MIN`` candidates or more):
    every topic's score, decision and evidence must be what the plain loop gives — ties
    between equal windows, terms found only inside windows (frequent ones), several files."""
    import random

    from reviewer.checks import coverage as cov

    rnd = random.Random(7)
    words = ["哈希表", "冲突", "开放地址", "链地址法", "二叉树", "遍历", "平衡", "旋转", "图", "最短路径",
             "堆", "排序", "栈", "队列"]
    files = []
    for f in range(3):
        lines = []
        for _ in range(1500):
            picked = rnd.sample(words, rnd.randint(0, 3))
            lines.append("，".join(picked + [rnd.choice(FILLER_ZH)]))
        files.append(_cues(f"lec{f}.srt", lines))
    manifest = {"topics": ["哈希表与冲突处理", "二叉树的遍历", "平衡二叉树的旋转", "图的最短路径",
                           "堆排序", "栈与队列", "红黑树的删除"]}
    pkg = _package(*files, manifest=manifest)

    def run(minimum: int):
        monkeypatch.setattr(cov, "VECTOR_MIN", minimum)
        result = _run(pkg, rules)
        return [(t.title, t.covered, t.score, t.evidence) for t in result.coverage.topics]

    plain, arrays = run(10 ** 9), run(0)
    assert plain == arrays
    decided = {title: covered for title, covered, _, _ in plain}
    assert decided["红黑树的删除"] is False and decided["二叉树的遍历"] is True  # never taught / taught
