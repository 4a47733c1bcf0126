"""Prep documents (Markdown or plain text) -> answers with exact source positions -> a check result.

A heading (any level, ATX or setext) is a question and the prose under it, up to the next heading,
its answer; ``Q:`` / ``A:`` lines work too. A document with neither is one answer. Code, front
matter, HTML, tables, block quotes (someone else's words) and thematic breaks are not linted;
list items and paragraphs are, with inline markup (emphasis, links, code ticks) dropped.

The answer text handed to the Evaluator is that prose, joined; ``DocAnswer.origin`` gives the file
offset of each of its characters, so every finding maps back to the file exactly.

Comments, each on its own line::

    <!-- starlint rubric=bms -->                 the next answer uses this rubric
    <!-- starlint-disable rule-a rule-b -->      from here (no ids: every rule) ...
    <!-- starlint-enable rule-a -->              ... to here (no ids: all of them)
    <!-- starlint-ignore rule-a -->              the next block only (before a heading: its answer)
    <!-- starlint-ignore rule-a "exact phrase" --> only findings whose text contains the phrase

Anything after `` -- `` is a reason for humans. Unknown rule ids and malformed comments are
reported as ``invalid-directive`` findings, never silently ignored. Front matter may choose the
rubric for the whole document: ``starlint: {rubric: bmw}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from markdown_it import MarkdownIt

from .config import Config, rubric_ref
from .errors import InputError, RubricError, StarlintError
from .formats.base import CHECK_RULES, CheckedAnswer, CheckResult, FileFinding
from .report import STAR_PARTS, Finding, Report
from .rubric import Rubric, load_rubric
from .text import LineIndex

if TYPE_CHECKING:
    from .pipeline import Evaluator

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})
DOCUMENT_SUFFIXES = MARKDOWN_SUFFIXES | {".txt", ".text"}

_MD = MarkdownIt("commonmark").enable("table")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_DIRECTIVE = re.compile(r"<!--\s*(starlint\S*)(.*?)-->", re.S)
_ONLY_COMMENTS = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)
_ARG = re.compile(r'"([^"]*)"|“([^”]*)”|([^\s,"“]+)')
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?[ \t]*")
_QA = re.compile(r"(?:\*\*|__)?(Q|Question|A|Answer)\s*:(?:\*\*|__)?\s*")
# Inline Markdown that is not prose; each match is dropped, the text around it kept.
_MARKUP = re.compile(r"""
      !\[[^\]]*\]\([^)]*\)                      # image
    | \[\^[^\]]+\]                              # footnote reference
    | \]\([^)]*\) | \]\[[^\]]*\] | \[(?=[^\]]*\])  # link syntax around the link text
    | <!--.*?--> | </?[A-Za-z][^>]*>            # inline comment, HTML tag, autolink
    | `+                                        # code-span ticks (the code text stays)
    | (?<!\w)(?:\*+|_+|~~) | (?:\*+|_+|~~)(?!\w)  # emphasis and strikethrough markers
    | \\(?=[!-/:-@\[-`{-~])                     # backslash escape
