"""`starlint eval --data`: measured quality on a labeled corpus of the user's own (run as a subprocess)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from itertools import count, islice
from pathlib import Path

from evaluator._models.corpus import split_of

EXE = shutil.which("starlint") or str(Path(sys.executable).parent / "starlint")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)


def _test_ids(n: int) -> list[str]:
    ids = (f"own-{i:03d}" for i in count())
    return list(islice((i for i in ids if split_of(i) == "test"), n))


def _record(answer_id: str, weak: bool) -> dict:
    if weak:
        sents = [("I built a 99 % accurate churn model for our bank.", "result"),
                 ("I am a team player and I always go above and beyond.", "other")]
        return {"id": answer_id, "kind": "behavioral", "question": "q", "antipatterns": [
            "accuracy-without-impact", "generic-claim", "missing-reflection", "no-risk-awareness"],
            "has_metric": True, "quality": 1, "sentences": [{"text": t, "label": lab} for t, lab in sents]}
    sents = [("At a regional bank, small-business customers waited nine days for a loan decision.", "situation"),
             ("My goal was to cut that to two days without raising defaults.", "task"),
             ("I partnered with two credit analysts to rebuild the intake form and route simple cases to a fast track.", "action"),
             ("Decisions dropped to 2.5 days and defaults stayed flat over two quarters.", "result"),
             ("I learned to agree on the guardrail metric before the first design review.", "reflection")]
    return {"id": answer_id, "kind": "behavioral", "question": "q", "antipatterns": [], "has_metric": True,
            "quality": 5, "sentences": [{"text": t, "label": lab} for t, lab in sents]}


def _eval_alternating(tmp_path: Path, ids: list[str], split: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Write weak and strong answers in turn under ``ids``, run ``eval --split`` on them in rules
    mode, and return the run and its table rows by name."""
    lines = [json.dumps(_record(i, weak=k % 2 == 0)) for k, i in enumerate(ids)]
    (tmp_path / "mine.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = run("eval", "--split", split, "--mode", "rules", "--data", str(tmp_path))
    assert p.returncode == 0, p.stderr
    return p, {line.split("|")[1].strip(): line for line in p.stdout.splitlines() if line.startswith("|")}


def test_eval_on_own_labeled_slices(tmp_path: Path) -> None:
    p, rows = _eval_alternating(tmp_path, _test_ids(4), "test")
    # two answers carry the rule, and every rule row reports its support
    assert rows["accuracy-without-impact"].split("|")[5].strip() == "2"
    assert rows["reflection"].split("|")[5].strip() == "2"
    assert "Spearman(score, quality): rules:" in p.stdout


def test_eval_names_the_bad_line(tmp_path: Path) -> None:
    good = json.dumps(_record(_test_ids(1)[0], weak=False))
    bad = json.dumps({**_record("own-x", weak=False), "quality": 9})
    (tmp_path / "mine.jsonl").write_text(f"{good}\n{bad}\n", encoding="utf-8")
    p = run("eval", "--mode", "rules", "--data", str(tmp_path))
    assert p.returncode == 2 and "mine.jsonl:2: quality 9 is outside 1-5" in p.stderr
    (tmp_path / "mine.jsonl").write_text(good + "\n{not json\n", encoding="utf-8")
    p = run("eval", "--mode", "rules", "--data", str(tmp_path))
    assert p.returncode == 2 and "mine.jsonl:2:" in p.stderr and "Traceback" not in p.stderr


def test_eval_with_no_answers_in_the_split_says_so(tmp_path: Path) -> None:
    (tmp_path / "mine.jsonl").write_text(json.dumps(_record(_test_ids(1)[0], weak=False)) + "\n", encoding="utf-8")
    p = run("eval", "--split", "dev", "--mode", "rules", "--data", str(tmp_path))
    assert p.returncode == 2 and "no 'dev' answers" in p.stderr


def test_split_all_measures_every_answer_of_a_held_out_directory(tmp_path: Path) -> None:
    ids = ["own-a", "own-b", "own-c", "own-d"]  # whatever their id-hash split, all are measured
    assert {split_of(i) for i in ids} != {"test"}
    p, rows = _eval_alternating(tmp_path, ids, "all")
    assert rows["reflection"].split("|")[5].strip() == "2"
    assert "split=all" in p.stdout


def test_split_all_is_refused_on_the_bundled_corpus() -> None:
    p = run("eval", "--split", "all", "--mode", "rules")
    assert p.returncode == 2 and "--data" in p.stderr and "training answers" in p.stderr
