"""Videos and audio: durations at ingest; pairing with transcripts and hours in ``completeness``."""

from __future__ import annotations

import io
import os
import stat
import struct
import wave

import pytest

from reviewer.checks.completeness import check_completeness, pair_videos
from reviewer.checks.model import CheckContext
from reviewer.ingest.model import FileRecord, Locator, Package, Segment
from reviewer.ingest.package import Limits, load_package, read_file


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def tiny_mp4(duration_ms: int) -> bytes:
    """An MP4 container whose movie header says ``duration_ms`` (no frames: only the header matters)."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _box(b"mvhd", b"\0\0\0\0" + struct.pack(">IIII", 0, 0, 1000, duration_ms)
                + struct.pack(">IH", 0x10000, 0x100) + b"\0" * 10 + matrix + b"\0" * 24 + struct.pack(">I", 2))
    return ftyp + _box(b"moov", mvhd) + _box(b"mdat", b"")


def tiny_wav(seconds: float) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * int(8000 * seconds))
    return buf.getvalue()


# ------------------------------------------------------------------ ingest

def test_video_and_audio_durations_from_their_headers():
    video = read_file(tiny_mp4(2_710_500), "videos/lec01.mp4")
    assert video.format == "media" and video.status == "ok"
    assert video.meta == {"media": "video", "duration_ms": 2_710_500, "duration_from": "mutagen"}
    audio = read_file(tiny_wav(1.5), "audio/intro.wav")
    assert audio.meta["media"] == "audio" and audio.meta["duration_ms"] == 1500


def test_a_video_over_the_size_limit_is_listed_with_its_duration(tmp_path):
    (tmp_path / "lec01.mp4").write_bytes(tiny_mp4(600_000) + b"\0" * 5000)
    package = load_package(tmp_path, limits=Limits(max_file_bytes=1000))
    record = package.file("lec01.mp4")
    assert record.status == "ok" and record.meta["duration_ms"] == 600_000
    assert record.sha256  # still identified by its bytes


def test_unreadable_duration_without_ffprobe_says_how_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    record = read_file(b"\x1aE\xdf\xa3 not really matroska", "videos/lec02.mkv")
    assert record.status == "ok" and "duration_ms" not in record.meta
    [note] = record.issues
    assert note.rule == "media-duration-unknown" and note.severity == "info"
    assert "apt install ffmpeg" in note.message["en"] and "ffprobe" in note.message["zh"]


def _fake_ffprobe(folder, output: str) -> None:
    exe = folder / "ffprobe"
    exe.write_text(f"#!/bin/sh\necho '{output}'\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)


@pytest.mark.skipif(os.name != "posix", reason="a shell-script stand-in for ffprobe")
def test_ffprobe_reads_what_mutagen_does_not(tmp_path, monkeypatch):
    _fake_ffprobe(tmp_path, '{"format": {"duration": "125.250000"}}')
    monkeypatch.setenv("PATH", str(tmp_path))
    record = read_file(b"\x1aE\xdf\xa3 matroska", "videos/lec02.mkv")
    assert record.meta["duration_ms"] == 125_250 and record.meta["duration_from"] == "ffprobe"
    assert record.issues == []


@pytest.mark.skipif(os.name != "posix", reason="a shell-script stand-in for ffprobe")
def test_ffprobe_that_cannot_read_it_is_a_warning(tmp_path, monkeypatch):
    _fake_ffprobe(tmp_path, "garbage")
    monkeypatch.setenv("PATH", str(tmp_path))
    record = read_file(b"broken", "videos/lec02.webm")
    [warning] = record.issues
    assert warning.rule == "media-duration-unknown" and warning.severity == "warning"


def test_pictures_listed_as_media_have_no_duration():
    record = read_file(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "slides/logo.svg")
    assert record.meta == {"media": "other"} and record.issues == []


# ------------------------------------------------------------------ the check

def _video(path: str, ms: int | None) -> FileRecord:
    meta = {"media": "video"} | ({"duration_ms": ms} if ms is not None else {})
    return FileRecord(path=path, size=10, sha256=path, role="other", format="media", meta=meta)


def _transcript(path: str, last_end_s: float) -> FileRecord:
    segs = [Segment(path, 0, Locator(cue=1, start_ms=0, end_ms=3000), "开场"),
            Segment(path, 1, Locator(cue=2, start_ms=int(last_end_s * 1000) - 2000,
                                     end_ms=int(last_end_s * 1000)), "结束")]
    return FileRecord(path=path, size=10, sha256=path, role="transcript", format="srt", segments=segs)


def _package(files, hours=None) -> Package:
    manifest = {"responsible_teacher": "张老师", "files": []}
    if hours is not None:
        manifest["hours"] = hours
    syllabus = FileRecord(path="syllabus.md", size=1, sha256="s", role="syllabus", format="md",
                          segments=[Segment("syllabus.md", 0, Locator(line=1), "大纲")])
    slides = FileRecord(path="s.pptx", size=1, sha256="p", role="slides", format="pptx", units=1,
                        segments=[Segment("s.pptx", 0, Locator(slide=1), "绪论")])
    course = FileRecord(path="course.yaml", size=1, sha256="c", role="manifest", format="yaml")
    return Package(source="/p", kind="dir", files=[course, syllabus, slides, *files], digest="x",
                   manifest=manifest)


def _run(pkg, **options):
    return check_completeness(CheckContext(package=pkg, options=options)).findings


def test_pairing_by_name_number_and_duration():
    files = [_video("videos/Lec01-概述.mp4", 600_000), _transcript("subs/lec01-概述.zh-CN.srt", 598),
             _video("videos/第02讲.mp4", 900_000), _transcript("subs/第02讲_线性表_字幕.vtt", 897),
             _video("videos/intro.mp4", 300_000), _transcript("subs/welcome.srt", 296),
             _video("videos/extra.mp4", 100_000)]
    pairs = {v.path: (t.path if t else None) for v, t in pair_videos(_package(files))}
    assert pairs == {"videos/Lec01-概述.mp4": "subs/lec01-概述.zh-CN.srt",
                     "videos/第02讲.mp4": "subs/第02讲_线性表_字幕.vtt",
                     "videos/intro.mp4": "subs/welcome.srt",
                     "videos/extra.mp4": None}


def test_video_without_subtitles_is_a_warning_naming_its_length():
    findings = _run(_package([_video("videos/lec03.mp4", 2_710_000), _transcript("t/lec01.srt", 60)]))
    [f] = [f for f in findings if f.rule == "video-no-subtitles"]
    assert f.severity == "warning" and f.file == "videos/lec03.mp4"
    assert "00:45:10" in f.message["zh"] and "00:45:10" in f.message["en"]


def test_subtitles_that_stop_early_or_run_past_the_video():
    early = _run(_package([_video("v/lec01.mp4", 2_700_000), _transcript("t/lec01.srt", 1_200)]))
    [f] = [f for f in early if f.rule == "subtitles-end-early"]
    assert f.file == "t/lec01.srt" and f.locator.cue == 2 and "00:20:00" in f.message["en"]
    late = _run(_package([_video("v/lec01.mp4", 600_000), _transcript("t/lec01.srt", 900)]))
    assert [f.rule for f in late if f.rule.startswith("subtitles-")] == ["subtitles-past-video"]
    fine = _run(_package([_video("v/lec01.mp4", 600_000), _transcript("t/lec01.srt", 560)]))
    assert not [f for f in fine if f.rule.startswith(("subtitles-", "video-"))]


def test_declared_hours_against_video_time():
    files = [_video("v/lec01.mp4", 30 * 60_000), _transcript("t/lec01.srt", 1795)]
    [f] = [f for f in _run(_package(files, hours=32)) if f.rule == "video-hours"]
    assert f.file == "course.yaml" and "32 学时" in f.message["zh"] and "30 分钟" in f.message["zh"]
    assert not [f for f in _run(_package(files, hours=1)) if f.rule == "video-hours"]
    assert not [f for f in _run(_package(files, hours=32), video_minutes_per_hour=0.5) if f.rule == "video-hours"]
    # no video with a known duration: nothing to compare
    assert not [f for f in _run(_package([_video("v/a.mp4", None)], hours=32)) if f.rule == "video-hours"]
