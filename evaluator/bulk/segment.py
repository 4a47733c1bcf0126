"""Turn a transcript's speaker turns into the candidate's answers, each with the question it answers.

The rules, in the order a reader of an interview would apply them:

* consecutive turns of one speaker are one turn (subtitles split sentences across cues);
* the candidate is ``--candidate NAME``, else a speaker labelled candidate/interviewee/applicant,
  else the speaker who talks most right after someone else's question;
* every other speaker is an interviewer (panels have several); an interviewer's *prompt*
  (a question, or "tell me about…", "walk me through…") opens a new answer;
* interviewer turns that prompt nothing ("Mm-hm.", "Right, so you owned the roadmap.") are
  interjections: the candidate's answer goes on around them, and so does a short clarifying
  question right after the candidate was cut off mid-sentence ("…and we—" / "Sorry, how many?");
* a hand-over between interviewers ("Tom, do you want to go next?") is not part of the question;
* small talk ("how are you", "did you find us OK", "any questions for us?") opens nothing to
  score, a short reply after the interviewer has moved on ("Sounds good, thanks!") is not part of
  the answer, and answers under :data:`MIN_ANSWER_WORDS` words ("Yes, happy to.") are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

MIN_ANSWER_WORDS = 8
_CLARIFICATION_WORDS = 12
_BACKCHANNEL_WORDS = 6     # "Mm-hm.", "Right, got it." leave the answer running
_CANDIDATE_QUESTION_WORDS = 20

_PROMPT = re.compile(
    r"\b(tell|walk|talk|take) (me|us) (about|through)\b|\bdescribe\b|\b(give|share|tell) (me|us)? ?(an|one|a)? ?"
    r"example\b|\bi'?d (like|love) to hear\b|\bcan you (explain|elaborate)\b|\bhow would you\b", re.I)
_SMALL_TALK = re.compile(
    r"\bhow (are|were) you\b|\bhow('s| is| was| has) (it going|your (day|week|morning|weekend|trip))\b"
    r"|\b(find|found) (us|the office|the place|the building|your way)\b|\bcan you (hear|see) (me|my screen)\b"
    r"|\b(get|got) here\b|\bweather\b|\b(coffee|tea|a glass of water)\b|\btraffic\b"
    r"|\bany (other )?questions (for|about) (me|us|the role|the team)\b|\bthanks? (you )?for (coming|joining|your time)\b",
    re.I)
_CUT_OFF = re.compile(r"(—|–|--|-|…|\.\.\.)[\"”']?\s*$")
_CANDIDATE_LABEL = re.compile(r"\b(candidate|interviewee|applicant)\b", re.I)
_INTERVIEWER_LABEL = re.compile(r"\b(interviewer|recruiter|hiring manager|panel(ist)?|moderator|host|hr)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


class TranscriptError(Exception):
    """The transcript cannot be read or segmented; becomes one errors-file line for the file."""

    def __init__(self, reason: str, line: int | None = None, code: str = "unparsable_transcript") -> None:
        super().__init__(reason)
        self.reason, self.line, self.code = reason, line, code


@dataclass
class Turn:
    speaker: str
    text: str
    start: float | None = None   # seconds from the start of the recording
    end: float | None = None
    first: int = 0               # line (txt), cue (vtt, srt) or turn (json) number, 1-based
    last: int = 0


@dataclass
class QAPair:
    candidate: str
    question: str
    turns: list[Turn] = field(default_factory=list)

    @property
    def answer(self) -> str:
        return " ".join(t.text for t in self.turns)


def segment(turns: list[Turn], candidate: str | None = None) -> list[QAPair]:
    """The candidate's answers, in order, with the interviewer prompt each one answers."""
    speakers = _speakers(turns)
    turns = merge_consecutive([replace(t, speaker=speakers[_key(t.speaker)]) for t in turns])
    if len(speakers) < 2:
        only = next(iter(speakers.values()), "nobody")
        raise TranscriptError(f"only one speaker ({only}): expected an interviewer and a candidate")
    if candidate:
        cand = speakers.get(_key(candidate))
        if cand is None:
            raise TranscriptError(f"--candidate {candidate!r} does not speak in this transcript; "
                                  f"speakers: {', '.join(speakers.values())}", code="candidate_not_found")
    else:
        cand = infer_candidate(turns)
    pairs: list[QAPair] = []
    current: QAPair | None = None       # the answer being collected, None during small talk
    question: list[str] = []            # prompt text since the candidate last spoke
    moved_on = False                    # an interviewer statement since the candidate last spoke
    prev: Turn | None = None
    for t in turns:
        if t.speaker == cand:
            # "Sounds good, thanks!" after the interviewer wrapped up is not more of the answer,
            # nor is the candidate asking ("Do you mean a product or a people failure?")
            if current is not None and not (moved_on and _words(t.text) < MIN_ANSWER_WORDS) \
                    and not (_is_prompt(t.text) and _words(t.text) < _CANDIDATE_QUESTION_WORDS):
                current.turns.append(t)
            question, moved_on = [], False
        elif _is_prompt(t.text) and not _clarifies(prev, t, cand, current):
            if current is not None and current.turns:
                pairs.append(current)
            asked = _question_of(t.text)
            if asked is None:  # small talk: nothing to score until the next real question
                question, current = [], None
            else:
                # a panel may ask in several turns; "Tom, do you want to go next?" hands over
                first_name = t.speaker.split()[0]
                question = [q for q in question if not re.search(rf"\b{re.escape(first_name)}\b", q)]
                question.append(asked)
                current = QAPair(cand, " ".join(question))
            moved_on = False
        else:
            moved_on = moved_on or _words(t.text) > _BACKCHANNEL_WORDS
        prev = t
    if current is not None and current.turns:
        pairs.append(current)
    return [p for p in pairs if _words(p.answer) >= MIN_ANSWER_WORDS]


