"""The UI's in-memory findings model: filters, search, sort — no widgets involved."""

from __future__ import annotations

from reviewer.checks.model import finding_at
from reviewer.ingest.model import Locator, Segment
from reviewer.tui.findings_model import UNDECIDED, FindingsModel


def _findings(n: int):
    """``n`` findings, each its own problem (its own matched text: groups of one)."""
    severities = ("error", "warning", "info")
    out = []
    for i in range(n):
        seg = Segment("notes/a.md", 1, Locator(line=3), f"{i:05d}甲乙丙丁戊己庚辛壬癸 alpha beta")
        out.append(finding_at(seg, 0, 5, check=("lexicon", "pii")[i % 2],
                              rule=f"r{i % 4}", category=f"c{i % 3}",
                              severity=severities[i % 3],
                              message={"zh": f"第{i}条", "en": f"item {i}"}, occurrence=i))
    return out


def test_every_filter_narrows_the_view_and_clear_restores_it():
    model = FindingsModel.from_findings(_findings(60))
    assert len(model.view) == 60
    model.filters.severity = "error"
    model.refilter()
    assert len(model.view) == 20
    assert all(model.rows[i].finding.severity == "error" for i in model.view)
    model.filters.check = "pii"
    model.refilter()
    assert all(model.rows[i].finding.check == "pii" for i in model.view)
    assert 0 < len(model.view) < 20
    model.clear()
    assert len(model.view) == 60


def test_tally_counts_each_value_in_display_order():
    model = FindingsModel.from_findings(_findings(30))
    assert model.tally("severity") == [("error", 10), ("warning", 10), ("info", 10)]
    assert model.tally("check") == [("lexicon", 15), ("pii", 15)]
    assert model.tally("disposition") == [(UNDECIDED, 30), ("confirmed", 0),
                                          ("false-alarm", 0), ("accepted", 0)]
    model.set_filter("severity", "info")
    assert len(model.view) == 10
    model.set_filter("severity", None)
    assert len(model.view) == 30


def test_disposition_filter_distinguishes_undecided_from_each_disposition():
    findings = _findings(9)
    dispositions = {findings[0].id: {"disposition": "false-alarm", "reason": "quote"},
                    findings[1].id: {"disposition": "confirmed"}}
    model = FindingsModel.from_findings(findings, dispositions)
    assert dict(model.tally("disposition")) == {UNDECIDED: 7, "confirmed": 1, "false-alarm": 1,
                                                "accepted": 0}
    model.set_filter("disposition", UNDECIDED)
    assert len(model.view) == 7
    model.set_filter("disposition", "confirmed")
    assert [model.rows[i].finding.id for i in model.view] == [findings[1].id]
    model.set_filter("disposition", "false-alarm")
    assert model.rows[model.view[0]].reason == "quote"
    model.set_filter("disposition", "accepted")
    assert model.view == []


def test_search_matches_every_word_in_match_context_file_and_message():
    model = FindingsModel.from_findings(_findings(30))
    model.set_text("第7条")
    assert [model.rows[i].finding.msg("zh") for i in model.view] == ["第7条"]
    model.set_text("ALPHA notes/a.md")  # case-insensitive, all words must match
    assert len(model.view) == 30
    model.set_text("alpha nowhere")
    assert model.view == []
    model.set_text("   ")
    assert len(model.view) == 30


def test_sorting_orders_rows_and_reverse_flips_them():
    model = FindingsModel.from_findings(_findings(12))
    sev = [model.rows[i].finding.severity for i in model.view]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)
    assert model.next_sort() == "check"
    checks = [model.rows[i].finding.check for i in model.view]
    assert checks == sorted(checks)
    model.flip()
    assert [model.rows[i].finding.check for i in model.view] == sorted(checks, reverse=True)


def test_ten_thousand_findings_filter_in_memory():
    model = FindingsModel.from_findings(_findings(10_000))
    model.set_text("第9999条")
    assert len(model.view) == 1
    model.set_text("")
    model.set_filter("category", "c0")
    assert len(model.view) == sum(1 for r in model.rows if r.finding.category == "c0")
    assert model.counts() == {"total": 10_000, "shown": len(model.view), "undecided": 10_000,
                              "groups": 10_000}


def test_empty_model_is_harmless():
    model = FindingsModel.from_findings([])
    assert model.tally("severity") == []
    model.set_filter("severity", "error")
    assert model.view == []
    assert model.index_of("nope") is None


def test_fit_cuts_paths_from_the_front_and_text_from_the_back():
    from rich.cells import cell_len

    from reviewer.tui.widgets.findings_table import fit

    path = "transcripts/lec07-网络安全-Security.srt"
    cut = fit(path, 16, keep_end=True)
    assert cut.startswith("…") and cut.endswith("Security.srt") and cell_len(cut) == 16
    text = fit("找人代刷網課的同學", 9)
    assert text.endswith("…") and cell_len(text) == 9
    assert fit("short", 8, keep_end=True) == "short   "


def test_severity_and_disposition_labels_fit_their_columns_at_80_columns():
    """确认问题 read 确认… at 80 columns: the fixed widths ignored the labels' length."""
    from rich.cells import cell_len

    from reviewer.i18n import t
    from reviewer.tui.findings_model import FindingRow
    from reviewer.tui.widgets.findings_table import column_widths, disposition_label

    row = FindingRow(_findings(1)[0])
    for lang in ("zh", "en"):
        for total in (80, 100, 140):
            widths = column_widths(total, lang)
            assert sum(widths.values()) + len(widths) - 1 == total
            for sev in ("error", "warning", "info"):
                assert cell_len(t(f"severity.{sev}", lang)) <= widths["severity"]
            for disp in ("confirmed", "false-alarm", "accepted"):
                row.disposition, row.recheck = disp, True
                assert cell_len(disposition_label(row, lang)) <= widths["disposition"], \
                    (lang, total, disp)


