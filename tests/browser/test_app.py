"""The workshop app in a real, offline browser (Debian's chromium, headless, via selenium)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

if not (shutil.which("chromium") and shutil.which("chromedriver")):
    pytest.skip("chromium and chromedriver are needed: make test-browser installs them",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

OFFLINE = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--proxy-server=127.0.0.1:9", "--window-size=1400,1000"]
"""Chromium with every non-loopback request sent to a closed port: no network at all."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    server = subprocess.Popen([sys.executable, "-m", "govsim", "app", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(server.pid, signal.SIGTERM)
        pytest.fail("the app did not start")
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)


@pytest.fixture
def browser(app_url):
    options = webdriver.ChromeOptions()
    for flag in OFFLINE:
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.get(app_url)
    wait(driver, 60).until(lambda d: d.find_elements(By.ID, "headline"))
    yield driver
    driver.quit()


RERENDERED = (StaleElementReferenceException, NoSuchElementException)
"""Solara re-renders elements after each step: look them up again."""


def wait(driver, seconds: float) -> WebDriverWait:
    return WebDriverWait(driver, seconds, ignored_exceptions=RERENDERED)


def text_of(driver, element_id: str) -> str:
    return wait(driver, 20).until(lambda d: d.find_element(By.ID, element_id).text or " ")


def chart_of(driver) -> str:
    return wait(driver, 20).until(
        lambda d: d.find_elements(By.TAG_NAME, "img")[-1].get_attribute("src"))


def step(driver, times: int) -> None:
    for _ in range(times):
        day = int(text_of(driver, "day"))
        click(driver, "//button[normalize-space()='STEP' or normalize-space()='Step']")
        wait(driver, 20).until(lambda d, day=day: int(text_of(d, "day")) == day + 1)


def click(driver, xpath: str) -> None:
    wait(driver, 20).until(lambda d: d.find_element(By.XPATH, xpath).click() or True)


def reset(driver) -> None:
    click(driver, "//button[normalize-space()='RESET' or normalize-space()='Reset']")


def choose(driver, label: str, option: str) -> None:
    """Pick an option of a select; SolaraViz applies it when the model is reset."""
    click(driver, f"//label[contains(., '{label}')]/ancestor::div[contains(@class,'v-select')][1]")
    item = wait(driver, 20).until(lambda d: [
        e for e in d.find_elements(By.CSS_SELECTOR, ".v-menu__content .v-list-item")
        if e.text.strip() == option and e.is_displayed()])
    item[0].click()
    reset(driver)


def test_page_loads_every_asset_locally(browser, app_url) -> None:
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(url.startswith(app_url.rstrip("/")) or url.startswith("data:")
                             for url in resources), resources
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    assert "govsim workshop" in browser.title or "govsim" in browser.page_source


def test_step_advances_the_day(browser) -> None:
    assert text_of(browser, "day") == "0"
    step(browser, 3)
    assert text_of(browser, "day") == "3"


def test_changing_the_mechanism_changes_the_chart(browser, tmp_path: Path) -> None:
    step(browser, 25)
    whistle_events = text_of(browser, "events")
    whistle_chart = chart_of(browser)
    choose(browser, "mechanism", "baseline")
    wait(browser, 30).until(lambda d: text_of(d, "mechanism") == "baseline")
    step(browser, 25)
    baseline_chart = chart_of(browser)
    assert "whistle" in whistle_events
    assert "whistle" not in text_of(browser, "events")
    assert baseline_chart != whistle_chart
    shot = tmp_path / "workshop.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("GOVSIM_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_language_switch_shows_chinese_labels(browser) -> None:
    choose(browser, "language", "zh")
    wait(browser, 30).until(lambda d: "街道及以下化解率" in d.page_source)
