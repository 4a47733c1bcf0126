"""Trained detectors (filled in by the trained-models work): until artifacts exist, full mode
uses the rule scorers with parse and embeddings."""

from __future__ import annotations


def load_models():  # noqa: ANN201
    return None
