"""Transcript files -> speaker turns -> answers (see :mod:`.segment` for how turns pair up).

Formats: plain text (``Speaker: text`` lines, optional ``[00:01:02]`` timestamps, continuation
lines), WebVTT via webvtt-py (``<v Speaker>`` voices, or ``Speaker: text`` cue text as Zoom
writes it), SRT via ``srt`` (``Speaker: text`` or ``[Speaker] text``; a cue without a name
continues the previous speaker) and JSON (a list of ``{"speaker", "text"}`` turns, optional
``start``/``end`` in seconds). A transcript is read whole: one interview is small; the run
streams across files.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Caption

from .records import AnswerItem, Problem
from .segment import MIN_ANSWER_WORDS, QAPair, TranscriptError, Turn, segment

TRANSCRIPT_SUFFIXES = (".txt", ".vtt", ".srt", ".json")

_TIMESTAMP = r"[\[(](?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?[\])]"
_TXT_LINE = re.compile(rf"^\s*(?P<ts>{_TIMESTAMP})?\s*(?P<speaker>[^\W\d_][^:\[\]]{{0,39}}?)\s*"
                       rf"(?P<ts2>{_TIMESTAMP})?\s*:\s*(?P<text>.*)$")
_BRACKET_LABEL = re.compile(r"^\s*\[(?P<speaker>[^\W\d_][^\]]{0,39})\]\s*(?P<text>.*)$")
_NAME_PARTICLES = {"de", "da", "del", "della", "di", "van", "von", "der", "den", "la", "le", "bin", "al", "ibn"}
# "Result: churn fell 3 %" inside an answer is a heading, not a person
_NOT_SPEAKERS = {"situation", "task", "action", "actions", "result", "results", "reflection", "outcome",
                 "context", "impact", "learning", "learnings", "lesson", "lessons", "note", "notes",
                 "example", "background", "summary", "update", "edit", "ps", "p.s"}


def read_transcript(path: str, candidate: str | None = None) -> Iterator[AnswerItem | Problem]:
    """Answers of one transcript, or one Problem saying why the file gives none."""
    suffix = Path(path).suffix.lower()
    parse, unit = _PARSERS[suffix]
    try:
        turns = parse(_decode(Path(path).read_bytes()))
        pairs = segment(turns, candidate)
    except TranscriptError as exc:
        yield Problem(path, exc.code, exc.reason, line=exc.line)
        return
    if not pairs:
        yield Problem(path, "no_answers", "no answers found: no interview question (small talk aside) got "
                      f"an answer of {MIN_ANSWER_WORDS} words or more from the candidate")
        return
    for n, pair in enumerate(pairs, start=1):
        yield AnswerItem(id=f"{path}#{n}", candidate=pair.candidate, question=pair.question,
                         answer=pair.answer, source=_source(path, pair, unit), file=path,
                         line=pair.turns[0].first if unit == "line" else None)


def parse_txt(text: str) -> list[Turn]:
    turns: list[Turn] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        m = _TXT_LINE.match(raw)
        if m and _is_name(m["speaker"]):
            start = _seconds(m["ts"] or m["ts2"])
            if turns and start is not None and turns[-1].end is None:
                turns[-1].end = start
            turns.append(Turn(m["speaker"].strip(), m["text"].strip(), start, None, n, n))
        elif turns:  # a wrapped or new paragraph of the same turn
            turns[-1].text = f"{turns[-1].text} {raw.strip()}".strip()
            turns[-1].last = n
        # lines before the first speaker (a title, a date) are not part of the interview
    if not turns:
        raise TranscriptError("no 'Speaker: text' lines found (expected lines like "
                              "'Dana: Tell me about a time…', optionally starting with [00:01:02])")
    return [t for t in turns if t.text]


def parse_vtt(text: str) -> list[Turn]:
    try:
        captions = webvtt.from_buffer(io.StringIO(text), strict=True).captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise TranscriptError(f"not valid WebVTT ({exc}): it must start with a WEBVTT line and hold cues "
                              "timed like '00:00:01.000 --> 00:00:04.000'") from None
    turns: list[Turn] = []
    speaker: str | None = None
    for n, cap in enumerate(captions, start=1):
        for raw in cap.lines:
            voice = Caption.VOICE_SPAN_PATTERN.match(raw)
            line = html.unescape(Caption.CUE_TEXT_TAGS.sub("", raw)).strip()
            if voice:
                speaker = voice.group(1).strip()
            else:
                speaker, line = _labelled(line, speaker)
            if not line:
                continue
            if speaker is None:
                raise TranscriptError(f"cue {n} ({cap.start}) names no speaker: use <v Name> voice "
                                      "tags or 'Name: text'")
            turns.append(Turn(speaker, line, cap.start_time.in_milliseconds() / 1000,
                              cap.end_time.in_milliseconds() / 1000, n, n))
    if not turns:
        raise TranscriptError("the WebVTT file has no cues with text")
    return turns


def parse_srt(text: str) -> list[Turn]:
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        raise TranscriptError(f"not valid SRT from line {line}: expected a cue number and "
                              "'00:00:01,000 --> 00:00:04,000' timing", line=line) from None
    except (srt.TimestampParseError, ValueError) as exc:
        raise TranscriptError(f"not valid SRT: {exc}") from None
    turns: list[Turn] = []
    speaker: str | None = None
    for n, sub in enumerate(subtitles, start=1):
        for raw in sub.content.splitlines():
            speaker, line = _labelled(raw.strip().lstrip("-").strip(), speaker)
            if not line:
                continue
            if speaker is None:
                raise TranscriptError(f"cue {sub.index} names no speaker: start it with 'Name: ' or '[Name] '")
            turns.append(Turn(speaker, line, sub.start.total_seconds(), sub.end.total_seconds(), n, n))
    if not turns:
        raise TranscriptError("the SRT file has no cues with text")
    return turns


def parse_json_turns(text: str) -> list[Turn]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    if isinstance(data, dict) and isinstance(data.get("turns"), list):
        data = data["turns"]
    if not isinstance(data, list):
        raise TranscriptError('expected a JSON list of {"speaker": ..., "text": ...} turns')
    turns: list[Turn] = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("speaker"), str) \
                or not isinstance(item.get("text"), str):
            raise TranscriptError(f'turn {n}: expected {{"speaker": "...", "text": "..."}}, got {_brief(item)}')
        if item["speaker"].strip() and item["text"].strip():
            turns.append(Turn(item["speaker"].strip(), " ".join(item["text"].split()),
                              _json_time(item.get("start"), n), _json_time(item.get("end"), n), n, n))
    if not turns:
        raise TranscriptError("the JSON list has no turns with text")
    return turns


_PARSERS: dict[str, tuple[Callable[[str], list[Turn]], str]] = {
    ".txt": (parse_txt, "line"), ".vtt": (parse_vtt, "cue"), ".srt": (parse_srt, "cue"),
    ".json": (parse_json_turns, "turn"),
}


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TranscriptError(f"line {line} contains bytes that are not UTF-8; re-save the file as UTF-8",
                              line=line, code="undecodable") from None


def _labelled(line: str, speaker: str | None) -> tuple[str | None, str]:
    """``Name: text`` or ``[Name] text`` names a new speaker; any other line continues ``speaker``."""
    m = _TXT_LINE.match(line)
    if m and _is_name(m["speaker"]):
        return m["speaker"].strip(), m["text"].strip()
    m = _BRACKET_LABEL.match(line)
    if m and _is_name(m["speaker"]):
        return m["speaker"].strip(), m["text"].strip()
    return speaker, line


def _is_name(label: str) -> bool:
    """'Dana', 'DANA SMITH', 'Priya (Hiring Manager)', 'Ana de la Cruz', 'Q'; not 'So the result was'."""
    words = label.split()
    if not 1 <= len(words) <= 5 or label.strip().casefold() in _NOT_SPEAKERS:
        return False
    return all(w.lstrip("(\"'")[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in words)


def _seconds(stamp: str | None) -> float | None:
    if not stamp:
        return None
    parts = stamp.strip("[]()").replace(",", ".").split(":")
    total = 0.0
    for p in parts:
        total = total * 60 + float(p)
    return total


def _json_time(value: object, turn: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?", value.strip()):
        return _seconds(value.strip())
    raise TranscriptError(f"turn {turn}: start/end must be seconds or 'hh:mm:ss', got {value!r}")


def _source(path: str, pair: QAPair, unit: str) -> str:
    first, last = pair.turns[0], pair.turns[-1]
    if first.start is not None:
        end = last.end if last.end is not None else last.start
        return f"{path}@{_hms(first.start)}-{_hms(end)}"
    a, b = first.first, last.last
    return f"{path}:{unit} {a}" if a == b else f"{path}:{unit}s {a}-{b}"


def _hms(seconds: float | None) -> str:
    s = int(seconds or 0)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _brief(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
