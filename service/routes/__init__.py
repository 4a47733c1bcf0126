"""Routers: scoring (/v1/evaluate...), rubrics (/v1/rubrics...), operations (/healthz, /readyz,
/metrics) and the page (/)."""

from __future__ import annotations

from fastapi import Request

from ..scoring import Scorer
from ..settings import Settings


def get_scorer(request: Request) -> Scorer:
    return request.app.state.scorer


def get_settings(request: Request) -> Settings:
    return request.app.state.settings
