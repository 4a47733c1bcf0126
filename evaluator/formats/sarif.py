"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Rules carry their rubric metadata (why, a rewrite pattern, the source article); each result is a
finding with its file region. Columns count Unicode code points, as starlint's do.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..rubric import RuleSpec
from .base import CheckResult, FileFinding

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}


def _rule(spec: RuleSpec) -> dict[str, Any]:
    help_md = f"**Why:** {spec.message}\n\n**Rewrite:** {spec.suggestion}\n\n_Source: {spec.source}_"
    if spec.quote:
        help_md += f"\n\n> {spec.quote}"
    return {
        "id": spec.id,
        "name": "".join(w.capitalize() for w in spec.id.split("-")),
        "shortDescription": {"text": spec.message.split(": ")[0].split("; ")[0]},
        "fullDescription": {"text": spec.message},
        "help": {"text": f"{spec.message}\nRewrite: {spec.suggestion}\nSource: {spec.source}", "markdown": help_md},
        "defaultConfiguration": {"level": _LEVEL[spec.level]},
        "properties": {"source": spec.source, "tags": ["interview-answer"]},
    }


def _result(f: FileFinding, index: int) -> dict[str, Any]:
    return {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVEL[f.severity],
        "message": {"text": f"{f.message} Rewrite: {f.finding.suggestion}"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                       "endColumn": f.end_column, "snippet": {"text": f.finding.text}},
        }}],
    }


def render(result: CheckResult, out: TextIO) -> None:
    index = {rule_id: i for i, rule_id in enumerate(result.rules)}
    run = {
        "tool": {"driver": {"name": "starlint", "version": __version__,
                            "rules": [_rule(spec) for spec in result.rules.values()]}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule]) for f in result.findings],
    }
    out.write(json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2,
                         ensure_ascii=False) + "\n")
