"""Simulated days per second of the workshop app in a real browser (target: at least 10).

Starts `govsim app`, opens it in headless chromium at 1280x720, presses play at the
fastest speed and reads the day the browser shows, so the browser's drawing counts.
Needs chromium and chromedriver (`make test-browser` installs them).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen(
    [sys.executable, "-m", "govsim", "app", "--port", str(port)],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
    start_new_session=True,
)
url = f"http://127.0.0.1:{port}/"
started = time.perf_counter()
try:
    for _ in range(180):
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.get(url)
    while not driver.find_elements(By.ID, "day"):
        time.sleep(0.2)
    print(f"start-up to a usable page: {time.perf_counter() - started:.1f} s")
    day = "return +document.getElementById('day').textContent"
    driver.find_element(By.XPATH, "//button[contains(., 'play')]").click()
    time.sleep(1.0)
    first, t0 = driver.execute_script(day), time.perf_counter()
    time.sleep(4.0)
    last, t1 = driver.execute_script(day), time.perf_counter()
    print(
        f"{(last - first) / (t1 - t0):.1f} simulated days per second shown in the browser "
        "(default speed 15, two designs side by side)"
    )
    driver.quit()
finally:
    os.killpg(server.pid, signal.SIGTERM)
