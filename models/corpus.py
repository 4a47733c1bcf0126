"""The labeled corpus: load the team-written slices, assign a fixed split, rebuild answer text.

Split: 70 % train, 15 % dev, 15 % test, by a SHA-256 of (SEED, answer id), so adding answers
never moves existing ones between splits. The test split is never used to choose features,
thresholds or hyper-parameters (train.py only reads train and dev).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "raw"
EVIDENCE = DATA.parent / "evidence"  # sentence-level evidence labels, one file per raw slice
EVIDENCE_KEYS = ("speed", "validation", "safeguard", "risk", "model_metric", "metric_link")
SEED = "starlint-2026"
LABELS = ("situation", "task", "action", "result", "reflection", "other")


@dataclass(frozen=True)
class Record:
    id: str
    kind: str
    question: str
    sentences: tuple[tuple[str, str], ...]  # (text, label)
    antipatterns: frozenset[str]
    has_metric: bool
    quality: int
    split: str

    @property
    def text(self) -> str:
        return " ".join(t for t, _ in self.sentences)

    def gold_offsets(self) -> list[tuple[int, int, str]]:
        out, pos = [], 0
        for t, label in self.sentences:
            out.append((pos, pos + len(t), label))
            pos += len(t) + 1
        return out


def split_of(answer_id: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{answer_id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "train" if h < 0.70 else "dev" if h < 0.85 else "test"


def load(data_dir: Path = DATA) -> list[Record]:
    """Every record of every ``*.jsonl`` in ``data_dir``. A malformed line raises ValueError
    naming the file, the line and what is wrong: a corpus with a silently dropped answer would
    give figures nobody can reproduce."""
    records, seen = [], set()
    for f in sorted(data_dir.glob("*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = _record(json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                raise ValueError(f"{f}:{n}: {what} (record shape: models/data/LABELING.md)") from None
            if rec.id in seen:
                raise ValueError(f"{f}:{n}: duplicate id {rec.id}")
            seen.add(rec.id)
            records.append(rec)
    return records


def _record(r: dict) -> Record:
    sents = tuple((s["text"].strip(), s["label"]) for s in r["sentences"] if s["text"].strip())
    bad = {lab for _, lab in sents} - set(LABELS)
    if bad:
        raise ValueError(f"unknown sentence label(s) {sorted(bad)}; expected one of {', '.join(LABELS)}")
    quality = int(r["quality"])
    if not 1 <= quality <= 5:
        raise ValueError(f"quality {quality} is outside 1-5")
    return Record(r["id"], r["kind"], r.get("question", ""), sents, frozenset(r["antipatterns"]),
                  bool(r["has_metric"]), quality, split_of(r["id"]))


def load_evidence(records: list[Record], evidence_dir: Path = EVIDENCE) -> dict[str, dict]:
    """Evidence per answer id: for each of EVIDENCE_KEYS, the frozenset of indices of the
    sentences that carry it, and ``about_ai`` (bool) (models/data/LABELING.md). Every record must
    have a line, and every index must point at one of its sentences."""
    n_sents = {r.id: len(r.sentences) for r in records}
    out: dict[str, dict[str, frozenset[int]]] = {}
    for f in sorted(evidence_dir.glob("*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            e = json.loads(line)
            if e.get("id") not in n_sents:
                raise ValueError(f"{f}:{n}: evidence for unknown answer id {e.get('id')!r}")
            ev: dict = {k: frozenset(e[k]) for k in EVIDENCE_KEYS}
            if any(not 0 <= i < n_sents[e["id"]] for idx in ev.values() for i in idx):
                raise ValueError(f"{f}:{n}: a sentence index is out of range for {e['id']}")
            if not isinstance(e.get("about_ai"), bool):
                raise ValueError(f"{f}:{n}: about_ai must be true or false for {e['id']}")
            ev["about_ai"] = e["about_ai"]
            out[e["id"]] = ev
    missing = [r.id for r in records if r.id not in out]
    if missing:
        raise ValueError(f"{evidence_dir}: no evidence line for {len(missing)} answer(s), e.g. {missing[0]}")
    return out


def data_hash(data_dir: Path = DATA) -> str:
    """SHA-256 over the raw slices and their evidence files: what the models were trained on."""
    h = hashlib.sha256()
    files = sorted(data_dir.glob("*.jsonl"))
    if data_dir == DATA:
        files += sorted(EVIDENCE.glob("*.jsonl"))
    for f in files:
        h.update(f"{f.parent.name}/{f.name}".encode() if f.parent == EVIDENCE else f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()
