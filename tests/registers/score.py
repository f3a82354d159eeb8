"""Score tabard's built-in rules against independently written force registers.

Each folder here is a complete tabard repository written as that force's communications
team would write it, plus a ``ground-truth.yaml`` that says, account by account, which
accounts are well governed and which breaches of the national guidance each of the others
has. The ground truth was decided from the guidance, not from tabard's output.

This module runs the real ``tabard check --format json`` on each register and compares
its error and warning findings with the ground truth:

- true positive: a finding whose rule is listed for one of that account's breaches;
- false positive: any other error or warning on an account (a finding on a good account,
  or a rule firing on a breach account for something that is not one of its breaches),
  and any error or warning on a document that is not an account;
- false error on a good account: a false positive of severity error on a ``good: true``
  account (a ``tolerated`` entry never excuses an error on a good account);
- missed breach: a breach none of whose rules fired on its account at error or warning.

Precision is TP / (TP + FP); recall is caught breaches / all breaches.
Run ``python -m tests.registers.score`` from the repository root.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tabard.cli import main as tabard_main

REGISTERS_DIR = Path(__file__).resolve().parent
AS_OF = "2026-11-24"
COUNTED_SEVERITIES = ("error", "warning")


class GroundTruthError(Exception):
    """The ground truth does not describe its register (a scorer input error, not a finding)."""


@dataclass(frozen=True)
class Breach:
    account: str
    rules: frozenset[str]
    what: str


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    account: str | None
    file: str
    line: int | None
    message: str

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass
class AccountTruth:
    good: bool
    breaches: list[Breach]
    tolerated: dict[str, str]


@dataclass
class RegisterScore:
    register: str
    findings_counted: int = 0
    true_positives: list[Finding] = field(default_factory=list)
    false_positives: list[Finding] = field(default_factory=list)
    false_errors_on_good: list[Finding] = field(default_factory=list)
    tolerated: list[Finding] = field(default_factory=list)
    caught: list[Breach] = field(default_factory=list)
    missed: list[Breach] = field(default_factory=list)

    @property
    def breaches(self) -> int:
        return len(self.caught) + len(self.missed)

    @property
    def precision(self) -> float:
        flagged = len(self.true_positives) + len(self.false_positives)
        return len(self.true_positives) / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return len(self.caught) / self.breaches if self.breaches else 1.0


def register_dirs() -> list[Path]:
    """Every register folder: a folder here holding both tabard.yaml and ground-truth.yaml."""
    return sorted(
        d
        for d in REGISTERS_DIR.iterdir()
        if (d / "tabard.yaml").is_file() and (d / "ground-truth.yaml").is_file()
    )


def account_ids(register: Path) -> set[str]:
    """Ids of the account manifests in the register (the ``id`` of each file under accounts/)."""
    ids: set[str] = set()
    for path in sorted((register / "accounts").rglob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids.add(str(document["id"]))
    return ids


def load_ground_truth(register: Path) -> dict[str, AccountTruth]:
    """Read ground-truth.yaml and check it names every account in the register, and no other."""
    path = register / "ground-truth.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    accounts = raw.get("accounts") if isinstance(raw, dict) else None
    if not isinstance(accounts, dict):
        raise GroundTruthError(f"{path}: needs an 'accounts' mapping of account id to truth")
    truth = {
        str(account): parse_account_truth(path, str(account), entry)
        for account, entry in accounts.items()
    }
    on_disk = account_ids(register)
    unlisted = sorted(on_disk - truth.keys())
    unknown = sorted(truth.keys() - on_disk)
    if unlisted or unknown:
        raise GroundTruthError(
            f"{path}: ground truth and register disagree; accounts with no truth: {unlisted}; "
            f"truth for accounts not in the register: {unknown}"
        )
    return truth


def parse_account_truth(path: Path, account: str, entry: Any) -> AccountTruth:
    if not isinstance(entry, dict):
        raise GroundTruthError(
            f"{path}: {account}: expected a mapping with good, breaches or tolerated"
        )
    good = entry.get("good", False) is True
    breaches = [
        Breach(account, frozenset(str(rule) for rule in item["rules"]), str(item["what"]))
        for item in entry.get("breaches", [])
    ]
    if good and breaches:
        raise GroundTruthError(f"{path}: {account}: a good account cannot list breaches")
    if not good and not breaches and not entry.get("tolerated"):
        raise GroundTruthError(f"{path}: {account}: say good: true, or list its breaches")
    tolerated = {str(item["rule"]): str(item["why"]) for item in entry.get("tolerated", [])}
    return AccountTruth(good, breaches, tolerated)


def run_tabard(register: Path, as_of: str = AS_OF) -> list[Finding]:
    """Run the real ``tabard check --format json`` on the register and return its findings."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = tabard_main(["check", str(register), "--format", "json", "--as-of", as_of])
    if code not in (0, 1):
        raise GroundTruthError(f"tabard check {register} exited {code}: {err.getvalue().strip()}")
    report = json.loads(out.getvalue())
    return [
        Finding(
            rule=item["rule"],
            severity=item["severity"],
            account=item.get("document") if item["file"].startswith("accounts/") else None,
            file=item["file"],
            line=item.get("line"),
            message=item["message"],
        )
        for item in report["findings"]
        if item.get("waived_by") is None
    ]


