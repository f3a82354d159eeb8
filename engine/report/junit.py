"""JUnit XML (the Apache Ant schema CI servers read): one test case per rule and document.

Findings are grouped by file into test suites.  A rule that found something in a
document is a test case with a ``failure`` (unwaived) or ``skipped`` (waived, with the
waiver named); a document with no findings is one passing test case, so that a clean
run still shows what was checked.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime

from tabard.findings import Finding
from tabard.report import Report


def _case(suite: ET.Element, file: str, rule: str, title: str, found: list[Finding]) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        name=f"{rule} {title}".strip(),
        classname=file.replace("/", "."),
        time="0",
    )
    failing = [finding for finding in found if finding.waived_by is None]
    if failing:
        failure = ET.SubElement(
            case,
            "failure",
            message="; ".join(finding.message for finding in failing),
            type=str(max(failing, key=lambda f: f.severity.rank).severity),
        )
        failure.text = "\n".join(
            f"{f.file}:{f.line}:{f.column}: {f.rule} {f.severity} {f.message}" for f in failing
        )
    else:
        ET.SubElement(case, "skipped").text = "waived by " + ", ".join(
            sorted({finding.waived_by or "" for finding in found})
        )


def render(report: Report) -> str:
    by_file: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in report.findings:
        by_file[finding.file][finding.rule].append(finding)
    root = ET.Element("testsuites")
    stamp = datetime.combine(report.today, datetime.min.time()).strftime("%Y-%m-%dT%H:%M:%S")
    host = socket.gethostname() or "localhost"
    for number, file in enumerate(sorted(by_file)):
        rules = by_file[file]
        failures = sum(1 for found in rules.values() if any(f.waived_by is None for f in found))
        skipped = len(rules) - failures
        suite = ET.SubElement(
            root,
            "testsuite",
            package="tabard",
            id=str(number),
            name=file,
            timestamp=stamp,
            hostname=host,
            tests=str(len(rules)),
            failures=str(failures),
            errors="0",
            skipped=str(skipped),
            time="0",
        )
        ET.SubElement(suite, "properties")
        for rule in sorted(rules):
            info = report.rule(rule)
            _case(suite, file, rule, info.title if info else "", rules[rule])
        ET.SubElement(suite, "system-out")
        ET.SubElement(suite, "system-err")
    clean = ET.SubElement(
        root,
        "testsuite",
        package="tabard",
        id=str(len(by_file)),
        name="documents without findings",
        timestamp=stamp,
        hostname=host,
        tests="1",
        failures="0",
        errors="0",
        skipped="0",
        time="0",
    )
    ET.SubElement(clean, "properties")
    ET.SubElement(
        clean,
        "testcase",
        name=f"{report.targets - len(by_file)} of {report.targets} checked documents pass "
        "every rule",
        classname="tabard",
        time="0",
    )
    ET.SubElement(clean, "system-out")
    ET.SubElement(clean, "system-err")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