""", re.X)


class DocumentError(InputError):
    """A document asks for something that cannot be done (an unknown rubric, bad front matter)."""

    code = "invalid_document"

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Suppression:
    start: int  # file offsets covered, end exclusive
    end: int
    rules: frozenset[str] | None  # None: every rule
    phrase: str | None = None     # only findings whose text contains this exact phrase

    def covers(self, rule: str, offset: int, text: str) -> bool:
        return (self.start <= offset < self.end and (self.rules is None or rule in self.rules)
                and (self.phrase is None or self.phrase in text))


@dataclass(frozen=True)
class Problem:
    """A starlint comment that cannot be applied as written."""

    start: int
    end: int
    message: str


@dataclass(frozen=True)
class DocAnswer:
    question: str | None
    start: int  # file offsets of the answer's section (heading to next heading)
    end: int
    text: str
    origin: tuple[int, ...]  # file offset of each character of ``text``
    rubric: str | None = None
    rubric_at: int = 0

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """File offsets of ``text[start:end]``."""
        first = self.origin[min(start, len(self.origin) - 1)]
        return first, (self.origin[end - 1] + 1 if end > start else first)


@dataclass(frozen=True)
class Document:
    path: str                 # as shown in reports
    text: str
    answers: tuple[DocAnswer, ...]
    suppressions: tuple[Suppression, ...] = ()
    problems: tuple[Problem, ...] = ()
    rubric: str | None = None  # from front matter
    source: Path | None = None  # the file on disk (config globs, --diff)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex.of(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)

    def suppressed(self, rule: str, offset: int, text: str) -> bool:
        return any(s.covers(rule, offset, text) for s in self.suppressions)


# ---------------------------------------------------------------- parsing

@dataclass
class _Block:
    kind: str              # heading | prose | comment | other
    first: int             # 0-based line range, end exclusive
    last: int
    title: str = ""
    paragraphs: list[tuple[int, int, bool]] = field(default_factory=list)  # first, last, opens list item


@dataclass
class _Section:
    question: str | None
    start: int
    rubric: tuple[str, int] | None = None
    end: int = 0
    chars: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    line_end: int = 0  # end of the last prose line added: where a separator "comes from"
    ignores: list[tuple[frozenset[str] | None, str | None]] = field(default_factory=list)


def parse_document(text: str, path: str, *, markdown: bool = True, source: Path | None = None,
                   known_rules: Collection[str] | None = None) -> Document:
    """Split a document into answers; ``known_rules`` (if given) validates ids in comments."""
    return _Parser(text, path, markdown, known_rules).document(source)


class _Parser:
    def __init__(self, text: str, path: str, markdown: bool, known_rules: Collection[str] | None) -> None:
        self.text, self.path, self.known = text, path, known_rules
        self.lines = LineIndex.of(text)
        self.front_rubric: str | None = None
        body = self._front_matter() if markdown else text
        self.blocks = _markdown_blocks(body) if markdown else _text_blocks(body)
        self.sections = [_Section(None, 0)]  # the preamble, before any question
        self.suppressions: list[Suppression] = []
        self.problems: list[Problem] = []
        self.disabled: dict[str | None, int] = {}  # rule (None: all) -> where the disable began
        self.pending_ignores: list[tuple[frozenset[str] | None, str | None]] = []
        self.pending_rubric: tuple[str, int] | None = None

    def document(self, source: Path | None) -> Document:
        for block in self.blocks:
            if block.kind == "comment":
                self._comments(block)
                continue
            start, end = self._offset(block.first), self._offset(block.last)
            if block.kind == "heading":
                self._open(_MARKUP.sub("", block.title).strip(), start)
            elif self.pending_ignores:
                self.suppressions += [Suppression(start, end, r, p) for r, p in self.pending_ignores]
            self.pending_ignores = []
            for first, last, opens_item in block.paragraphs:
                self._paragraph(first, last, opens_item)
        self._close(len(self.text))
        for rule, start in self.disabled.items():
            self.suppressions.append(Suppression(start, len(self.text), None if rule is None else frozenset({rule})))
        answered = [s for s in self.sections[1:] if "".join(s.chars).strip()]
        if not answered and len(self.sections) == 1:  # no questions: the whole document is one answer
            answered = [s for s in self.sections if "".join(s.chars).strip()]
            if answered and self.pending_rubric and not answered[0].rubric:
                answered[0].rubric = self.pending_rubric
        return Document(self.path, self.text, tuple(_answer(s) for s in answered), tuple(self.suppressions),
                        tuple(self.problems), self.front_rubric, source)

    # -- structure

    def _front_matter(self) -> str:
        m = _FRONT_MATTER.match(self.text)
        if not m:
            return self.text
        try:
            data = yaml.safe_load(m.group(1) or "")
        except yaml.YAMLError as exc:
            raise DocumentError(f"{self.path}:1", f"front matter is not valid YAML ({exc})") from None
        settings = data.get("starlint") if isinstance(data, dict) else None
        if settings is not None:
            if not isinstance(settings, dict) or set(settings) != {"rubric"} or not isinstance(settings["rubric"], str):
                raise DocumentError(f"{self.path}:1", "front matter 'starlint' must be a mapping like {rubric: bmw}")
            self.front_rubric = settings.get("rubric")
        # blank it out line for line, so Markdown line numbers stay file line numbers
        return "\n" * m.group(0).count("\n") + self.text[m.end():]

    def _open(self, question: str | None, start: int) -> None:
        self._close(start)
        self.sections.append(_Section(question, start, self.pending_rubric, ignores=self.pending_ignores))
        self.pending_rubric = None

    def _close(self, end: int) -> None:
        current = self.sections[-1]
        self.suppressions += [Suppression(current.start, end, r, p) for r, p in current.ignores]
        current.ignores = []
        current.end = end

    def _paragraph(self, first: int, last: int, opens_item: bool) -> None:
        in_question = False
        for n, i in enumerate(range(first, last)):
            start, end = self._line(i)
            while start < end and self.text[start] in " \t":
                start += 1
            if n == 0 and opens_item and (m := _LIST_MARKER.match(self.text, start, end)):
                start = m.end()
            if m := _QA.match(self.text, start, end):
                if m.group(1).startswith("Q"):
                    self._open(self.text[m.end():end].strip(), self._offset(i))
                    in_question = True
                    continue
                start, in_question = m.end(), False
            if in_question:
                self.sections[-1].question = f"{self.sections[-1].question} {self.text[start:end].strip()}".strip()
            else:
                self._prose(start, end, "\n" if n else "\n\n")

    def _prose(self, start: int, end: int, separator: str) -> None:
        """Append one line's prose (markup dropped) to the current answer, keeping offsets."""
        section = self.sections[-1]
        pos = start
        runs = []
        for m in _MARKUP.finditer(self.text, start, end):
            runs.append((pos, m.start()))
            pos = m.end()
        runs.append((pos, end))
        runs = [(a, b) for a, b in runs if b > a]
        if not runs or not "".join(self.text[a:b] for a, b in runs).strip():
            return
        if section.chars:
            section.chars.append(separator)
            section.origin.extend([section.line_end] * len(separator))
        for a, b in runs:
            section.chars.append(self.text[a:b])
            section.origin.extend(range(a, b))
        section.line_end = end

    # -- comments

    def _comments(self, block: _Block) -> None:
        start, end = self._offset(block.first), self._offset(block.last)
        for m in _DIRECTIVE.finditer(self.text, start, end):
            words: list[str] = []
            phrases: list[str] = []
            for arg in _ARG.finditer(m.group(2).split(" -- ")[0]):  # after " -- ": a reason for humans
                if arg.group(3) is not None:
                    words.append(arg.group(3))
                else:
                    phrases.append(arg.group(1) if arg.group(1) is not None else arg.group(2))
            self._directive(m.group(1), words, phrases, m.start(), m.end())

    def _directive(self, name: str, words: list[str], phrases: list[str], start: int, end: int) -> None:
        if name == "starlint":
            pairs = dict(w.partition("=")[::2] for w in words)
            if phrases or set(pairs) != {"rubric"} or not pairs["rubric"]:
                self._problem(start, end, "use <!-- starlint rubric=ID --> to choose the rubric of the next answer")
            else:
                self.pending_rubric = (pairs["rubric"], start)
            return
        if name not in ("starlint-disable", "starlint-enable", "starlint-ignore"):
            self._problem(start, end, f"unknown comment {name!r}; use starlint-disable, starlint-enable, "
                                      "starlint-ignore or starlint rubric=ID")
            return
        if phrases and (name != "starlint-ignore" or len(phrases) > 1):
            self._problem(start, end, f"{name} takes rule ids only; one quoted phrase works with starlint-ignore")
            return
        rules = self._known(words, start, end)
        if name == "starlint-ignore":
            self.pending_ignores.append((rules, phrases[0] if phrases else None))
        elif name == "starlint-disable":
            for rule in rules if rules is not None else [None]:
                self.disabled.setdefault(rule, end)
        else:
            for rule in [r for r in self.disabled if rules is None or r in rules]:
                began = self.disabled.pop(rule)
                self.suppressions.append(Suppression(began, start, None if rule is None else frozenset({rule})))

    def _known(self, words: list[str], start: int, end: int) -> frozenset[str] | None:
        if not words:
            return None
        unknown = [w for w in words if self.known is not None and w not in self.known]
        for w in unknown:
            self._problem(start, end, f"unknown rule {w!r} (see `starlint rubrics show ID` for rule ids)")
        return frozenset(w for w in words if w not in unknown)

    def _problem(self, start: int, end: int, message: str) -> None:
        self.problems.append(Problem(start, end, message))

    # -- lines

    def _offset(self, line: int) -> int:
        return self.lines.starts[line] if line < len(self.lines.starts) else len(self.text)

    def _line(self, i: int) -> tuple[int, int]:
        start = self.lines.starts[i]
        return start, _line_end(self.text, start)


