"""Check ``completeness``: is the package whole? — room ``checks``.

What a reviewer needs before judging content at all:

* every file the manifest lists (``files[].path``, ``integrity_pledge``) is in
  the package — ``file-missing``, error;
* a syllabus (error when absent: nothing to review the teaching against,
  article 5), transcripts and slides (warnings: a course may legitimately
  ship only some of them, but a reviewer must know) — ``no-syllabus``,
  ``no-transcripts``, ``no-slides``;
* transcripts that have no cues or text — ``transcript-empty``, warning — and
  long silences between consecutive cues — ``transcript-gap``, warning, one
  per gap at the cue after it (option ``max_cue_gap_minutes``, default 5);
* slides and pages without any text — ``empty-slides``, info, one per file
  (PDFs whose empty pages ingest already reported are left to ingest).  Text
  read by OCR from a page or a slide's pictures counts as text; the message
  says when OCR found none in the pictures, or why it could not read them;
* lecture videos (durations from ingest) paired with their transcripts by name,
  lecture number or duration: a video without one — ``video-no-subtitles``,
  warning; subtitles that stop well before the video's end —
  ``subtitles-end-early`` — or run past it — ``subtitles-past-video``, warnings;
  declared hours the videos can't fill (option ``video_minutes_per_hour``,
  default 20) — ``video-hours``, warning;
* a responsible teacher (课程责任教师) named in the manifest — article 3 —
  ``no-responsible-teacher``, error.  A package without a manifest is already
  reported by ingest (``manifest-missing``) and is not reported again here.

Roles and file lists are data of the package; this check holds no terms.
"""

from __future__ import annotations

import math
import re
from typing import Any

from reviewer.checks.model import CheckContext, CheckResult, Finding, file_finding
from reviewer.checks.registry import register
from reviewer.ingest.digest import normalize_relpath
from reviewer.ingest.formats.table import spec_of
from reviewer.ingest.model import FileRecord, Locator, Package, format_ms

CHECK = "completeness"
CATEGORY = "completeness"

#: Default longest silence between two cues, in minutes (option ``max_cue_gap_minutes``).
DEFAULT_GAP_MINUTES = 5.0
#: Limit standing for "no limit" (an infinite option value), ten years.
_MAX_GAP_MINUTES = 10 * 366 * 24 * 60.0
#: At most this many gap findings per transcript; the last one says how many more.
MAX_GAPS_PER_FILE = 20
#: Ingest rules that already report pages without text (unread by OCR, or empty after it).
_INGEST_EMPTY_PAGE_RULES = ("pdf-pages-without-text", "pdf-no-text", "ocr-no-text")


def _finding(rule: str, severity: str, zh: str, en: str, file: str | None = None,
             match: str = "", locator: Locator | None = None,
             extra: dict[str, Any] | None = None) -> Finding:
    return file_finding(file, check=CHECK, rule=rule, category=CATEGORY, severity=severity,
                        message={"zh": zh, "en": en}, match=match, locator=locator, extra=extra)


# ------------------------------------------------------------------ manifest

