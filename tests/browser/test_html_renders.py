"""The HTML report opened in headless Chromium at phone and desktop size.

Set KAFKAPILOT_SCREENSHOTS to a directory to keep the screenshots for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Final

import pytest

from kafkapilot.report.render_html import render_html
from tests.browser.png import PNG_SIGNATURE, read_png
from tests.unit.report.sample import sample_report

pytestmark = pytest.mark.browser

CHROMIUM: Final = shutil.which("chromium") or "/usr/bin/chromium"
TIMEOUT_S: Final = 60
PHONE: Final = (390, 844)
DESKTOP: Final = (1280, 900)
CHROMIUM_FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
CRITICAL_RED: Final = (0xB9, 0x1C, 0x1C)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("headless Chromium is not installed (Debian package: chromium)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=True)


@pytest.fixture(name="page")
def _page(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render_html(sample_report()), encoding="utf-8")
    return path


def _screenshot(tmp_path: Path, page: Path, size: tuple[int, int], name: str) -> Path:
    png = tmp_path / f"{name}.png"
    _chromium(tmp_path, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", page.as_uri())
    keep = os.environ.get("KAFKAPILOT_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / png.name)
    return png


@pytest.mark.parametrize(("size", "name"), [(PHONE, "report-phone"), (DESKTOP, "report-desktop")])
def test_screenshot_is_a_real_picture(tmp_path: Path, page: Path, size: tuple[int, int], name: str) -> None:
    data = _screenshot(tmp_path, page, size, name).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    image = read_png(data)
    assert (image.width, image.height) == size
    colours = image.colours(step=3)
    assert len(colours) > 50, "the page looks blank"
    background = image.pixel(0, image.height - 1)
    other = sum(image.pixel(x, y) != background for y in range(0, image.height, 4) for x in range(0, image.width, 4))
    assert other > (image.width // 4) * (image.height // 4) // 50, "almost everything is background"


def test_phone_shows_the_severity_chart(tmp_path: Path, page: Path) -> None:
    image = read_png(_screenshot(tmp_path, page, (PHONE[0], 1400), "report-phone-chart").read_bytes())
    assert any(pixel[:3] == bytes(CRITICAL_RED) for pixel in image.colours()), "no critical bar on screen"


def test_dom_holds_every_finding_title(tmp_path: Path, page: Path) -> None:
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in dom
    for finding in sample_report().findings:
        assert finding.title.replace("<", "&lt;").replace(">", "&gt;") in dom
    assert dom.count("<script") == 1  # the page's own, never one from finding text