def _line_end(text: str, start: int) -> int:
    """Offset of the end of the line that contains ``start``, before any ``\\r\\n``."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return end - 1 if end > start and text[end - 1] == "\r" else end


def _answer(section: _Section) -> DocAnswer:
    rubric, at = section.rubric or (None, section.start)
    return DocAnswer(section.question, section.start, section.end, "".join(section.chars),
                     tuple(section.origin), rubric, at)


def _markdown_blocks(body: str) -> list[_Block]:
    """One block per top-level Markdown element; prose paragraphs outside block quotes."""
    blocks: list[_Block] = []
    tokens = _MD.parse(re.sub(r"\r(?!\n)", " ", body))  # a lone CR is no line break to LineIndex
    quoted = 0
    for i, tok in enumerate(tokens):
        quoted += {"blockquote_open": 1, "blockquote_close": -1}.get(tok.type, 0)
        if tok.level == 0 and tok.map and not tok.type.endswith("_close"):
            kind = {"heading_open": "heading", "paragraph_open": "prose", "bullet_list_open": "prose",
                    "ordered_list_open": "prose"}.get(tok.type, "other")
            if tok.type == "html_block" and _ONLY_COMMENTS.fullmatch(tok.content):
                kind = "comment"
            blocks.append(_Block(kind, tok.map[0], tok.map[1], tokens[i + 1].content if kind == "heading" else ""))
        if tok.type == "paragraph_open" and not quoted and blocks and blocks[-1].kind == "prose" and tok.map:
            blocks[-1].paragraphs.append((tok.map[0], tok.map[1], tokens[i - 1].type == "list_item_open"))
    return blocks


def _text_blocks(text: str) -> list[_Block]:
    """Plain text: paragraphs separated by blank lines; a paragraph of comments is a comment."""
    blocks: list[_Block] = []
    lines = text.split("\n")
    first = None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and first is None:
            first = i
        elif not line.strip() and first is not None:
            comment = _ONLY_COMMENTS.fullmatch("\n".join(lines[first:i]))
            blocks.append(_Block("comment" if comment else "prose", first, i,
                                 paragraphs=[] if comment else [(first, i, False)]))
            first = None
    return blocks


# ---------------------------------------------------------------- checking

def check_documents(documents: list[Document], evaluator: Evaluator, config: Config,
                    changed_lines: Mapping[Path, set[int]] | None = None) -> CheckResult:
    """Score every answer of every document, one ``evaluate_many`` batch per rubric, and place
    the findings in their files. ``changed_lines`` (``--diff``) keeps findings on those lines only."""
    # keyed by identity: answers of two files can be equal by value yet get different rubrics
    refs = {id(a): _rubric_ref(doc, a, config) for doc in documents for a in doc.answers}
    rubrics: dict[str, Rubric] = {}
    for doc in documents:
        for ans in doc.answers:
            ref = refs[id(ans)]
            if ref not in rubrics:
                try:
                    rubrics[ref] = config.derive(load_rubric(ref))
                except RubricError as exc:
                    where = doc.position(ans.rubric_at)[0] if ans.rubric else 1
                    raise DocumentError(f"{doc.path}:{where}", exc.reason) from None
    scored: dict[int, Report | StarlintError] = {}
    for ref, rubric in rubrics.items():
        batch = [a for doc in documents for a in doc.answers if refs[id(a)] == ref]
        scored.update(zip(map(id, batch), evaluator.evaluate_many([a.text for a in batch], rubric=rubric)))

    answers: list[CheckedAnswer] = []
    findings: list[FileFinding] = []
    for doc in documents:
        keep = _line_filter(doc, changed_lines)
        problems = [(p.start, _check_finding(doc, "invalid-directive", p.message, p.start, p.end))
                    for p in doc.problems]
        problems = [(at, f) for at, f in problems
                    if keep(f.line, f.end_line) and not doc.suppressed(f.rule, at, f.finding.text)]
        findings += [f for _, f in problems]
        for ans in doc.answers:
            own = [f for at, f in problems if ans.start <= at < ans.end]
            checked = _check_answer(doc, ans, rubrics[refs[id(ans)]].id, scored[id(ans)], config, keep, own)
            answers.append(checked)
            findings += [f for f in checked.findings if f not in own]
    rules = dict(CHECK_RULES)
    for rubric in sorted(rubrics.values(), key=lambda r: r.id):
        for rule_id, spec in rubric.rules.items():
            rules.setdefault(rule_id, spec)
    return CheckResult(files=tuple(sorted({d.path for d in documents})),
                       answers=tuple(sorted(answers, key=lambda a: (a.path, a.line))),
                       findings=tuple(sorted(findings, key=FileFinding.sort_key)),
                       rules=dict(sorted(rules.items())), mode=evaluator.mode,
                       fail_on=config.fail_on, min_score=config.min_score)


def _check_answer(doc: Document, ans: DocAnswer, rubric: str, result: Report | StarlintError,
                  config: Config, keep: Callable[[int, int], bool], problems: list[FileFinding]) -> CheckedAnswer:
    first_line, last_line = doc.position(ans.start)[0], doc.position(ans.origin[-1])[0]
    placed = list(problems)

    def about_the_answer(rule: str, detail: str) -> None:
        """A check finding at the section's first line; --diff keeps it if any line of the answer changed."""
        f = _check_finding(doc, rule, detail, ans.start, _line_end(doc.text, ans.start))
        if keep(first_line, last_line) and not doc.suppressed(rule, ans.start, f.finding.text):
            placed.append(f)

    if isinstance(result, StarlintError):
        about_the_answer("unscorable-answer", str(result))
        return CheckedAnswer(doc.path, ans.question, first_line, rubric, None,
                             tuple(sorted(placed, key=FileFinding.sort_key)))
    kept, suppressed = [], 0
    for f in result.findings:
        start, end = ans.file_span(f.start, f.end)
        if doc.suppressed(f.rule, start, f.text):
            suppressed += 1
        elif keep((ff := _place(doc, f, start, end)).line, ff.end_line):
            kept.append(f)
            placed.append(ff)
    if result.score < config.min_score:
        missing = [p for p in STAR_PARTS if not getattr(result.star, p).present]
        detail = f"{result.score}/100 < {config.min_score}"
        about_the_answer("below-min-score", detail + (f"; missing STAR parts: {', '.join(missing)}" if missing else ""))
    return CheckedAnswer(doc.path, ans.question, first_line, rubric, result.model_copy(update={"findings": kept}),
                         tuple(sorted(placed, key=FileFinding.sort_key)), suppressed)


