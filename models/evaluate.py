"""``starlint eval``: per-component and per-rule precision/recall/F1 on a corpus split, through
the real pipeline, with two baselines computed in the same run.

- STAR, sentence level: each gold sentence takes the label of the pipeline sentence that overlaps
  it most (so segmentation errors count against us).
- STAR, answer level: a part is present if any gold sentence has that label, vs report.star.<part>.present.
- Rules: a rule is predicted for an answer if the report has at least one finding with that id;
  evaluated with every base rule enabled.
- Score: Spearman correlation of the 0-100 score with the 1-5 quality label.
- Baselines: ``rules`` (mode=rules, same run) and ``length`` (a label is predicted when the word
  count passes a threshold fit on train; the score is the word count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import f1_score, precision_recall_fscore_support

from evaluator.pipeline import Evaluator
from evaluator.report import STAR_PARTS, Report

from .corpus import Record, load

RULES = (
    "accuracy-without-impact", "unquantified-result", "solo-credit", "unclear-ownership",
    "solution-before-problem", "generic-claim", "missing-reflection", "no-risk-awareness",
    "single-number-ask", "unvalidated-speed", "algorithm-recital", "no-success-metric",
)


@dataclass
class Row:
    name: str
    p: float
    r: float
    f1: float
    support: int


@dataclass
class Result:
    system: str
    star_sentence: list[Row] = field(default_factory=list)
    star_answer: list[Row] = field(default_factory=list)
    rules: list[Row] = field(default_factory=list)
    spearman: float = 0.0

    def macro(self, rows: list[Row]) -> float:
        return float(np.mean([r.f1 for r in rows])) if rows else 0.0


def _row(name: str, y: list[bool], p: list[bool]) -> Row:
    pr, rc, f1, _ = precision_recall_fscore_support(y, p, average="binary", zero_division=0)
    return Row(name, float(pr), float(rc), float(f1), int(sum(y)))


def _sentence_labels(rec: Record, report: Report) -> list[str]:
    spans = []
    for part in STAR_PARTS:
        spans += [(e.start, e.end, part) for e in getattr(report.star, part).evidence]
    out = []
    for s, e, _ in rec.gold_offsets():
        best, label = 0, "other"
        for ps, pe, part in spans:
            ov = min(e, pe) - max(s, ps)
            if ov > best:
                best, label = ov, part
        out.append(label)
    return out


def score_system(name: str, records: list[Record], reports: list[Report]) -> Result:
    res = Result(name)
    gold_s = [lab for r in records for _, lab in r.sentences]
    pred_s = [lab for r, rep in zip(records, reports) for lab in _sentence_labels(r, rep)]
    for part in STAR_PARTS:
        res.star_sentence.append(_row(part, [g == part for g in gold_s], [p == part for p in pred_s]))
        res.star_answer.append(_row(part, [any(lab == part for _, lab in r.sentences) for r in records],
                                    [getattr(rep.star, part).present for rep in reports]))
    for rid in RULES:
        res.rules.append(_row(rid, [rid in r.antipatterns for r in records],
                              [any(f.rule == rid for f in rep.findings) for rep in reports]))
    res.spearman = float(spearmanr([rep.score for rep in reports], [r.quality for r in records]).statistic)
    return res


def length_baseline(train: list[Record], records: list[Record]) -> Result:
    """Predict each label from word count alone, thresholds fit on the train split."""
    def words(r: Record) -> int:
        return len(r.text.split())

    def fit(y_train: list[bool], x_train: list[int]) -> tuple[int, bool]:
        best = (0, True, -1.0)
        for t in sorted(set(x_train)):
            for above in (True, False):
                pred = [(x >= t) == above for x in x_train]
                f = f1_score(y_train, pred, zero_division=0)
                if f > best[2]:
                    best = (t, above, f)
        return best[0], best[1]

    res = Result("length-only")
    xs_tr = [words(r) for r in train]
    xs = [words(r) for r in records]
    for part in STAR_PARTS:
        t, above = fit([any(lab == part for _, lab in r.sentences) for r in train], xs_tr)
        res.star_answer.append(_row(part, [any(lab == part for _, lab in r.sentences) for r in records],
                                    [(x >= t) == above for x in xs]))
        # sentence level: every sentence of an answer gets the part if the answer length passes
        gold = [lab == part for r in records for _, lab in r.sentences]
        pred = [(x >= t) == above for r, x in zip(records, xs) for _ in r.sentences]
        res.star_sentence.append(_row(part, gold, pred))
    for rid in RULES:
        t, above = fit([rid in r.antipatterns for r in train], xs_tr)
        res.rules.append(_row(rid, [rid in r.antipatterns for r in records], [(x >= t) == above for x in xs]))
    res.spearman = float(spearmanr(xs, [r.quality for r in records]).statistic)
    return res


def run(split: str = "test", mode: str = "full", data_dir: Path | None = None) -> list[Result]:
    """``data_dir``: another directory of labeled slices (a coach's own answers, or a subset of
    the corpus such as the slices that existed when a figure was first reported). ``split="all"``
    measures every answer of ``data_dir`` (a held-out set written after the models were frozen);
    it is refused on the bundled corpus, whose train split the models were fitted on. The
    length-only baseline is always fitted on the bundled train split, so its thresholds do not
    depend on the answers being measured."""
    if split == "all" and data_dir is None:
        raise ValueError("--split all measures every answer of a --data directory; on the bundled corpus "
                         "it would score the models on their own training answers (use --split dev or test)")
    corpus = load()
    records = load(data_dir) if data_dir is not None else corpus
    chosen = [r for r in records if split in ("all", r.split)]
    if not chosen:
        raise ValueError(f"no {split!r} answers in {data_dir or 'the corpus'}: nothing to measure")
    train = [r for r in corpus if r.split == "train"]
    texts = [r.text for r in chosen]
    results = []
    systems = [mode] if mode == "rules" else [mode, "rules"]
    for m in systems:
        ev = Evaluator(rubric="base", mode=m)  # type: ignore[arg-type]
        reports = ev.evaluate_many(texts, return_errors=False)
        results.append(score_system(f"{m}" if m == mode else f"{m} (baseline)", chosen, reports))  # type: ignore[arg-type]
    results.append(length_baseline(train, chosen))
    return results


def format_table(results: list[Result], split: str) -> str:
    head = results[0]
    n = len(head.star_answer) and head.star_answer[0].support
    lines = [f"starlint eval · split={split} · system={head.system}", ""]

    def section(title: str, attr: str) -> None:
        lines.append(f"{title}")
        names = " | ".join(f"{r.system:>20}" for r in results[1:])
        lines.append(f"| {'':<26} | {'P':>5} | {'R':>5} | {'F1':>5} | {'n':>4} | baselines F1: {names} |")
        lines.append("|" + "-" * 28 + "|-------|-------|-------|------|" + "-" * (16 + 23 * len(results[1:])) + "|")
        for i, row in enumerate(getattr(head, attr)):
            base = " | ".join(f"{getattr(r, attr)[i].f1:>20.3f}" for r in results[1:])
            lines.append(f"| {row.name:<26} | {row.p:5.3f} | {row.r:5.3f} | {row.f1:5.3f} | {row.support:>4} | {'':>13} {base} |")
        macro = " | ".join(f"{r.macro(getattr(r, attr)):>20.3f}" for r in results[1:])
        lines.append(f"| {'macro-F1':<26} | {'':>5} | {'':>5} | {head.macro(getattr(head, attr)):5.3f} | {'':>4} | {'':>13} {macro} |")
        lines.append("")

    section("STAR + reflection, sentence level", "star_sentence")
    section("STAR + reflection, answer level (present or not)", "star_answer")
    section("Anti-pattern rules (answer level)", "rules")
    sp = ", ".join(f"{r.system}: {r.spearman:.3f}" for r in results)
    lines.append(f"Spearman(score, quality): {sp}")
    del n
    return "\n".join(lines)
