"""A plugin distributed as its own package (docs/example-plugin) is found, adds an
operator and a rule, and fires only on its force.

The package is built and installed with pip into a folder of its own, and tabard
runs in a separate process with that folder on PYTHONPATH — exactly what an
installed distribution looks like to ``importlib.metadata``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write

EXAMPLE = Path(__file__).parents[1] / "docs" / "example-plugin"

ACCOUNT = """\
apiVersion: tabard/v1
kind: Account
id: {id}
force: {force}
platform: x
handle: "{handle}"
display_name: {name}
account_type: neighbourhood
lifecycle: {{status: active}}
owner: {{name: Alex Example, staff_number: "1001", role: Digital officer, email: a@x.police.uk}}
security: {{mfa: {{enabled: true}}, shared_login: false}}
strategy: {{objectives: [OBJ-1]}}
"""
# The locked national rules run whatever `policies:` lists: the accounts satisfy them, and
# each force has the strategy STR-001 reads, so only the plugin's rule can report.
STRATEGY = """\
apiVersion: tabard/v1
kind: Strategy
force: {force}
id: {force}-strategy
objectives: [{{id: OBJ-1}}]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("plugin")
    source = work / "source"
    shutil.copytree(EXAMPLE, source)  # building in place would litter docs/ with build/
    target = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
    )
    return target


def _tabard(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    env.pop("TABARD_DISABLE_PLUGIN_AUTOLOAD", None)
    return subprocess.run(
        [sys.executable, "-m", "tabard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.install
def test_installed_plugin_is_listed(site: Path, tmp_path: Path) -> None:
    result = _tabard(site, tmp_path, "plugins")
    assert result.returncode == 0, result.stderr
    assert (
        "met 0.1.0 (tabard_met.plugin)\n"
        "  hooks:     tabard_add_operators, tabard_add_policies\n"
        "  operators: met_borough_handle\n"
        "  formats:   -\n"
        "  rules:     MET-NAME-001 (metropolitan)\n"
    ) in result.stdout


@pytest.mark.install
def test_installed_plugin_fires_only_on_its_force(site: Path, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: []\n",
            "accounts/x/met-x-hackney.yaml": ACCOUNT.format(
                id="met-x-hackney", force="metropolitan", handle="@MPSHackney", name="MPS Hackney"
            ),
            "accounts/x/met-x-ealing.yaml": ACCOUNT.format(
                id="met-x-ealing", force="metropolitan", handle="@EalingMPS", name="MPS Ealing"
            ),
            "accounts/x/met-x-camden.yaml": ACCOUNT.format(
                id="met-x-camden", force="metropolitan", handle="@CamdenCops", name="MPS Camden"
            ),
            "accounts/x/kent-x-camden.yaml": ACCOUNT.format(
                id="kent-x-camden", force="kent", handle="@CamdenCops2", name="Kent Police"
            ),
            "force/met-strategy.yaml": STRATEGY.format(force="metropolitan"),
            "force/kent-strategy.yaml": STRATEGY.format(force="kent"),
        },
    )
    result = _tabard(site, tmp_path, "check", "--format", "json", "--as-of", "2026-11-24")
    assert result.returncode == 0, result.stderr  # MET-NAME-001 is a warning
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["file"], f["line"], f["message"]) for f in findings] == [
        (
            "MET-NAME-001",
            "accounts/x/met-x-camden.yaml",
            6,
            "met-x-camden: handle '@CamdenCops' does not follow MPS<Borough>",
        ),
    ]