def _rubric_ref(doc: Document, ans: DocAnswer, config: Config) -> str:
    """Most specific first: a comment before the question, front matter, config globs, default."""
    chosen = ans.rubric or doc.rubric
    if chosen is None:
        return config.rubric_for(doc.source)
    return rubric_ref(chosen, doc.source.parent if doc.source else Path.cwd())


def _line_filter(doc: Document, changed_lines: Mapping[Path, set[int]] | None) -> Callable[[int, int], bool]:
    if changed_lines is None:
        return lambda first, last: True
    changed = changed_lines.get(doc.source.resolve(), set()) if doc.source else set()
    return lambda first, last: any(line in changed for line in range(first, last + 1))


def _place(doc: Document, finding: Finding, start: int, end: int) -> FileFinding:
    return FileFinding(doc.path, *doc.position(start), *doc.position(end), finding)


def _check_finding(doc: Document, rule: str, detail: str, start: int, end: int) -> FileFinding:
    spec = CHECK_RULES[rule]
    line, column = doc.position(start)
    finding = Finding(rule=rule, severity=spec.level, message=f"{spec.message.rstrip('.')}: {detail}",
                      suggestion=spec.suggestion, start=start, end=end, line=line, column=column,
                      text=doc.text[start:end], source=spec.source)
    return _place(doc, finding, start, end)
