"""The national report page in a real headless browser (Debian's chromium + chromium-driver).

Marked ``browser``: a machine without the browser skips these tests, except in CI
(``CI=true``), where a missing browser is a failure, so they can never be skipped there.
The screenshot is kept under ``test-artifacts/`` at the top of the repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import AS_OF, write
from tests.test_national_report import _LOOSE_GLOS, _copy_example

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    message = (
        f"the browser tests need {', '.join(missing)} (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="tabard-chromium-")
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver: selenium-manager must never try to download one.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report over a small collection: two loosened forces, one clean, one broken."""
    from tabard.cli import main

    root = tmp_path_factory.mktemp("national")
    national = root / "national"
    _copy_example("gloucestershire", national / "glos", _LOOSE_GLOS)
    _copy_example("dyfed-powys", national / "dpp")
    _copy_example("staffordshire", national / "staffs")
    write(national, {"broken/tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [x]\n"})
    output = root / "report.html"
    assert main(["report", str(national), "--as-of", AS_OF, "--output", str(output)]) == 2
    return output


@pytest.fixture(scope="module")
def loaded(browser: Any, page: Path) -> Any:
    browser.get(page.as_uri())
    return browser


def test_page_loads_without_console_errors(loaded: Any) -> None:
    assert loaded.title == "Police social media accounts: national report (2026-11-24)"
    errors = [entry for entry in loaded.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_matrix_charts_and_registers_are_visible(loaded: Any) -> None:
    from selenium.webdriver.common.by import By

    def visible(selector: str) -> list[Any]:
        found = loaded.find_elements(By.CSS_SELECTOR, selector)
        for element in found:
            loaded.execute_script("arguments[0].scrollIntoView()", element)
        return [element for element in found if element.is_displayed()]

    assert len(visible("#matrix-svg")) == 1
    assert len(visible("#matrix-svg g.mrow")) == 3
    national = sum(
        len(yaml.safe_load(pack.read_text(encoding="utf-8"))["rules"])
        for pack in (Path(__file__).parents[1] / "policies").glob("*.yaml")
    )
    assert len(visible("#matrix-svg g.mcell")) == 3 * national
    assert len(visible("svg.chart")) == 4
    assert [e.get_attribute("id") for e in visible("section.register")] == [
        "force-dyfed-powys",
        "force-gloucestershire",
        "force-staffordshire",
    ]
    assert len(visible("#force-gloucestershire table.accounts tbody tr")) == 25
    assert len(visible(".broken")) == 1
    # The register is reachable from the matrix: each force's name links to it.
    links = loaded.find_elements(By.CSS_SELECTOR, "#matrix-svg g.mrow a")
    assert [link.text for link in links] == [
        "Dyfed-Powys Police",
        "Gloucestershire Constabulary",
        "Staffordshire Police",
    ]
    loaded.execute_script("arguments[0].scrollIntoView()", links[1])
    links[1].click()
    assert loaded.execute_script("return location.hash") == "#force-gloucestershire"
    register = loaded.find_element(By.ID, "force-gloucestershire")
    # scrolled to the register: it starts at the top of the window
    top = loaded.execute_script("return arguments[0].getBoundingClientRect().top", register)
    assert abs(top) < 2


def test_matrix_rows_and_columns_reorder(loaded: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    def rows() -> list[str]:
        found = loaded.find_elements(By.CSS_SELECTOR, "#matrix-svg g.mrow")
        by_y = sorted(found, key=lambda g: float(g.get_attribute("transform").split(",")[1][:-1]))
        return [g.get_attribute("data-name") for g in by_y]

    assert rows() == ["Dyfed-Powys Police", "Gloucestershire Constabulary", "Staffordshire Police"]
    Select(loaded.find_element(By.ID, "matrix-rows")).select_by_value("failing")
    assert rows()[0] == "Gloucestershire Constabulary"  # the most failing documents
    Select(loaded.find_element(By.ID, "matrix-rows")).select_by_value("loosened")
    assert rows()[0] == "Gloucestershire Constabulary"  # two packs left out, two rules loosened
    Select(loaded.find_element(By.ID, "matrix-cols")).select_by_value("failing")
    first = loaded.find_element(By.CSS_SELECTOR, '#matrix-svg g.mcol[transform="translate(250,0)"]')
    assert first.get_attribute("data-rule") == "ACC-005"  # fails in two forces, the most
    assert not loaded.find_element(By.ID, "matrix-groups").is_displayed()
    Select(loaded.find_element(By.ID, "matrix-cols")).select_by_value("pack")
    Select(loaded.find_element(By.ID, "matrix-rows")).select_by_value("name")


def test_headline_table_sorts(loaded: Any) -> None:
    from selenium.webdriver.common.by import By

    table = loaded.find_element(By.ID, "headline-table")
    errors = table.find_elements(By.CSS_SELECTOR, "thead th button")[9]
    loaded.execute_script("arguments[0].scrollIntoView()", errors)
    errors.click()

    def counts() -> list[tuple[str, int]]:
        return [
            (
                row.find_element(By.TAG_NAME, "th").text,
                int(row.find_elements(By.TAG_NAME, "td")[8].text),
            )
            for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
        ]

    first = counts()
    errors.click()
    second = counts()
    # Ascending, then descending (forces with equal counts may keep their order).
    assert [n for _, n in first] == sorted(n for _, n in first)
    assert [n for _, n in second] == sorted((n for _, n in second), reverse=True)
    assert sorted(first) == sorted(second)
    assert first[-1][0] == "Gloucestershire Constabulary"  # ascending: most errors last


def test_no_serious_or_critical_accessibility_violation(loaded: Any) -> None:
    loaded.execute_script(AXE.read_text(encoding="utf-8"))
    result = loaded.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations), e => done({error: String(e)}));"
    )
    assert not isinstance(result, dict), result
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"][:3]])
        for violation in result
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_screenshot_is_kept(loaded: Any) -> None:
    import base64

    loaded.execute_script("window.scrollTo(0, 0)")
    shot = loaded.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "national-report.png"
    target.write_bytes(base64.b64decode(shot["data"]))
    assert target.read_bytes().startswith(b"\x89PNG")
    print(f"screenshot: {target}")


def test_a_single_force_page_is_its_register(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from tabard.cli import main

    repository = _copy_example("gloucestershire", tmp_path / "glos")
    output = tmp_path / "glos.html"
    assert main(["report", str(repository), "--as-of", AS_OF, "--output", str(output)]) == 0
    browser.get(output.as_uri())
    assert browser.title == "Social media register: Gloucestershire Constabulary (2026-11-24)"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    rows = browser.find_elements(By.CSS_SELECTOR, "#force-gloucestershire table.accounts tbody tr")
    assert len(rows) == 25
    browser.execute_script("arguments[0].scrollIntoView()", rows[0])
    assert rows[0].is_displayed()
    assert rows[0].find_element(By.TAG_NAME, "th").text == "glos-facebook-cheltenham"