def score_register(register: Path, as_of: str = AS_OF) -> RegisterScore:
    truth = load_ground_truth(register)
    score = RegisterScore(register.name)
    caught: set[Breach] = set()
    for finding in run_tabard(register, as_of):
        if finding.severity not in COUNTED_SEVERITIES:
            continue
        score.findings_counted += 1
        classify(finding, truth, score, caught)
    for account in sorted(truth):
        for breach in truth[account].breaches:
            (score.caught if breach in caught else score.missed).append(breach)
    return score


def classify(
    finding: Finding, truth: dict[str, AccountTruth], score: RegisterScore, caught: set[Breach]
) -> None:
    account = truth.get(finding.account) if finding.account is not None else None
    if account is None:
        score.false_positives.append(finding)
        return
    matching = [breach for breach in account.breaches if finding.rule in breach.rules]
    if matching:
        score.true_positives.append(finding)
        caught.update(matching)
        return
    error_on_good = account.good and finding.severity == "error"
    if finding.rule in account.tolerated and not error_on_good:
        score.tolerated.append(finding)
        return
    score.false_positives.append(finding)
    if error_on_good:
        score.false_errors_on_good.append(finding)


def score_all() -> list[RegisterScore]:
    return [score_register(register) for register in register_dirs()]


def total(scores: list[RegisterScore]) -> RegisterScore:
    overall = RegisterScore("overall")
    for score in scores:
        overall.findings_counted += score.findings_counted
        overall.true_positives += score.true_positives
        overall.false_positives += score.false_positives
        overall.false_errors_on_good += score.false_errors_on_good
        overall.tolerated += score.tolerated
        overall.caught += score.caught
        overall.missed += score.missed
    return overall


def table(scores: list[RegisterScore]) -> str:
    header = (
        f"{'register':<16} {'findings':>8} {'TP':>4} {'FP':>4} {'false err good':>14} "
        f"{'breaches':>8} {'missed':>6} {'precision':>9} {'recall':>7}"
    )
    rows = [header, "-" * len(header)]
    for score in [*scores, total(scores)]:
        rows.append(
            f"{score.register:<16} {score.findings_counted:>8} {len(score.true_positives):>4} "
            f"{len(score.false_positives):>4} {len(score.false_errors_on_good):>14} "
            f"{score.breaches:>8} {len(score.missed):>6} "
            f"{score.precision:>9.1%} {score.recall:>7.1%}"
        )
    return "\n".join(rows)


def details(scores: list[RegisterScore]) -> str:
    lines: list[str] = []
    for score in scores:
        good_errors = set(map(id, score.false_errors_on_good))
        lines.append(f"\n== {score.register}")
        lines.append("false findings:" if score.false_positives else "false findings: none")
        for finding in sorted(score.false_positives, key=lambda f: (f.rule, f.account or "")):
            tag = " [error on good account]" if id(finding) in good_errors else ""
            lines.append(
                f"  {finding.rule} {finding.severity}{tag} {finding.where()}: {finding.message}"
            )
        lines.append("missed breaches:" if score.missed else "missed breaches: none")
        for breach in score.missed:
            lines.append(f"  {breach.account} [{', '.join(sorted(breach.rules))}]: {breach.what}")
    by_rule = Counter(f.rule for s in scores for f in s.false_positives)
    lines.append(
        "\nfalse findings by rule: "
        + ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items()))
    )
    return "\n".join(lines)


def main() -> int:
    try:
        scores = score_all()
    except GroundTruthError as problem:
        print(f"score: {problem}", file=sys.stderr)
        return 2
    print(table(scores))
    print(details(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
