"""Spreadsheets (.xlsx): one segment per row, located by sheet and row."""

from __future__ import annotations

import datetime as dt
import io

from reviewer.ingest.formats.detect import detect_format, infer_role
from reviewer.ingest.model import Locator
from reviewer.ingest.package import read_file


def workbook(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.properties.creator = "王建国"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


SCHEDULE = workbook({
    "教学进度": [["周次", "日期", "内容", "学时"],
                 [1, dt.datetime(2025, 9, 1), "绪论与算法分析", 4],
                 [],
                 [2, dt.datetime(2025, 9, 8), "线性表", 4.0]],
    "名单": [["学号", "姓名", "身份证号"], ["2023015", "张三", "110105199903072413"]],
}, hidden=("名单",))


def test_rows_are_segments_located_by_sheet_and_row():
    record = read_file(SCHEDULE, "教学进度表.xlsx")
    assert record.format == "xlsx" and record.status == "ok" and record.role == "notes"
    rows = [(s.locator.heading, s.locator.line, s.text) for s in record.segments]
    assert rows == [("教学进度", 1, "周次 | 日期 | 内容 | 学时"),
                    ("教学进度", 2, "1 | 2025-09-01 | 绪论与算法分析 | 4"),
                    ("教学进度", 4, "2 | 2025-09-08 | 线性表 | 4"),  # the empty row 3 is skipped
                    ("名单", 1, "学号 | 姓名 | 身份证号"),
                    ("名单", 2, "2023015 | 张三 | 110105199903072413")]
    assert record.units == 5
    assert record.meta["sheets"] == ["教学进度", "名单"] and record.meta["hidden_sheets"] == ["名单"]
    assert record.meta["author"] == "王建国"


def test_row_locator_label_report_form_and_key():
    loc = Locator(line=2, heading="名单")
    assert loc.label("zh") == "名单 · 第 2 行" and loc.label("en") == "名单 · row 2"
    assert loc.to_dict() == {"line": 2, "sheet": "名单"}
    assert Locator.from_dict(loc.to_dict()) == loc
    assert loc.key() != Locator(line=2, heading="教学进度").key()
    assert Locator(line=2).key() == "line=2"  # text files keep their keys (finding ids)


def test_detection():
    assert detect_format("a.xlsx") == detect_format("a.XLSM") == "xlsx"
    assert infer_role("schedule/教学进度表.xlsx", "xlsx") == "notes"


def test_corrupt_encrypted_and_lock_files_are_errors():
    assert read_file(b"PK\x03\x04 not really", "a.xlsx").issues[0].rule == "office-corrupt"
    assert read_file(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "a.xlsx").issues[0].rule == "office-corrupt"
    assert read_file(b"\x00lock", "~$a.xlsx").issues[0].rule == "office-lock-file"


def test_roster_in_a_hidden_sheet_is_found_by_the_checks(tmp_path):
    from reviewer.service.scan import scan
    from reviewer.store import open_db

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "教学进度表.xlsx").write_bytes(SCHEDULE)
    result = scan(open_db(tmp_path / "s.db"), tmp_path / "pkg")
    [pii] = [f for f in result.findings if f.check == "pii" and "110105199903072413" in (f.match or "")]
    assert pii.locator.heading == "名单" and pii.locator.line == 2
    from reviewer.checks.report import report_dict

    doc = report_dict(result.package, result.findings, result.coverage, version="t")
    [entry] = [f for f in doc["findings"] if f["id"] == pii.id]
    assert entry["location"] == {"line": 2, "sheet": "名单"}
