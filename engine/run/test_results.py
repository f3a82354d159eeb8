"""Formats for ``tabard test``: text for people, JSON for scripts, JUnit for CI test pages."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Final

from tabard.findings import Finding
from tabard.run.policy_tests import CaseResult, Expected


def _expected(expected: Expected) -> str:
    rule, document, path = expected
    return rule + (f" on {document}" if document else "") + (f" at {path}" if path else "")


def _unexpected(finding: Finding) -> str:
    return (
        f"{finding.file}:{finding.line}:{finding.column}: "
        f"{finding.rule} {finding.severity} {finding.message}"
    )


def _problems(result: CaseResult) -> list[str]:
    return [f"expected {_expected(m)}, but it was not reported" for m in result.missing] + [
        f"unexpected {_unexpected(finding)}" for finding in result.unexpected
    ]


def text(results: Sequence[CaseResult]) -> str:
    lines = []
    for result in results:
        where = f"{result.file}:{result.line}:{result.column}"
        lines.append(f"{where}: {'passed' if result.passed else 'FAILED'} {result.name}")
        lines += [f"  {problem}" for problem in _problems(result)]
    return "".join(line + "\n" for line in lines)


def as_json(results: Sequence[CaseResult]) -> str:
    document: dict[str, Any] = {
        "summary": {
            "cases": len(results),
            "failed": sum(1 for result in results if not result.passed),
        },
        "cases": [
            {
                "name": result.name,
                "file": result.file,
                "line": result.line,
                "column": result.column,
                "passed": result.passed,
                "missing": [
                    {"rule": rule, "document": document, "path": path}
                    for rule, document, path in result.missing
                ],
                "unexpected": [
                    {
                        "rule": f.rule,
                        "severity": str(f.severity),
                        "file": f.file,
                        "line": f.line,
                        "column": f.column,
                        "message": f.message,
                    }
                    for f in result.unexpected
                ],
            }
            for result in results
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def junit(results: Sequence[CaseResult]) -> str:
    """One test suite per PolicyTest file, one test case per case."""
    root = ET.Element("testsuites")
    stamp = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")  # noqa: DTZ005 (the schema forbids a zone)
    host = socket.gethostname() or "localhost"
    files = sorted({result.file for result in results})
    for number, file in enumerate(files):
        cases = [result for result in results if result.file == file]
        failed = sum(1 for result in cases if not result.passed)
        suite = ET.SubElement(
            root, "testsuite", package="tabard", id=str(number), name=file, timestamp=stamp,
            hostname=host, tests=str(len(cases)), failures=str(failed), errors="0", time="0",
        )  # fmt: skip
        ET.SubElement(suite, "properties")
        for result in cases:
            case = ET.SubElement(
                suite, "testcase", name=result.name, classname=file.replace("/", "."), time="0"
            )
            if not result.passed:
                problems = _problems(result)
                failure = ET.SubElement(case, "failure", message=problems[0], type="PolicyTest")
                failure.text = f"{file}:{result.line}:{result.column}\n" + "\n".join(problems)
        ET.SubElement(suite, "system-out")
        ET.SubElement(suite, "system-err")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


TEST_FORMATS: Final[dict[str, Callable[[Sequence[CaseResult]], str]]] = {
    "text": text,
    "json": as_json,
    "junit": junit,
}
