"""Trained detectors: loading (verified), STAR sentence probabilities, and the rule policy.

Policy, in one place: for a rule whose detector has a trained model, **the model decides and the
rule supplies the span**. The model sees the rule's own verdict and lexicon counts as features,
so it learns when to trust it. If the model says yes and the rule found a span, that span is
reported with the model's confidence; if the model says yes and the rule found nothing, the
finding points at the rule's first anchor (its precondition evidence, e.g. the model metric for
accuracy-without-impact); with no anchor there is no finding, so a model can never flag an
answer that lacks the thing the rule is about, nor where the rule's ``vetoes`` lexicons show
explicit counter-evidence. If the model says no, the rule's hits are
dropped. Rules without a model pass through, and so does every rule on an answer shorter than
``MIN_MODEL_WORDS`` or ``MIN_MODEL_SENTENCES`` (the models hardly saw one that short).

Artifacts are skops files whose SHA-256 must match ``meta.json`` (written by ``make train``),
and whose types must all be scikit-learn/numpy types: nothing else is ever unpickled.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from spacy.language import Language

from .answer import Answer
from .embed import Encoder
from .errors import ModelMissingError
from .features import (ABOUT_AI_COLUMNS, HASH_FEATURES, about_ai_columns, answer_features, cue_matrix,
                       sentence_features, signal_features)
from .lexicon import LexiconMatcher, rubric_lexicons
from .report import STAR_PARTS
from .rubric import RuleSpec, load_rubric
from .rules import DETECTORS, Hit, anchor_spans

# The shortest training answers have ~15-30 words; a one-line fragment ("I led an AI project.")
# is outside what the answer-level models saw, so below this the rule's own verdict stands.
MIN_MODEL_WORDS = 20
# 4 of the 1,930 corpus answers are one sentence long: there the answer features (maxima and
# top-two over sentences, neighbour context) degenerate, so the rule's verdict stands as well.
MIN_MODEL_SENTENCES = 2
FIX = "run `make train` to rebuild them, or reinstall starlint (pip install --force-reinstall starlint)"


def artifacts_dir() -> Path:
    repo = Path(__file__).resolve().parent.parent / "models" / "artifacts"
    if repo.is_dir():
        return repo
    from importlib import resources

    return Path(str(resources.files("evaluator._models"))) / "artifacts"


def _safe_load(path: Path, expected_sha: str) -> Any:
    import skops.io as sio

    if not path.is_file():
        raise ModelMissingError(f"Model file {path} is missing; {FIX}.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != expected_sha:
        raise ModelMissingError(f"Model file {path} is corrupt (checksum mismatch with meta.json); {FIX}.")
    try:
        untrusted = sio.get_untrusted_types(data=data)
        allowed = [t for t in untrusted if t.split(".")[0] in ("sklearn", "numpy", "scipy", "builtins")]
        if len(allowed) != len(untrusted):
            raise ModelMissingError(f"Model file {path} contains unexpected types {sorted(set(untrusted) - set(allowed))}; {FIX}.")
        return sio.loads(data, trusted=allowed)
    except ModelMissingError:
        raise
    except Exception as exc:
        raise ModelMissingError(f"Model file {path} cannot be read ({exc.__class__.__name__}: {exc}); {FIX}.") from None


class _Affine:
    """A fitted scikit-learn pipeline of affine steps (PCA, scaling, column selection) ending in
    a linear model, collapsed into one ``x @ W + b``.

    Every model here is linear up to its link function, so the 13 rule models become one matrix
    product and the STAR classifier a softmax over one; calling scikit-learn instead cost ~1 ms
    of input validation per model per call, most of a one-answer request's model time (issue 8).
    Built by probing the pipeline with the identity matrix, and checked against scikit-learn on
    random inputs at load: a pipeline that is not affine is used through scikit-learn instead.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray) -> None:
        self.W, self.b = W, b

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return X @ self.W + self.b

    @classmethod
    def of(cls, pipeline: Any, n_features: int) -> "_Affine | None":
        try:
            steps, last = [s for _, s in pipeline.steps[:-1]], pipeline.steps[-1][1]
            if len(steps) == 1 and type(steps[0]).__name__ == "StandardScaler":
                return cls._scaled(steps[0], last)  # the sentence scorers: 16k columns, no probe
            probe = np.vstack([np.zeros((1, n_features)), np.eye(n_features)])
            for step in steps:
                probe = step.transform(probe)
            base, basis = probe[0], probe[1:] - probe[0]
            coef = np.atleast_2d(last.coef_)
            W = basis @ coef.T
            b = base @ coef.T + np.atleast_1d(last.intercept_)
            return cls(W.astype(np.float64), b.astype(np.float64))
        except Exception:  # noqa: BLE001  (anything unexpected: keep scikit-learn)
            return None

    @classmethod
    def _scaled(cls, scaler: Any, last: Any) -> "_Affine":
        """StandardScaler then a linear model, in closed form: ((x - mean) / scale) @ coef.T + c."""
        coef = np.atleast_2d(last.coef_).T.astype(np.float64)
        scale = scaler.scale_ if scaler.scale_ is not None else np.ones(coef.shape[0])
        W = coef / scale[:, None]
        mean = scaler.mean_ if scaler.with_mean else np.zeros(coef.shape[0])
        return cls(W, np.atleast_1d(last.intercept_).astype(np.float64) - mean @ W)