def merge_consecutive(turns: list[Turn]) -> list[Turn]:
    out: list[Turn] = []
    for t in turns:
        if out and _key(out[-1].speaker) == _key(t.speaker):
            last = out[-1]
            out[-1] = Turn(last.speaker, f"{last.text} {t.text}", last.start,
                           t.end if t.end is not None else last.end, last.first, t.last)
        else:
            out.append(Turn(t.speaker, t.text, t.start, t.end, t.first, t.last))
    return out


def infer_candidate(turns: list[Turn]) -> str:
    """The speaker who answers questions (see the module docstring for the order of evidence)."""
    speakers = _speakers(turns)
    labelled = [s for s in speakers.values() if _CANDIDATE_LABEL.search(s)]
    if len(labelled) == 1:
        return labelled[0]
    eligible = [s for s in speakers.values() if not _INTERVIEWER_LABEL.search(s)] or list(speakers.values())
    answered = dict.fromkeys(eligible, 0)
    asked = dict.fromkeys(eligible, 0)
    spoken = dict.fromkeys(eligible, 0)
    for prev, cur in zip([None, *turns], turns):
        if cur.speaker not in answered:
            continue
        words = _words(cur.text)
        spoken[cur.speaker] += words
        asked[cur.speaker] += _is_prompt(cur.text)
        if prev is not None and prev.speaker != cur.speaker and _is_prompt(prev.text):
            answered[cur.speaker] += words
    return min(eligible, key=lambda s: (-answered[s], asked[s], -spoken[s], s))


def _is_prompt(text: str) -> bool:
    return "?" in text or bool(_PROMPT.search(text))


def _clarifies(prev: Turn | None, t: Turn, cand: str, current: QAPair | None) -> bool:
    """A short question right after the candidate was cut off belongs to the answer under way."""
    return (current is not None and prev is not None and prev.speaker == cand
            and bool(_CUT_OFF.search(prev.text)) and _words(t.text) <= _CLARIFICATION_WORDS)


def _question_of(text: str) -> str | None:
    """The turn from its first real prompt on, dropping pleasantries ("Thanks, great answer. So,
    tell me about…"); None when the turn prompts only small talk."""
    sentences = _SENTENCE_END.split(text)
    for i, s in enumerate(sentences):
        if _is_prompt(s) and not _SMALL_TALK.search(s):
            return " ".join(sentences[i:])
    return None


def _words(text: str) -> int:
    return len(text.split())


def _speakers(turns: list[Turn]) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in turns:
        out.setdefault(_key(t.speaker), t.speaker)
    return out


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()
