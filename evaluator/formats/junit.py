"""``--format junit``: JUnit XML, one test suite per file and one test case per answer.

An answer fails when it has a finding at or above ``--fail-on`` (a score under ``--min-score`` is
such a finding); every finding of the answer is listed in the failure, or in ``system-out`` when
it passes. Findings outside any answer form a test case named "(document)".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from .base import CheckResult, FileFinding, gates


def _lines(findings: tuple[FileFinding, ...] | list[FileFinding]) -> str:
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}\n" for f in findings)


def _case(suite: ET.Element, name: str, findings: list[FileFinding], info: str, fail_on: str) -> bool:
    case = ET.SubElement(suite, "testcase", classname=suite.get("name", ""), name=name)
    failing = [f for f in findings if gates(f.severity, fail_on)]
    if failing:
        ET.SubElement(case, "failure", type=failing[0].severity,
                      message=f"{len(failing)} finding(s) at or above {fail_on}").text = _lines(findings)
    ET.SubElement(case, "system-out").text = info + ("" if failing else _lines(findings))
    return bool(failing)


def render(result: CheckResult, out: TextIO) -> None:
    root = ET.Element("testsuites", name="starlint check")
    for path in result.files:
        suite = ET.SubElement(root, "testsuite", name=path)
        answers = [a for a in result.answers if a.path == path]
        in_answers = {f for a in answers for f in a.findings}
        loose = [f for f in result.findings if f.path == path and f not in in_answers]
        failures = _case(suite, "(document)", loose, "", result.fail_on) if loose else 0
        for a in answers:
            score = f"score {a.report.score}/100" if a.report else "not scored"
            info = f"rubric {a.rubric}, {score}\n"
            failures += _case(suite, f"line {a.line}: {a.question or '(whole document)'}", list(a.findings), info,
                              result.fail_on)
        suite.set("tests", str(len(answers) + bool(loose)))
        suite.set("failures", str(int(failures)))
        suite.set("errors", "0")
    root.set("tests", str(sum(int(s.get("tests", 0)) for s in root)))
    root.set("failures", str(sum(int(s.get("failures", 0)) for s in root)))
    root.set("errors", "0")
    ET.indent(root)
    out.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
