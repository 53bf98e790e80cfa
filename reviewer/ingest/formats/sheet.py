"""Spreadsheets (room: ingest): ``.xlsx`` / ``.xlsm`` through openpyxl, one segment per row.

Course packages carry a 教学进度表 (teaching schedule), a reading list or a
student roster as a spreadsheet; a roster is exactly where personal data sits.
Each row with any value becomes one segment ``Locator(line=row, heading=sheet)``
— the report shows ``{"line": 5, "sheet": "教学进度"}``, the reader
``教学进度 · 第 5 行`` — whose text is the row's cells joined by `` | ``
(formulas give their cached value, dates ISO 8601).  Hidden sheets are read
too (a hidden roster is still in the package) and say so in ``meta``.

Units: rows with text.  A workbook openpyxl can't open is an error
``office-corrupt`` (lock files, encrypted workbooks and zip bombs are refused
as for .docx); a sheet over :data:`MAX_ROWS` rows is read to the limit
with a warning.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

from reviewer.ingest.formats.base import Extracted, ExtractError, issue
from reviewer.ingest.model import Locator, Segment

#: Rows read per sheet (a schedule has dozens; a roster thousands).
MAX_ROWS = 20_000
#: Cells per row read (wider rows are data dumps, not course text).
MAX_COLUMNS = 200
SEPARATOR = " | "


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes, path: str) -> Extracted:
    """Every non-empty row of every sheet, in sheet order."""
    from reviewer.ingest.formats.office import _check_ooxml

    _check_ooxml(data, path, "xlsx")  # lock files, password-protected, not a zip, zip bombs
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise ExtractError("openpyxl is not installed (pip install openpyxl)", rule="unsupported-format",
                           zh="未安装 openpyxl，无法读取表格（pip install openpyxl）") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors alike
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ExtractError(f"corrupt .xlsx file: {reason}", rule="office-corrupt",
                           zh=f".xlsx 文件已损坏：{reason}") from None
    out = Extracted()
    hidden, cut = [], []
    try:
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                hidden.append(sheet.title)
            for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
                if number > MAX_ROWS:
                    cut.append(sheet.title)
                    break
                cells = [t for t in (_cell_text(v) for v in row) if t]
                if cells:
                    out.segments.append(Segment(path, len(out.segments), Locator(line=number, heading=sheet.title),
                                                SEPARATOR.join(cells)))
    finally:
        book.close()
    out.units = len(out.segments)
    props = book.properties
    out.meta = {"sheets": book.sheetnames, "title": props.title or "", "author": props.creator or "",
                "created": props.created.isoformat() if props.created else "",
                "modified": props.modified.isoformat() if props.modified else ""}
    if hidden:
        out.meta["hidden_sheets"] = hidden
    for title in cut:
        out.issues.append(issue("sheet-rows-limit", "warning",
                                f"工作表“{title}”超过 {MAX_ROWS} 行，只读取了前 {MAX_ROWS} 行。",
                                f"Sheet '{title}' has more than {MAX_ROWS} rows; only the first {MAX_ROWS} were read.",
                                file=path))
    return out