def _listed_paths(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """``(path, where)`` for every file the manifest names."""
    out = []
    files = manifest.get("files")
    for i, entry in enumerate(files if isinstance(files, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("path"), str) and entry["path"].strip():
            out.append((entry["path"], f"files[{i}]"))
        elif isinstance(entry, str) and entry.strip():
            out.append((entry, f"files[{i}]"))
    pledge = manifest.get("integrity_pledge")
    if isinstance(pledge, str) and pledge.strip():
        out.append((pledge, "integrity_pledge"))
    return out


def missing_files(package: Package) -> list[Finding]:
    """Files the manifest lists that the package lacks."""
    if not package.manifest:
        return []
    present = {normalize_relpath(f.path) for f in package.files}
    present_folded = {p.casefold() for p in present}
    findings = []
    for path, where in _listed_paths(package.manifest):
        norm = normalize_relpath(path.strip())
        if norm in present:
            continue
        hint_zh = hint_en = ""
        if norm.casefold() in present_folded:
            hint_zh, hint_en = "（包内有仅大小写不同的同名文件）", " (a file differing only in letter case exists)"
        findings.append(_finding(
            "file-missing", "error",
            f"清单（{where}）列出的文件在课程包中不存在：{path}{hint_zh}",
            f"The manifest ({where}) lists a file the package lacks: {path}{hint_en}",
            file=norm, match=path, extra={"listed_in": where}))
    return findings


def _named(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_named(value.get(k)) for k in ("name", "zh", "en"))
    if isinstance(value, list):
        return any(_named(v) for v in value)
    return False


def responsible_teacher(package: Package) -> list[Finding]:
    """Article 3: each adopted course has a responsible teacher (课程责任教师)."""
    if package.manifest is None or _named(package.manifest.get("responsible_teacher")):
        return []
    manifest = next((f.path for f in package.files if f.role == "manifest"), None)
    return [_finding(
        "no-responsible-teacher", "error",
        "清单未写明课程责任教师（responsible_teacher）。依据教高〔2022〕1号第三条，每门引进课程须明确课程责任教师。",
        "The manifest names no responsible teacher (responsible_teacher); article 3 of "
        "教高〔2022〕1号 requires one for every adopted course.",
        file=manifest)]


# ------------------------------------------------------------------ roles

def missing_roles(package: Package) -> list[Finding]:
    """No syllabus (error), no transcripts or no slides (warnings)."""
    roles = {f.role for f in package.files}
    media = [f.path for f in package.files if f.format == "media"]
    findings = []
    if "syllabus" not in roles:
        findings.append(_finding(
            "no-syllabus", "error",
            "课程包中没有教学大纲：无法核对教学内容是否按大纲完成（第五条）。",
            "The package has no syllabus: whether teaching follows it (article 5) can't be checked."))
    if "transcript" not in roles:
        zh_more = f"（包内有 {len(media)} 个音视频文件但没有字幕）" if media else ""
        en_more = f" ({len(media)} media files have no subtitles)" if media else ""
        findings.append(_finding(
            "no-transcripts", "warning",
            f"课程包中没有讲课字幕或文字稿，无法审查授课内容{zh_more}。",
            f"The package has no transcripts or subtitles; lecture content can't be reviewed{en_more}."))
    if "slides" not in roles:
        findings.append(_finding(
            "no-slides", "warning", "课程包中没有课件（幻灯片）。",
            "The package has no slides."))
    return findings


# ------------------------------------------------------------------ transcripts

def _gap_limit_ms(ctx: CheckContext) -> int:
    value = ctx.options.get("max_cue_gap_minutes", DEFAULT_GAP_MINUTES)
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        minutes = DEFAULT_GAP_MINUTES
    if math.isnan(minutes):
        minutes = DEFAULT_GAP_MINUTES
    return int(min(max(minutes, 0.0), _MAX_GAP_MINUTES) * 60_000)  # inf: no gap is too long


def transcript_problems(record: FileRecord, gap_ms: int) -> list[Finding]:
    """No cues/text, or silences longer than ``gap_ms`` between consecutive cues."""
    if record.role != "transcript" or record.status != "ok":
        return []
    cues = [s for s in record.segments if s.locator.cue is not None]
    if not cues:
        if any(s.text.strip() for s in record.segments):
            return []  # a plain-text transcript: no timing to check
        timed = spec_of(record.format).timed
        return [_finding(
            "transcript-empty", "warning",
            "字幕文件中没有任何字幕条目。" if timed else "文字稿中没有任何文字。",
            "The subtitle file has no cues." if timed else "The transcript has no text.",
            file=record.path)]
    cues.sort(key=lambda s: (s.locator.start_ms or 0, s.locator.cue or 0))
    findings: list[Finding] = []
    gaps = 0
    latest_end = cues[0].locator.end_ms or cues[0].locator.start_ms or 0
    for cue in cues[1:]:
        start = cue.locator.start_ms or 0
        gap = start - latest_end
        if gap > gap_ms:
            gaps += 1
            if gaps <= MAX_GAPS_PER_FILE:
                minutes = gap / 60_000
                findings.append(_finding(
                    "transcript-gap", "warning",
                    f"字幕在 {format_ms(latest_end)} 到 {format_ms(start)} 之间中断了 {minutes:.1f} 分钟，"
                    "该段讲课内容无法审查。",
                    f"No subtitles for {minutes:.1f} minutes between {format_ms(latest_end)} and "
                    f"{format_ms(start)}; that part of the lecture can't be reviewed.",
                    file=record.path, locator=cue.locator, match=format_ms(start),
                    extra={"gap_ms": gap, "from": format_ms(latest_end), "to": format_ms(start)}))
        latest_end = max(latest_end, cue.locator.end_ms or start)
    if gaps > MAX_GAPS_PER_FILE:
        more = gaps - MAX_GAPS_PER_FILE
        findings.append(_finding(
            "transcript-gap", "warning",
            f"另有 {more} 处字幕中断未逐一列出（共 {gaps} 处）。",
            f"{more} more subtitle gaps not listed one by one ({gaps} in all).",
            file=record.path, match=f"+{more}", extra={"gaps": gaps}))
    return findings


# ------------------------------------------------------------------ slides and pages

def empty_units(record: FileRecord) -> list[int]:
    """Slide or page numbers of a PPTX/PDF that carry no text (speaker notes don't count)."""
    kind = spec_of(record.format).unit
    if record.status != "ok" or kind not in ("slide", "page") or record.units <= 0:
        return []
    with_text = {getattr(s.locator, kind) for s in record.segments
                 if not s.locator.notes and s.text.strip()}
    return [n for n in range(1, record.units + 1) if n not in with_text]


def empty_slides(record: FileRecord) -> list[Finding]:
    """One info finding per file listing its slides/pages without text."""
    if any(i.rule in _INGEST_EMPTY_PAGE_RULES for i in record.issues):
        return []
    empty = empty_units(record)
    if not empty:
        return []
    shown = ", ".join(map(str, empty[:15])) + (" …" if len(empty) > 15 else "")
    if spec_of(record.format).unit == "slide":
        zh, en = f"{len(empty)} 张幻灯片没有文字：第 {shown} 张", f"{len(empty)} slides have no text: {shown}"
    else:
        zh, en = f"{len(empty)} 页没有文字：第 {shown} 页", f"{len(empty)} pages have no text: {shown}"
    ocr = record.meta.get("ocr") if isinstance(record.meta.get("ocr"), dict) else {}
    unread = {int(k): v for k, v in (ocr.get("unread_units") or {}).items() if int(k) in empty}
    blank = [n for n in ocr.get("empty_units") or [] if n in empty]
    if unread:
        reason = unread[min(unread)] if isinstance(unread[min(unread)], dict) else {}
        zh_more = f"（其中 {len(unread)} 处的图片未能做文字识别：{reason.get('zh', '')}；请人工查看）。"
        en_more = f" ({len(unread)} of them have pictures OCR could not read: {reason.get('en', '')}; look at them)."
    elif blank and len(blank) == len(empty):
        zh_more, en_more = "（其中的图片经文字识别也没有文字）。", " (OCR found no text in their pictures either)."
    else:
        zh_more, en_more = "（可能是纯图片页，请人工查看）。", " (perhaps image-only: look at them)."
    return [_finding(
        "empty-slides", "info", zh + zh_more, en + en_more,
        file=record.path, match=shown, extra={"units": empty, "total": record.units})]


# ------------------------------------------------------------------ videos and their transcripts

#: Words in file names that say "subtitles" or a language, not which lecture (dropped before pairing).
_NAME_NOISE = re.compile(
    r"(?:subtitles?|subs?|captions?|transcripts?|字幕|文字稿|讲稿|中英|双语|chs|cht|zh(?:[-_](?:cn|hans|tw|hant))?|en(?:[-_]us)?|中文|英文)$")
_LECTURE_NO = re.compile(r"(?:lec(?:ture)?|week|wk|unit|ch(?:apter)?|session|第|l)\s*[-_ ]?\s*0*(\d{1,3})", re.I)
#: A transcript ending this far before its video's end leaves the rest unreviewed (or 15 %, whichever is more).
SHORT_BY_MS = 120_000
#: Cues this far past the video's end belong to another video.
LONG_BY_MS = 60_000
#: Video minutes one declared class hour (学时) needs at least (option ``video_minutes_per_hour``).
DEFAULT_VIDEO_MINUTES_PER_HOUR = 20.0


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    if "." in name:
        name = name.rsplit(".", 1)[0]
    if "." in name and _NAME_NOISE.fullmatch(name.rsplit(".", 1)[1]):  # lec01.zh-cn.srt → lec01
        name = name.rsplit(".", 1)[0]
    parts = [p for p in re.split(r"[\s._\-—()（）\[\]【】]+", name) if p]
    while len(parts) > 1 and _NAME_NOISE.fullmatch(parts[-1]):
        parts.pop()
    return "".join(parts)


def _lecture_no(path: str) -> int | None:
    found = _LECTURE_NO.search(path.rsplit("/", 1)[-1])
    return int(found.group(1)) if found else None


def _last_cue_end(record: FileRecord) -> int | None:
    ends = [s.locator.end_ms or s.locator.start_ms or 0 for s in record.segments if s.locator.cue is not None]
    return max(ends) if ends else None


def pair_videos(package: Package) -> list[tuple[FileRecord, FileRecord | None]]:
    """Each video with its transcript: same name (less language and "subtitles" words), else the
    same lecture number when only one of each has it, else the one transcript whose last cue
    ends within 5 % of the video's end."""
    videos = [f for f in package.files if f.format == "media" and f.meta.get("media") == "video"]
    free = [f for f in package.files if f.role == "transcript" and f.status == "ok"]
    pairs: dict[str, FileRecord | None] = {v.path: None for v in videos}

    def take(video: FileRecord, transcript: FileRecord) -> None:
        pairs[video.path] = transcript
        free.remove(transcript)

    for video in videos:
        same = [t for t in free if _stem(t.path) == _stem(video.path)]
        if same:
            take(video, same[0])
    for video in videos:
        n = _lecture_no(video.path)
        if pairs[video.path] is None and n is not None:
            numbered = [t for t in free if _lecture_no(t.path) == n]
            rivals = [v for v in videos if pairs[v.path] is None and _lecture_no(v.path) == n]
            if len(numbered) == 1 and len(rivals) == 1:
                take(video, numbered[0])
    for video in videos:
        duration = video.meta.get("duration_ms")
        if pairs[video.path] is None and isinstance(duration, int) and duration > 0:
            close = [t for t in free if (end := _last_cue_end(t)) is not None and abs(end - duration) <= duration * 0.05]
            if len(close) == 1:
                take(video, close[0])
    return [(v, pairs[v.path]) for v in videos]


def video_problems(ctx: CheckContext) -> list[Finding]:
    """Videos without a transcript; transcripts that stop well before (or run past) their
    video's end; declared class hours that the videos can't fill."""
    findings: list[Finding] = []
    pairs = pair_videos(ctx.package)
    for video, transcript in pairs:
        duration = video.meta.get("duration_ms")
        shown = format_ms(duration).split(".")[0] if isinstance(duration, int) else "?"
        if transcript is None:
            findings.append(_finding(
                "video-no-subtitles", "warning",
                f"视频（时长 {shown}）没有配套的字幕或文字稿：讲课内容无法审查。",
                f"The video ({shown} long) has no subtitles or transcript: what it teaches can't be reviewed.",
                file=video.path, match=video.path.rsplit("/", 1)[-1],
                extra={"duration_ms": duration}))
            continue
        end = _last_cue_end(transcript)
        if not isinstance(duration, int) or end is None:
            continue
        last = max((s for s in transcript.segments if s.locator.cue is not None),
                   key=lambda s: s.locator.end_ms or s.locator.start_ms or 0)
        extra = {"video": video.path, "video_ms": duration, "last_cue_ms": end}
        if end < duration - max(SHORT_BY_MS, int(duration * 0.15)):
            findings.append(_finding(
                "subtitles-end-early", "warning",
                f"字幕在 {format_ms(end).split('.')[0]} 结束，而视频 {video.path} 长 {shown}：其后的讲课内容没有字幕，无法审查。",
                f"The subtitles end at {format_ms(end).split('.')[0]} but the video {video.path} is {shown} long: "
                "the rest of the lecture has no subtitles to review.",
                file=transcript.path, locator=last.locator, match=format_ms(end), extra=extra))
        elif end > duration + LONG_BY_MS:
            findings.append(_finding(
                "subtitles-past-video", "warning",
                f"字幕到 {format_ms(end).split('.')[0]} 才结束，比视频 {video.path}（{shown}）还长：可能配错了视频。",
                f"The subtitles run to {format_ms(end).split('.')[0]}, past the end of the video {video.path} "
                f"({shown}): perhaps they belong to another video.",
                file=transcript.path, locator=last.locator, match=format_ms(end), extra=extra))
    findings += _video_hours(ctx, [v for v, _ in pairs])
    return findings


def _video_hours(ctx: CheckContext, videos: list[FileRecord]) -> list[Finding]:
    hours = (ctx.package.manifest or {}).get("hours")
    known = [v.meta["duration_ms"] for v in videos if isinstance(v.meta.get("duration_ms"), int)]
    if not known or not isinstance(hours, (int, float)) or isinstance(hours, bool) or hours <= 0:
        return []
    try:
        per_hour = float(ctx.options.get("video_minutes_per_hour", DEFAULT_VIDEO_MINUTES_PER_HOUR))
    except (TypeError, ValueError):
        per_hour = DEFAULT_VIDEO_MINUTES_PER_HOUR
    minutes = sum(known) / 60_000
    if minutes >= hours * per_hour:
        return []
    manifest = next((f.path for f in ctx.package.files if f.role == "manifest"), None)
    return [_finding(
        "video-hours", "warning",
        f"清单声明 {hours:g} 学时，但 {len(known)} 个视频合计只有 {minutes:.0f} 分钟"
        f"（按每学时至少 {per_hour:g} 分钟视频计应有 {hours * per_hour:.0f} 分钟），请核实学时或补充视频。",
        f"The manifest declares {hours:g} class hours but the {len(known)} videos add up to {minutes:.0f} minutes "
        f"(at least {per_hour:g} minutes of video per hour would be {hours * per_hour:.0f}); check the hours or the videos.",
        file=manifest, match=f"{hours:g}", extra={"video_minutes": round(minutes, 1), "hours": hours})]


# ------------------------------------------------------------------ the check

@register(CHECK)
def check_completeness(ctx: CheckContext) -> CheckResult:
    """Missing files, roles, teacher; empty or gappy transcripts; empty slides; videos."""
    package = ctx.package
    findings = missing_files(package) + responsible_teacher(package) + missing_roles(package)
    findings += video_problems(ctx)
    gap_ms = _gap_limit_ms(ctx)
    for record in package.files:
        findings += transcript_problems(record, gap_ms)
        findings += empty_slides(record)
    return CheckResult(findings)
