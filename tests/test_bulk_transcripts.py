"""Transcripts become the candidate's answers with the question each one answers: small talk,
interjections, clarifying questions and hand-overs between interviewers are handled the way a
reader of the interview would."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.bulk import AnswerItem, Problem, read_inputs
from evaluator.bulk.segment import Turn, infer_candidate, segment

FIXTURES = Path(__file__).parent / "fixtures" / "bulk"
TRANSCRIPTS = FIXTURES / "transcripts"


def pairs(name: str, candidate: str | None = None) -> list[AnswerItem]:
    items = list(read_inputs([(TRANSCRIPTS / name).as_posix()], candidate=candidate))
    assert all(isinstance(x, AnswerItem) for x in items), items
    return items  # type: ignore[return-value]


def test_panel_interview_txt() -> None:
    got = pairs("panel_interview.txt")
    assert {a.candidate for a in got} == {"Alex Chen"}  # two interviewers; one labelled hiring manager
    assert [a.question for a in got] == [
        "Tell me about a time you had to make a decision without all the data you wanted.",  # pleasantries cut
        "Walk me through how you decided the data was good enough to act on.",  # hand-over to Tom dropped
        "Tell me about a time you disagreed with an engineering lead.",
        "Why are you leaving Freshcart?",
    ]
    first = got[0]
    # the answer runs across Tom's "Mm-hm." and his clarifying question after the cut-off...
    assert first.answer.startswith("Sure. At Freshcart") and "On restocking." in first.answer
    assert "My job was to decide" in first.answer  # a line without a speaker continues the turn
    # ...but none of the interviewers' words are in it
    assert "Mm-hm" not in first.answer and "waiting on what" not in first.answer
    assert first.answer.endswith("before paying for the expensive fix.")
    assert first.source.endswith("panel_interview.txt@00:00:24-00:01:40")
    assert first.id.endswith("panel_interview.txt#1") and first.line == 9
    # small talk at the start and the candidate's own questions at the end are not answers
    assert not any("Berlin" in a.answer or "first six months" in a.answer for a in got)


def test_screening_call_vtt_with_voice_tags() -> None:
    got = pairs("screening_call.vtt")
    assert {a.candidate for a in got} == {"Maria Gomez"}
    assert [a.question for a in got] == [
        "So, to start, can you walk me through a project where your analysis changed a decision?",
        "What tools do you use day to day?",              # asked and answered inside one cue
        "And what are your salary expectations for this role?",
    ]
    story = got[0].answer
    assert "track it—" in story and "Forty, out of about two hundred" in story  # &mdash; decoded; clarification
    assert "how many branches" not in story and "Mm-hm" not in story
    assert got[0].source.endswith("screening_call.vtt@00:00:16-00:00:48")
    assert "Sounds good" not in got[2].answer  # the goodbye after the recruiter wrapped up


def test_zoom_vtt_without_voice_tags_merges_consecutive_cues() -> None:
    got = pairs("zoom_export.vtt")
    assert [a.candidate for a in got] == ["Lena Novak", "Lena Novak"]
    assert got[0].question == "Tell me about a time you failed."
    assert got[0].answer.count("Sure.") == 1 and got[0].answer.endswith("before writing a spec.")
    assert got[0].source.endswith("@00:00:07-00:00:30")
    assert got[1].question == "And how did your manager react?"


def test_srt_with_names_in_caps_and_cues_without_names() -> None:
    got = pairs("onsite.srt")
    assert [a.candidate for a in got] == ["KOFI", "KOFI"]
    assert got[0].question == "Describe a situation where you had to deliver bad news to a client."
    answer = got[0].answer
    assert "for a logistics client, and two weeks before go-live we found" in answer  # cue continuation
    assert "Ouch" not in answer and answer.endswith("options attached.")
    assert got[0].source.endswith("onsite.srt@00:00:12-00:00:40")
    assert "coffee" not in " ".join(a.answer for a in got)


def test_json_turns_with_a_labelled_candidate() -> None:
    got = pairs("mock_interview.json")
    assert [a.candidate for a in got] == ["Candidate (Wei)"] * 2
    assert got[0].question == "First question: tell me about a project you are proud of."
    assert got[0].answer.endswith("a really good learning experience for me.")  # across the coach's "Okay."
    assert got[0].source.endswith("mock_interview.json@00:00:08-00:00:22")
    assert "Thank you!" not in got[1].answer


def test_candidate_inferred_then_overridden() -> None:
    inferred = pairs("role_swap.txt")
    assert [a.candidate for a in inferred] == ["Bo", "Bo"]
    assert inferred[0].source.endswith("role_swap.txt:line 4")
    assert "Tell me about a time you had to say no" not in " ".join(a.answer for a in inferred)
    chosen = pairs("role_swap.txt", candidate="ada")  # case-insensitive
    assert [(a.candidate, a.question) for a in chosen] == [
        ("Ada", "Tell me about a time you had to say no to a stakeholder.")]


def test_candidate_not_in_transcript() -> None:
    [p] = read_inputs([(TRANSCRIPTS / "role_swap.txt").as_posix()], candidate="Zed")
    assert isinstance(p, Problem) and p.code == "candidate_not_found" and "Ada, Bo" in p.reason


@pytest.mark.parametrize("name,code,needle,line", [
    ("no_header.vtt", "unparsable_transcript", "WEBVTT", None),
    ("no_speaker.vtt", "unparsable_transcript", "names no speaker", None),
    ("garbage.srt", "unparsable_transcript", "not valid SRT from line 5", 5),
    ("prose_only.txt", "unparsable_transcript", "'Speaker: text'", None),
    ("latin1.txt", "undecodable", "not UTF-8", 2),
    ("truncated.json", "unparsable_transcript", "not valid JSON", 4),
    ("not_a_list.json", "unparsable_transcript", "expected a JSON list", None),
    ("missing_text.json", "unparsable_transcript", "turn 2", None),
    ("monologue.json", "unparsable_transcript", "only one speaker", None),
    ("small_talk_only.txt", "no_answers", "no answers found", None),
])
def test_malformed_transcripts_give_one_problem(name: str, code: str, needle: str, line: int | None) -> None:
    [p] = read_inputs([(FIXTURES / "malformed" / name).as_posix()])
    assert isinstance(p, Problem)
    assert (p.code, p.line) == (code, line) and needle in p.reason


def test_interviewer_labels_beat_word_counts() -> None:
    turns = [Turn("Recruiter", "Tell me about yourself in detail, please, and take your time with it?"),
             Turn("Sam", "Product manager, eight years."),
             Turn("Recruiter", "Great. I will now describe the role at length so you know what we need "
                               "from the person in it, and then we can talk about next steps together.")]
    assert infer_candidate(turns) == "Sam"


def test_panel_follow_up_from_a_second_interviewer_joins_the_question() -> None:
    turns = [Turn("Priya", "Tell me about a launch you led."),
             Turn("Tom", "And how did you measure it?"),
             Turn("Alex", "I led the checkout launch with two engineers and we measured conversion weekly.")]
    [qa] = segment(turns)
    assert qa.question == "Tell me about a launch you led. And how did you measure it?"
