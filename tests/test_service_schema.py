"""A bounded schemathesis run: generated requests against /openapi.json find no 5xx and no
response that breaks the spec (status codes, content types, bodies, headers)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from service.app import create_app
from service.settings import Settings

APP = create_app(Settings(modes=["rules"], api_keys=[], cors_origins=[], max_chars=2000))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_spec(case: schemathesis.Case) -> None:
    # /readyz answers 503 while the models load in the background, by design (and its spec says
    # so; status_code_conformance still checks that): not a server error. It raced with loading.
    checks = [c for c in CHECKS if c is not not_a_server_error] if case.path == "/readyz" else CHECKS
    case.call_and_validate(checks=checks)
