"""Printing the HTML report to PDF with a headless Chromium (service layer: runs a program).

``reviewer report REC --format pdf --out REC.pdf`` renders the HTML report
(:mod:`reviewer.signing.report`), writes it to a private temporary folder and
has Chromium print it: A4, the report's own running header and footer (CSS
page margin boxes, Chromium 131 or later) and none of the browser's.

Nothing reaches the network: the page is a ``file://`` URL of a
self-contained file whose Content-Security-Policy forbids every fetch, and
Chromium runs with a fresh profile, its background services off and a host
resolver that resolves no name.

Which browser: ``$REVIEWER_CHROMIUM`` when set, else the first of
``chromium``, ``chromium-browser``, ``google-chrome``, ``google-chrome-stable``
and ``chrome`` on the ``PATH``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.i18n import CodedError, bilingual, t

CHROMIUM_ENV = "REVIEWER_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: The first Chromium that draws CSS page margin boxes (page numbers, running header).
MARGIN_BOXES_SINCE = 131
TIMEOUT_SECONDS = 180

#: What to do without a browser (the catalog's ``errors.print.no-browser``, in English).
INSTALL_HINT = t("errors.print.no-browser", "en")


class PrintError(CodedError, RuntimeError):
    """The PDF could not be made (no browser, or the browser failed); the message says why."""


@dataclass(slots=True)
class PrintResult:
    out: Path
    browser: str
    pages: int | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)  # {zh, en}


def find_chromium() -> str | None:
    """The browser to print with (``$REVIEWER_CHROMIUM`` or one on the ``PATH``), or ``None``.

    Raises :class:`PrintError` when ``$REVIEWER_CHROMIUM`` names no program.
    """
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise PrintError(None, "print.bad-env", env=f"${CHROMIUM_ENV}", named=repr(named))
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_major(browser: str) -> int | None:
    """The browser's major version (``--version``), or ``None`` when it doesn't say."""
    try:
        proc = subprocess.run([browser, "--version"], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"(?:Chromium|Chrome)\D*(\d+)\.", proc.stdout or "")
    return int(m.group(1)) if m else None


def chromium_command(browser: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    """The command line that prints ``page`` to ``pdf`` with nothing reaching the network."""
    return [
        browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-sync", "--disable-default-apps",
        "--disable-background-networking", "--disable-component-update",
        "--disable-domain-reliability", "--disable-breakpad", "--disable-client-side-phishing-detection",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(),
    ]


def html_to_pdf(html: str, out: str | Path, *, browser: str | None = None,
                timeout: float = TIMEOUT_SECONDS) -> PrintResult:
    """Print the self-contained ``html`` to the PDF file ``out`` (written atomically).

    Raises :class:`PrintError` (no browser: with :data:`INSTALL_HINT`; a browser that
    fails or times out: with the end of what it said) and ``OSError`` when ``out``
    can't be written.
    """
    from reviewer.files import write_atomic

    browser = browser or find_chromium()
    if browser is None:
        raise PrintError(None, "print.no-browser")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    warnings = []
    major = chromium_major(browser)
    if major is not None and major < MARGIN_BOXES_SINCE:
        warnings.append(bilingual("signing.old_browser", browser=Path(browser).name, major=major,
                                  since=MARGIN_BOXES_SINCE))
    # The folder lies beside the output: a confined browser (a snap) may not see /tmp.
    with tempfile.TemporaryDirectory(prefix=".reviewer-print-", dir=out.parent) as tmp:
        work = Path(tmp).resolve()
        page, pdf = work / "report.html", work / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = chromium_command(browser, page, pdf, work / "profile")
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, errors="replace")
        except subprocess.TimeoutExpired as exc:
            raise PrintError(None, "print.timeout", browser=browser,
                             seconds=f"{timeout:.0f}") from exc
        except OSError as exc:
            raise PrintError(None, "print.cannot-run", browser=browser, reason=exc) from exc
        data = pdf.read_bytes() if pdf.exists() else b""
        if not data.startswith(b"%PDF"):
            said = "\n".join((proc.stderr or "").strip().splitlines()[-5:])
            raise PrintError(None, "print.no-pdf", browser=browser, status=proc.returncode,
                             said=f":\n{said}" if said else "")
        write_atomic(out, data)
    return PrintResult(out=out, browser=browser, pages=_page_count(data), warnings=warnings)


def _page_count(data: bytes) -> int | None:
    try:
        import pypdfium2 as pdfium

        return len(pdfium.PdfDocument(data))
    except Exception:  # noqa: BLE001 - the count is a courtesy; the PDF is written already
        return None