def test_detail_pane_says_the_disposition_and_reason_on_its_first_line():
    """The pane shows six lines at 80×24: the disposition came last and was cut off."""
    from reviewer.tui.findings_model import FindingRow
    from reviewer.tui.widgets.finding_detail import detail_text

    row = FindingRow(_findings(1)[0], "false-alarm", "专业讨论")
    first = detail_text(row, "zh").plain.split("\n")[0]
    assert "误报" in first and "专业讨论" in first
    assert "第0条" in detail_text(row, "zh").plain


# ---------------------------------------------------------------- groups

def _emails(n: int, text: str = "zhang.wei@163.com", start: int = 0):
    out = []
    for i in range(start, start + n):
        seg = Segment(f"handouts/h{i:02d}.pdf", 0, Locator(page=1 + i % 3), f"答疑：{text}")
        out.append(finding_at(seg, 3, 3 + len(text), check="pii", rule="email", category="pii",
                              severity="error", message={"zh": "邮箱", "en": "e-mail"}))
    return out


def test_twenty_occurrences_show_as_one_row_with_all_members():
    findings = _emails(20) + _emails(2, "li.na@163.com", 20)
    model = FindingsModel.from_findings(findings)
    assert len(model.view) == 2
    assert model.counts()["groups"] == 2 and model.counts()["total"] == 22
    big = next(model.rows[i] for i in model.view if model.group_size(model.rows[i]) == 20)
    assert {m.finding.id for m in model.members(big)} == {f.id for f in findings[:20]}
    model.set_grouped(False)
    assert len(model.view) == 22 and model.members(big) == [big]
    model.set_grouped(True)
    assert len(model.view) == 2


def test_a_group_is_shown_when_any_member_passes_the_filter():
    findings = _emails(5)
    new = findings[4]
    dispositions = {f.id: {"disposition": "accepted", "reason": "教师邮箱"} for f in findings[:4]}
    dispositions[new.id] = {"new": True}
    model = FindingsModel.from_findings(findings, dispositions)
    model.set_filter("disposition", UNDECIDED)
    assert [model.rows[i].finding.id for i in model.view] == [new.id]  # the open one stands for it
    assert model.group_size(model.rows[model.view[0]]) == 5


def test_group_row_cells_and_labels_say_count_files_and_state():
    from reviewer.tui.widgets.finding_detail import detail_text
    from reviewer.tui.widgets.findings_table import cells

    findings = _emails(20)
    model = FindingsModel.from_findings(findings)
    row = model.rows[model.view[0]]
    members = model.members(row)
    zh, en = cells(row, "zh", members), cells(row, "en", members)
    assert zh["location"] == en["location"] == "×20"
    assert zh["file"] == "20 个文件" and en["file"] == "20 files"
    assert zh["disposition"] == "未处理"
    for m in members[:19]:
        m.disposition = "accepted"
    assert cells(row, "zh", members)["disposition"] == "部分处理"
    assert cells(row, "en", members)["disposition"] == "partly"
    members[19].new = True
    assert cells(row, "zh", members)["disposition"] == "新发现"  # a new occurrence stays visible
    members[19].disposition, members[19].new = "accepted", False
    assert cells(row, "zh", members)["disposition"] == "可接受"
    members[0].disposition = "confirmed"
    assert cells(row, "en", members)["disposition"] == "mixed"
    text = detail_text(row, "zh", members).plain
    assert "共 20 处，20 个文件" in text and "handouts/h00.pdf" in text and "另有 15 处" in text
    assert "20 places in 20 files" in detail_text(row, "en", members).plain


def test_at_80_columns_a_cue_keeps_its_start_time_and_a_check_its_abbreviation():
    """At 80 columns 字幕 17 00:01:45.220–… read 字幕 17 00:0… and *sensitive terms*
    read sensiti…: a cue keeps its number and start, a check its catalog abbreviation."""
    from rich.cells import cell_len

    from reviewer.tui.findings_model import FindingRow
    from reviewer.tui.widgets.findings_table import check_label, column_widths, compact_location

    cue = Segment("transcripts/lec07.srt", 16,
                  Locator(cue=17, start_ms=105_220, end_ms=110_550), "找人代刷网课")
    row = FindingRow(finding_at(cue, 2, 6, check="lexicon", rule="cheating-ads", category="c",
                                severity="error", message={"zh": "广告", "en": "advert"}))
    for lang in ("zh", "en"):
        narrow, wide = column_widths(80, lang), column_widths(140, lang)
        assert compact_location(row, lang, narrow["location"]) == "17 00:01:45"
        assert compact_location(row, lang, 8) == "00:01:45"
        assert "00:01:45.220" in compact_location(row, lang, 40)  # room: the whole label
        for check in ("lexicon", "pii", "outdated", "coverage", "completeness", "platform"):
            short = check_label(check, lang, narrow["check"])
            assert cell_len(short) <= narrow["check"] and "…" not in short, (lang, check)
        assert check_label("lexicon", "en", wide["check"] + 20) == "sensitive terms"
    para = Segment("notes/lab.docx", 3, Locator(paragraph=4, heading="实验环境 Lab environment"),
                   "国内第一品牌")
    row = FindingRow(finding_at(para, 2, 6, check="lexicon", rule="advertising", category="c",
                                severity="warning", message={"zh": "广告", "en": "advert"}))
    assert compact_location(row, "zh", 13) == "第 4 段"
