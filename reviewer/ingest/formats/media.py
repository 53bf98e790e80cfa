"""Video and audio files (room: ingest): listed with their duration, not read.

A lecture video is not text, but a reviewer must know it is there, how long it
is, and whether a transcript goes with it (the completeness check pairs them).
The duration comes from the container's header through `mutagen
<https://mutagen.readthedocs.io>`_ (pure Python, well kept; MP4/M4V/MOV/M4A,
MP3, FLAC, Ogg/Opus, WAV, WMA/WMV/ASF, AAC); for containers mutagen does not
read (MKV, WebM, AVI, FLV, MPEG) ``ffprobe`` is asked when it is installed.
When neither can tell, an info issue says how to install ffprobe.

Metadata: ``media`` (``"video"`` / ``"audio"`` / ``"other"``), ``duration_ms``
(absent when unknown) and ``duration_from`` (``mutagen`` / ``ffprobe``).  Units: 0.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
from typing import IO

from reviewer.ingest.formats.base import Extracted, issue
from reviewer.ingest.formats.detect import extension

VIDEO_EXT = frozenset(".mp4 .m4v .mov .avi .mkv .webm .wmv .flv .mpg .mpeg".split())
AUDIO_EXT = frozenset(".mp3 .wav .m4a .aac .flac .ogg .opus".split())
#: Longest ffprobe may take for one file (a broken file must not hang a scan).
FFPROBE_TIMEOUT_S = 20
#: How to get ffprobe, shown when a duration can't be read without it.
FFPROBE_HINT_EN = "install FFmpeg for ffprobe (Debian/Ubuntu: apt install ffmpeg; Windows: winget install ffmpeg; macOS: brew install ffmpeg)"
FFPROBE_HINT_ZH = "请安装 FFmpeg 以使用 ffprobe（Debian/Ubuntu：apt install ffmpeg；Windows：winget install ffmpeg；macOS：brew install ffmpeg）"


def media_kind(path: str) -> str:
    ext = extension(path)
    return "video" if ext in VIDEO_EXT else "audio" if ext in AUDIO_EXT else "other"


def ffprobe_available() -> bool:
    return shutil.which("ffprobe") is not None


def _stream(data: bytes | IO[bytes]) -> IO[bytes]:
    if isinstance(data, (bytes, bytearray)):
        return io.BytesIO(data)
    data.seek(0)
    return data


def duration_mutagen(data: bytes | IO[bytes]) -> float | None:
    """Seconds, from the container header; ``None`` when mutagen can't tell."""
    try:
        import mutagen
    except ImportError:  # pragma: no cover - a dependency; still, never fail a scan on it
        return None
    try:
        info = mutagen.File(_stream(data))
    except Exception:  # noqa: BLE001 - mutagen raises many kinds on broken headers
        return None
    length = getattr(getattr(info, "info", None), "length", None)
    if isinstance(length, (int, float)) and length > 0:
        return float(length)
    return None


def duration_ffprobe(data: bytes | IO[bytes], path: str) -> float | None:
    """Seconds, from ffprobe on a temporary copy; ``None`` when it can't tell."""
    exe = shutil.which("ffprobe")
    if exe is None:
        return None
    fd, tmp = tempfile.mkstemp(suffix=extension(path) or ".bin")
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, (bytes, bytearray)):
                out.write(data)
            else:
                shutil.copyfileobj(_stream(data), out, 2**20)
        proc = subprocess.run(
            [exe, "-v", "error", "-show_entries", "format=duration", "-of", "json", tmp],
            capture_output=True, timeout=FFPROBE_TIMEOUT_S, check=False)
        value = json.loads(proc.stdout or b"{}").get("format", {}).get("duration")
        seconds = float(value)
        return seconds if seconds > 0 else None
    except (OSError, ValueError, TypeError, subprocess.TimeoutExpired):
        return None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def read_media(data: bytes | IO[bytes], path: str) -> Extracted:
    """A media file's kind and duration (never raises for a broken file: it says so).

    ``data`` is the file's bytes or, for a file over the size limit (a lecture
    video often is), a seekable stream: only the header is read."""
    kind = media_kind(path)
    out = Extracted(units=0, meta={"media": kind})
    if kind == "other":  # vector pictures, icons, HEIC: listed only
        return out
    seconds, source = duration_mutagen(data), "mutagen"
    if seconds is None:
        seconds, source = duration_ffprobe(data, path), "ffprobe"
    if seconds is not None:
        out.meta["duration_ms"] = int(round(seconds * 1000))
        out.meta["duration_from"] = source
        return out
    what_zh = "视频" if kind == "video" else "音频"
    if ffprobe_available():
        out.issues.append(issue("media-duration-unknown", "warning",
                                f"无法读取{what_zh}时长（文件头损坏或格式不受支持），无法与字幕和学时核对。",
                                f"Could not read the {kind}'s duration (a broken header or an unsupported "
                                "container); it can't be checked against its subtitles and the declared hours.",
                                file=path))
    else:
        out.issues.append(issue("media-duration-unknown", "info",
                                f"无法读取{what_zh}时长：{FFPROBE_HINT_ZH}。",
                                f"Could not read the {kind}'s duration: {FFPROBE_HINT_EN}.",
                                file=path))
    return out
