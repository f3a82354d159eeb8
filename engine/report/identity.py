"""A finding's identity across edits: rule, file, document and path, never the line."""

from __future__ import annotations

import hashlib

from tabard.findings import Finding


def fingerprint(finding: Finding) -> str:
    """Stable while the same rule fails on the same field of the same document.

    Code scanning (SARIF ``partialFingerprints``) and GitLab Code Quality use it to
    keep a finding's identity when lines move; the line and message are left out
    because an edit above the finding, or a changed value, must not make it "new".
    """
    key = "\x1f".join((finding.rule, finding.file, finding.document or "", finding.path))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
