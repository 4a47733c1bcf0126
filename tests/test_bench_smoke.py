"""The benchmark harness works end to end (`python -m benchmarks.run --quick`) and its corpus is what it
claims to be. No timing is asserted: these prove the harness, not the speed."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator._models.corpus import load

ROOT = Path(__file__).resolve().parent.parent


def _corpus(tmp_path: Path, name: str, *args: str) -> list[dict]:
    out = tmp_path / name
    subprocess.run([sys.executable, "-m", "benchmarks.corpus", "--answers", "40", *args, "-o", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _segments(text: str, sentences: set[str]) -> list[str] | None:
    """Split ``text`` into sentences of ``sentences`` joined by single spaces, or None if impossible."""
    by_start: dict[str, list[str]] = {}
    for s in sentences:
        by_start.setdefault(s[:12], []).append(s)
    memo: dict[int, list[str] | None] = {}

    def walk(pos: int) -> list[str] | None:
        if pos == len(text):
            return []
        if pos not in memo:
            memo[pos] = None
            for s in by_start.get(text[pos:pos + 12], []):
                end = pos + len(s)
                if text.startswith(s, pos) and (end == len(text) or text[end] == " "):
                    rest = walk(end + 1 if end < len(text) else end)
                    if rest is not None:
                        memo[pos] = [s, *rest]
                        break
        return memo[pos]

    return walk(0)


def test_corpus_is_seeded_sized_and_built_from_train_sentences_in_star_order(tmp_path: Path) -> None:
    first, again = _corpus(tmp_path, "a.jsonl"), _corpus(tmp_path, "b.jsonl")
    assert first == again and len(first) == 40
    assert _corpus(tmp_path, "c.jsonl", "--seed", "9") != first
    assert all(150 <= row["words"] <= 250 and row["words"] == len(row["text"].split()) for row in first)

    label_of = {t: lab for r in load() if r.split == "train" for t, lab in r.sentences}
    order = {"situation": 0, "task": 1, "action": 2, "result": 3, "reflection": 4}
    for row in first:
        parts = _segments(row["text"], set(label_of))
        assert parts is not None, f"{row['id']} is not made of train-split sentences"
        ranks = [order[label_of[s]] for s in parts]
        assert ranks == sorted(ranks) and ranks[0] == 0, f"{row['id']} is not in STAR order"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, dict]:
    d = tmp_path_factory.mktemp("bench")
    md, raw = d / "BENCHMARKS.md", d / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--modes", "rules", "--answers", "12",
                           "--output", str(md), "--json", str(raw)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    return proc, md, json.loads(raw.read_text()) if raw.exists() else {}


def test_quick_run_measures_every_section_and_writes_the_report(quick_run) -> None:  # noqa: ANN001
    proc, md, res = quick_run
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert res["errors"] == {}
    lib = res["library"]["rules"]
    assert lib["answers"] == 12 and lib["one_process"]["answers_per_s"] > 0 and lib["two_processes"]["runs"] == 1
    assert lib["floor"]["overhead"] > 0 and lib["peak_rss_per_worker"] > 0
    assert set(lib["scaling"]) == {"50", "200"}  # JSON keys: the quick lengths
    assert res["cold_start"]["rules"]["cold_start_s"] > 0
    levels = res["service"]["rules"]["levels"]
    assert set(levels) == {"1", "8", "32"}
    assert all(lv["requests"] > 0 and not lv["failures"] for lv in levels.values()), levels
    assert math.isfinite(res["quality"]["systems"]["rules"]["spearman"])


def test_report_prints_the_same_tables_it_writes_and_judges_the_targets(quick_run) -> None:  # noqa: ANN001
    proc, md, _ = quick_run
    text = md.read_text(encoding="utf-8")
    assert text.strip() in proc.stdout
    for heading in ("## Targets", "## 1. Library", "## 2. The floor", "## 3. Peer", "## 4. Service",
                    "## 5. Quality", "## 6. Cost by answer length", "## How it was measured", "## Machine"):
        assert heading in text
    assert "--quick run" in text
    targets = {line.split(" | ")[0].lstrip("| "): line.rsplit(" | ", 1)[1].rstrip(" |")
               for line in text.split("## Targets")[1].split("## 1.")[0].splitlines() if line.startswith("| ")}
    assert targets["rules mode ≥ 200 answers/s with 2 processes"] in ("met", "**not met**")
    assert targets["rules-mode overhead over bare spaCy ≤ 1.3×"] in ("met", "**not met**")
    assert targets["service p99 ≤ 150 ms at concurrency 8 (rules mode)"] in ("met", "**not met**")
    assert targets["full mode ≥ 40 answers/s with 2 processes"] == "not measured"  # --modes rules


def test_render_rebuilds_the_same_report_from_the_raw_figures(quick_run, tmp_path: Path) -> None:  # noqa: ANN001
    """`--render` turns a saved --json back into the report (JSON keys become ints again), so a
    report change never needs a new 15-minute run."""
    _, md, _ = quick_run
    again = tmp_path / "again.md"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--render", str(md.parent / "bench.json"),
                           "--output", str(again)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert again.read_text(encoding="utf-8") == md.read_text(encoding="utf-8")
