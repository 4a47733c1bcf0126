"""``GET /v1/rubrics``, ``GET /v1/rubrics/{id}``, ``POST /v1/rubrics/validate``."""

from __future__ import annotations

import yaml
from fastapi import APIRouter, Depends

from evaluator import RubricError, available_rubrics, load_rubric
from evaluator.rubric import Rubric, rubric_from_text

from ..errors import library_error, responses
from ..schemas import RubricList, RubricSummary, ValidateRequest, ValidateResponse
from ..scoring import Scorer
from ..settings import Settings
from . import get_scorer, get_settings

router = APIRouter(prefix="/v1/rubrics", tags=["rubrics"])


# A rubric is a few hundred YAML nodes; anchors/aliases that expand past this are a "billion
# laughs" document, refused before the library walks (and formats) the expanded structure.
MAX_EXPANDED_NODES = 50_000


def _expanded_nodes(text: str) -> int:
    """How many nodes the YAML document has once aliases are expanded, computed without expanding."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    memo: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in memo:
            return memo[id(node)]
        memo[id(node)] = 1  # a cycle counts once; the library rejects it later
        if isinstance(node, yaml.SequenceNode):
            n = 1 + sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            n = 1 + sum(size(k) + size(v) for k, v in node.value)
        else:
            n = 1
        memo[id(node)] = n
        return n

    return size(root) if root is not None else 0


def _invalid(reason: str) -> ValidateResponse:
    return ValidateResponse(valid=False, error=library_error(RubricError("<inline>", reason))[1])


def summary(r: Rubric) -> RubricSummary:
    return RubricSummary(id=r.id, name=r.name, description=r.description, rules=len(r.rules),
                         criteria=len(r.criteria), sources=r.sources)


@router.get("", response_model=RubricList, summary="List rubrics")
def list_rubrics(settings: Settings = Depends(get_settings)) -> RubricList:
    """The rubrics this server can score with (packaged, then STARLINT_RUBRIC_PATH)."""
    return RubricList(default=settings.default_rubric,
                      rubrics=[summary(load_rubric(rid)) for rid in available_rubrics()])


@router.get("/{rubric_id}", response_model=Rubric, response_model_exclude={"path"},
            responses=responses(404), summary="Show one rubric")
def show_rubric(rubric_id: str, scorer: Scorer = Depends(get_scorer)) -> Rubric:
    """The rubric fully resolved (`extends` applied): its rules, levels, messages, criteria and weights."""
    return load_rubric(scorer.rubric_id(rubric_id))


@router.post("/validate", response_model=ValidateResponse, responses=responses(400, 413, 422),
             summary="Validate a rubric given inline")
def validate_rubric(body: ValidateRequest) -> ValidateResponse:
    """Check a rubric's YAML text against the same schema `starlint rubrics validate` uses. The
    answer is 200 either way: `valid` says which, and `error.details.where` names the key path of the
    first problem. The rubric is not stored; `extends` may name a rubric id, never a file path."""
    try:
        nodes = _expanded_nodes(body.yaml)
    except yaml.YAMLError:
        nodes = 0  # not YAML: the library says where, in its words
    except RecursionError:
        return _invalid("the YAML is nested too deeply to be a rubric")
    if nodes > MAX_EXPANDED_NODES:
        return _invalid(f"the YAML expands to {nodes:,} nodes through anchors and aliases, over the limit of "
                        f"{MAX_EXPANDED_NODES:,}; write the rubric out without aliases")
    try:
        rubric = rubric_from_text(body.yaml, name="<inline>")
    except RubricError as exc:
        return ValidateResponse(valid=False, error=library_error(exc)[1])
    return ValidateResponse(valid=True, rubric=summary(rubric))
