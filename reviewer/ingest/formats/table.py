"""Every format the tool knows, one row each (room: ingest).

Detection (:mod:`reviewer.ingest.formats.detect`), extraction and its cache key
(:mod:`reviewer.ingest.package`) and the completeness check read this table, so a
new format is one :class:`FormatSpec` here plus its reader module.  Readers are
named as ``"module:function"`` and imported on first use: a scan imports only
the readers its files need.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

_FORMATS = "reviewer.ingest.formats"


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """One format: how it is recognised, read and cached, and what its units are."""

    name: str
    #: Lower-case file extensions, dot included (``.md.txt`` counts as one).
    extensions: tuple[str, ...] = ()
    #: ``"module:function"`` of the reader; None for formats read elsewhere (media
    #: files are probed, not extracted) or not at all (unknown).
    reader: str | None = None
    #: The extractor's version: bump it when extraction changes (the store keys cached
    #: records by format and version).
    version: str = "1"
    #: The reader reads pictures: it takes the OCR options, and the version names the
    #: picture readers installed (a record read without OCR is not reused once it is).
    pictures: bool = False
    #: Read through LibreOffice: the version says whether it is installed (and names
    #: the picture readers, as the converted document's pictures are read).
    legacy: bool = False
    #: A command whose presence changes what is extracted (``ffprobe`` for media).
    probe: str | None = None
    #: What the record's ``units`` count, where the completeness check needs it.
    unit: str | None = None
    #: Segments carry start and end times (subtitles).
    timed: bool = False

    def load_reader(self) -> Callable[..., Any] | None:
        return _load(self.reader) if self.reader else None


@cache
def _load(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


#: Pictures read by OCR; other media are listed, not read.
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".jpe", ".bmp", ".gif", ".webp", ".tif", ".tiff")
MEDIA_EXTENSIONS = (".svg", ".ico", ".emf", ".wmf", ".heic",
                    ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".wmv", ".flv", ".mpg", ".mpeg",
                    ".mp3", ".wav", ".m4a", ".aac", ".flac", ".ogg", ".opus")

TABLE: tuple[FormatSpec, ...] = (
    FormatSpec("pdf", (".pdf",), f"{_FORMATS}.pdf:read_pdf", "2", pictures=True, unit="page"),
    FormatSpec("pptx", (".pptx",), f"{_FORMATS}.office:read_pptx", "2", pictures=True,
               unit="slide"),
    FormatSpec("docx", (".docx",), f"{_FORMATS}.office:read_docx", "2", pictures=True),
    FormatSpec("doc", (".doc", ".wps", ".rtf"), f"{_FORMATS}.legacy:read_legacy", "1",
               pictures=True, legacy=True),
    FormatSpec("ppt", (".ppt", ".pps", ".dps"), f"{_FORMATS}.legacy:read_legacy", "1",
               pictures=True, legacy=True, unit="slide"),
    FormatSpec("xlsx", (".xlsx", ".xlsm"), f"{_FORMATS}.sheet:read_xlsx", "1"),
    FormatSpec("xls", (".xls", ".et"), f"{_FORMATS}.legacy:read_legacy", "1", legacy=True),
    FormatSpec("srt", (".srt",), f"{_FORMATS}.subtitles:read_srt", "1", unit="cue", timed=True),
    FormatSpec("vtt", (".vtt",), f"{_FORMATS}.subtitles:read_vtt", "1", unit="cue", timed=True),
    FormatSpec("txt", (".txt", ".text", ".tex", ".rst", ".csv", ".log"),
               f"{_FORMATS}.text:read_text", "1"),
    FormatSpec("md", (".md", ".markdown", ".mdown", ".md.txt"), f"{_FORMATS}.text:read_text", "1"),
    FormatSpec("yaml", (".yaml", ".yml"), f"{_FORMATS}.text:read_text", "1"),
    FormatSpec("image", IMAGE_EXTENSIONS, f"{_FORMATS}.image:read_image", "1", pictures=True),
    FormatSpec("media", MEDIA_EXTENSIONS, None, "2", probe="ffprobe"),
    FormatSpec("unknown"),
)

BY_NAME: dict[str, FormatSpec] = {spec.name: spec for spec in TABLE}
#: Extension → format name (every extension belongs to one format).
BY_EXTENSION: dict[str, str] = {ext: spec.name for spec in TABLE for ext in spec.extensions}
assert len(BY_EXTENSION) == sum(len(spec.extensions) for spec in TABLE), "an extension twice"


def spec_of(name: str) -> FormatSpec:
    """The row of format ``name`` (an unknown name is the ``unknown`` row)."""
    return BY_NAME.get(name, BY_NAME["unknown"])
