"""Screenshot of the forces x rules matrix of a report page, for the README.

    tabard report examples/national --as-of 2026-11-24 --output /tmp/national-report.html
    python examples/national/screenshot.py /tmp/national-report.html docs/national-report.png

Needs Debian's chromium and chromium-driver, and selenium (pip install selenium).
"""

from __future__ import annotations

import argparse
import base64
import shutil
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def screenshot(page: Path, target: Path, section: str) -> None:
    profile = tempfile.mkdtemp(prefix="tabard-chromium-")
    options = webdriver.ChromeOptions()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars",
                     "--window-size=1400,1000", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        driver.get(page.resolve().as_uri())
        box = driver.execute_script(
            "const r = document.getElementById(arguments[0]).closest('section').getBoundingClientRect();"
            "return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};",
            section,
        )
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": max(0, box["x"] - 10), "y": max(0, box["y"] - 10),
                     "width": box["width"] + 20, "height": box["height"] + 20, "scale": 1},
        })
        target.write_bytes(base64.b64decode(shot["data"]))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--section", default="matrix", help="id of the section heading (default: matrix)")
    options = parser.parse_args()
    screenshot(options.page, options.target, options.section)