def _check(fast: np.ndarray, slow: np.ndarray) -> bool:
    return fast.shape == slow.shape and bool(np.allclose(fast, slow, rtol=1e-5, atol=1e-6))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class TrainedModels:
    def __init__(self, nlp: Language, directory: Path | None = None) -> None:
        d = directory or artifacts_dir()
        meta_path = d / "meta.json"
        if not meta_path.is_file():
            raise ModelMissingError(f"Trained models not found ({meta_path} is missing); {FIX}.")
        try:
            self.meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelMissingError(f"{meta_path} is unreadable ({exc}); {FIX}.") from None
        files = self.meta["files"]
        self.star_clf = _safe_load(d / "star.skops", files["star.skops"])
        bundle = _safe_load(d / "rules.skops", files["rules.skops"])
        self.rule_models: dict[str, Any] = bundle["models"]
        self.quality_model = bundle["quality"]
        if "signals" not in bundle:
            raise ModelMissingError(f"{d / 'rules.skops'} predates the sentence-signal scorers; {FIX}.")
        self.signal_models: dict[str, Any] = bundle["signals"]
        if "about_ai" not in bundle:
            raise ModelMissingError(f"{d / 'rules.skops'} predates the about-AI classifier; {FIX}.")
        self.ai_model = bundle["about_ai"]
        self.signal_names: list[str] = list(self.meta["feature_signals"])
        if self.meta.get("signal_hash_features") != HASH_FEATURES:
            raise ModelMissingError(f"{meta_path} was trained with a different sentence feature layout "
                                    f"(hashed n-grams {self.meta.get('signal_hash_features')}, this starlint "
                                    f"uses {HASH_FEATURES}); {FIX}.")
        self.quality_blend = float(self.meta["quality_blend"])
        self.thresholds: dict[str, float] = self.meta["thresholds"]
        self.rule_ids: list[str] = self.meta["feature_rule_ids"]
        self.lexicon_keys: list[str] = self.meta["feature_lexicon_keys"]
        self.classes: list[str] = list(self.star_clf.classes_)
        self.encoder = encoder_for(self.meta, d)
        # Features always come from the base rubric, whatever rubric the user scores with, so a
        # rubric that drops or renames rules never shifts the model's inputs.
        self.base = load_rubric("base")
        self.matcher = LexiconMatcher(nlp, rubric_lexicons(self.base))
        self._compile()

    def _compile(self) -> None:
        """Collapse the models into affine maps where that reproduces scikit-learn exactly."""
        rng = np.random.default_rng(0)
        n_sent = int(self.star_clf[-1].coef_.shape[1])
        x = rng.normal(size=(16, n_sent))
        star = _Affine.of(self.star_clf, n_sent)
        self._star_fast = star if star and _check(_softmax(star(x)), self.star_clf.predict_proba(x)) else None
        self._signals_fast = None
        models = [self.signal_models[n] for n in self.signal_names]
        if models:
            n_vec = int(models[0][-1].coef_.shape[1])
            x = rng.normal(size=(16, n_vec))
            sig = [_Affine.of(m, n_vec) for m in models]
            if all(a is not None and _check(_sigmoid(a(x))[:, 0], m.predict_proba(x)[:, 1]) for a, m in zip(sig, models)):
                self._signals_fast = _Affine(np.hstack([a.W for a in sig]),  # type: ignore[union-attr]
                                             np.concatenate([a.b for a in sig]))  # type: ignore[union-attr]
        n_ans = int(next(iter(self.rule_models.values()))[0].n_features_in_) if self.rule_models else 0
        x = rng.normal(size=(16, n_ans))
        self._rules_fast = None
        parts = {rid: _Affine.of(m, n_ans) for rid, m in self.rule_models.items()}
        if parts and all(a is not None and a.W.shape[1] == 1 and _check(_sigmoid(a(x))[:, 0], m.predict_proba(x)[:, 1])
                         for a, m in zip(parts.values(), self.rule_models.values())):
            W = np.hstack([a.W for a in parts.values()])  # type: ignore[union-attr]
            b = np.concatenate([a.b for a in parts.values()])  # type: ignore[union-attr]
            self._rules_fast = (list(parts), _Affine(W, b))
        n_pre = n_ans - ABOUT_AI_COLUMNS
        ai = _Affine.of(self.ai_model, n_pre)
        x_pre = x[:, :n_pre]
        self._ai_fast = ai if ai and _check(_sigmoid(ai(x_pre))[:, 0], self.ai_model.predict_proba(x_pre)[:, 1]) else None
        q = _Affine.of(self.quality_model, n_ans) if n_ans else None
        self._quality_fast = q if q and _check(q(x)[:, 0], self.quality_model.predict(x)) else None

    def _star_proba(self, X: np.ndarray) -> np.ndarray:
        return _softmax(self._star_fast(X)) if self._star_fast else self.star_clf.predict_proba(X)

    def _signal_proba(self, X: sp.csr_matrix) -> np.ndarray:
        """(n_sentences, n_signals): every sentence scorer in one matrix product."""
        if self._signals_fast:
            return _sigmoid(self._signals_fast(X))
        return np.column_stack([self.signal_models[n].predict_proba(X)[:, 1] for n in self.signal_names])

    def _rule_proba(self, X: np.ndarray) -> dict[str, np.ndarray]:
        if self._rules_fast:
            ids, affine = self._rules_fast
            P = _sigmoid(affine(X))
            return {rid: P[:, j] for j, rid in enumerate(ids)}
        return {rid: m.predict_proba(X)[:, 1] for rid, m in self.rule_models.items()}

    def _grades(self, X: np.ndarray) -> np.ndarray:
        return self._quality_fast(X)[:, 0] if self._quality_fast else self.quality_model.predict(X)

    def _base_view(self, answer: Answer) -> Answer:
        """The answer as the base rubric sees it (features never depend on the user's rubric)."""
        view = answer.__dict__.get("_base_view")
        if view is None:
            view = answer.__dict__["_base_view"] = replace(
                answer, lexicon_hits=self.matcher(answer.doc, answer.tokens))
        return view

    # -- batch inference ----------------------------------------------------------------------
    def prepare(self, answers: list[Answer], vecs: list[np.ndarray]) -> None:
        """Run every model once over a whole batch and cache the results on each answer.

        One ``predict_proba`` over all sentences of all answers for STAR, then one feature matrix
        for the rule and quality models: per-answer calls spent ~45 ms in scikit-learn's
        validation and ColumnTransformer overhead, 13 models deep (issue 8)."""
        if not answers:
            return
        views = [self._base_view(a) for a in answers]
        cues = [cue_matrix(v) for v in views]
        probs = self._star_proba(np.vstack([sentence_features(v, sv, c) for v, sv, c in zip(views, vecs, cues)]))
        signals = self._signal_proba(sp.vstack([signal_features(v, sv, self.lexicon_keys, c)
                                                for v, sv, c in zip(views, vecs, cues)], format="csr")).tolist()
        cols = [self.classes.index(p) for p in STAR_PARTS]
        i = 0
        for a in answers:
            for k, sent in enumerate(a.sentences):
                sent.star = {p: round(float(probs[i + k, c]), 4) for p, c in zip(STAR_PARTS, cols)}
                sent.signals = dict(zip(self.signal_names, signals[i + k]))
            i += len(a.sentences)
        rows = np.vstack([self._features(v, sv) for v, sv in zip(views, vecs)])
        p_ai = _sigmoid(self._ai_fast(rows))[:, 0] if self._ai_fast else self.ai_model.predict_proba(rows)[:, 1]
        rows = np.hstack([rows, np.array([about_ai_columns(a, p) for a, p in zip(answers, p_ai)])])
        per_rule = self._rule_proba(rows)
        grades = self._grades(rows)
        for k, a in enumerate(answers):
            a.__dict__["_rule_probs"] = {rid: float(p[k]) for rid, p in per_rule.items()}
            a.__dict__["_quality"] = min(1.0, max(0.0, (float(grades[k]) - 1.0) / 4.0))

    def _features(self, view: Answer, sent_vecs: np.ndarray) -> np.ndarray:
        verdicts = {rid: bool(DETECTORS[spec.detector](view, spec)) for rid, spec in self.base.rules.items()}
        return answer_features(view, sent_vecs, self.rule_ids, verdicts, self.lexicon_keys, self.signal_names)

    def _prepared(self, answer: Answer, sent_vecs: np.ndarray) -> dict:
        if "_rule_probs" not in answer.__dict__:
            self.prepare([answer], [sent_vecs])
        return answer.__dict__

    def quality(self, answer: Answer, sent_vecs: np.ndarray) -> float:
        """Estimated interviewer grade mapped to 0-1 (1 -> 0.0, 5 -> 1.0)."""
        return self._prepared(answer, sent_vecs)["_quality"]

    def adjust(self, rule: RuleSpec, answer: Answer, sent_vecs: np.ndarray, hits: list[Hit]) -> list[Hit]:
        if (rule.detector not in self.rule_models or answer.word_count < MIN_MODEL_WORDS
                or len(answer.sentences) < MIN_MODEL_SENTENCES):
            return hits  # no model, or an answer shorter than any the models learned from
        p = self._prepared(answer, sent_vecs)["_rule_probs"][rule.detector]
        if p < self.thresholds[rule.detector] or any(answer.hits(rule.id, v) for v in rule.vetoes):
            return []
        if hits:
            return [Hit(h.start, h.end, p) for h in hits]
        spans = anchor_spans(answer, rule)
        return [Hit(spans[0][0], spans[0][1], p)] if spans else []


def encoder_for(meta: dict[str, Any], directory: Path) -> Encoder:
    """The sentence encoder the models were trained on, as ``meta.json`` names it."""
    from .embed import load_encoder

    emb = meta.get("embedding", {"kind": "minilm"})
    if emb["kind"] == "static":
        return load_encoder("static", str(directory / emb["path"]), tuple(sorted(emb["files"].items())))
    return load_encoder(emb["kind"])


def artifact_encoder(directory: Path | None = None) -> Encoder:
    """The shipped encoder without the classifiers (``Evaluator(trained_models=False)``)."""
    d = directory or artifacts_dir()
    try:
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelMissingError(f"Trained models not found or unreadable ({d / 'meta.json'}: {exc}); {FIX}.") from None
    return encoder_for(meta, d)


def load_models(nlp: Language) -> TrainedModels:
    return TrainedModels(nlp)
