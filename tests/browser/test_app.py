"""The workshop app in a real, offline browser (Debian's chromium, headless, via selenium)."""

from __future__ import annotations

import os
import re
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
    pytest.skip(
        "chromium and chromedriver are needed: make test-browser installs them",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

OFFLINE = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",
]
"""Chromium with every non-loopback request sent to a closed port: no network at all."""

WIDTH, HEIGHT = 1280, 720
"""A projector."""

PROJECTORS = ((1280, 720), (1920, 1080), (2560, 1440))
"""The screens the page must fill without clipping or overlapping anything."""

LARGEST_CITY = "Guangzhou"
"""The largest shipped city (conf/city/guangzhou.yaml: 19.0 million residents)."""

CJK = re.compile(r"[\u4e00-\u9fff]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    """What the app's server writes to the terminal."""
    return tmp_path_factory.mktemp("app") / "terminal.log"


@pytest.fixture(scope="module")
def app_url(server_log: Path):
    port = _free_port()
    with server_log.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "govsim", "app", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
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


def open_browser(url: str, size: tuple[int, int] = (WIDTH, HEIGHT)):
    options = webdriver.ChromeOptions()
    for flag in OFFLINE:
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
    )
    driver.get(url)
    wait(driver, 60).until(lambda d: d.find_elements(By.ID, "day"))
    return driver


@pytest.fixture
def browser(app_url):
    driver = open_browser(app_url)
    yield driver
    driver.quit()


RERENDERED = (StaleElementReferenceException, NoSuchElementException)
"""Solara re-renders elements after each step: look them up again."""


def wait(driver, seconds: float) -> WebDriverWait:
    return WebDriverWait(driver, seconds, ignored_exceptions=RERENDERED)


def text_of(driver, element_id: str) -> str:
    return wait(driver, 20).until(
        lambda d: d.execute_script(
            f"const e = document.getElementById('{element_id}'); return e && e.textContent"
        )
    )


def day(driver) -> int:
    return int(text_of(driver, "day"))


def click(driver, label: str) -> None:
    """Click the button whose text is ``label`` (Vuetify shows it in capitals)."""
    xpath = (
        "//button[translate(normalize-space(), 'abcdefghijklmnopqrstuvwxyz', "
        f"'ABCDEFGHIJKLMNOPQRSTUVWXYZ')='{label.upper()}']"
    )
    wait(driver, 20).until(lambda d: d.find_element(By.XPATH, xpath).click() or True)


def step(driver, times: int, label: str = "step") -> None:
    for _ in range(times):
        before = day(driver)
        click(driver, label)
        wait(driver, 20).until(lambda d, before=before: day(d) == before + 1)


def to_chinese(driver) -> None:
    click(driver, "zh")
    wait(driver, 20).until(lambda d: "基本设置" in d.page_source)


def choose(driver, label: str, option: str) -> None:
    """Pick an option of a select by its label."""
    wait(driver, 20).until(
        lambda d: (
            d.find_element(
                By.XPATH, f"//label[normalize-space()='{label}']/ancestor::div[@role='button'][1]"
            ).click()
            or True
        )
    )
    item = wait(driver, 20).until(
        lambda d: [
            e
            for e in d.find_elements(By.CSS_SELECTOR, ".v-menu__content .v-list-item")
            if e.text.strip() == option and e.is_displayed()
        ]
    )
    item[0].click()


def chart_labels(driver) -> str:
    """What the charts say (ECharts' accessible description of each chart)."""
    return " ".join(
        driver.execute_script(
            "return [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute("
            "'aria-label'))"
        )
    )


def test_the_first_page_is_the_app_s_own(app_url) -> None:
    """The loading screen speaks the app's language, without Solara's credits."""
    with urllib.request.urlopen(app_url, timeout=20) as response:
        first = response.read().decode()
    assert "Loading the workshop" in first and "Made with" not in first


def test_the_terminal_shows_no_warning(app_url, server_log: Path) -> None:
    with urllib.request.urlopen(app_url, timeout=20) as response:
        assert response.status == 200
    said = server_log.read_text()
    assert "starting" in said and "Warning" not in said, said


def test_every_asset_is_local_and_nothing_fails(browser, app_url) -> None:
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources and all(
        url.startswith(app_url.rstrip("/")) or url.startswith("data:") for url in resources
    ), resources
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    assert "govsim" in browser.title
    assert "PAGE 0" not in browser.page_source and "Use Threads" not in browser.page_source


def test_chinese_in_controls_charts_and_network_and_the_run_kept(browser) -> None:
    step(browser, 3)
    to_chinese(browser)
    assert day(browser) == 3
    wait(browser, 20).until(lambda d: "三率" in chart_labels(d))
    labels = chart_labels(browser)
    for words in ("街道及以下", "化解率", "满意率", "未结案件", "街巷吹哨", "层级流转"):
        assert words in labels
    assert "settled" not in labels.lower()
    page = browser.find_element(By.TAG_NAME, "body").text
    for words in ("情景", "对照方案", "巡查力度", "重新开始", "播放", "单步", "当前设置"):
        assert words in page
    assert "%" in text_of(browser, "share_arisen_settled_at_or_below_street-0")


def test_a_reload_starts_fresh_and_two_browsers_are_independent(browser, app_url) -> None:
    step(browser, 3)
    other = open_browser(app_url)
    try:
        assert day(other) == 0
        step(other, 1)
        assert day(browser) == 3 and day(other) == 1
    finally:
        other.quit()
    browser.refresh()
    wait(browser, 60).until(lambda d: d.find_elements(By.ID, "day"))
    assert day(browser) == 0


def test_a_lever_changed_mid_run_takes_effect_without_a_restart(browser) -> None:
    step(browser, 4)
    slide(browser, "patrol effort", Keys.HOME)
    # Changed at day 4: the exported command schedules it there (not from day 0).
    wait(browser, 20).until(
        lambda d: (
            "{day: 4, key: city.patrol_discovery_rate_per_day, "
            "value: 0.05}" in text_of(d, "command")
        )
    )
    assert "day 4" in text_of(browser, "lever-log")
    step(browser, 1)
    assert day(browser) == 5
    choose(browser, "city", "Pingliang")
    assert "restart" in text_of(browser, "pending").lower()
    assert day(browser) == 5


def test_the_presentation_layout_fits_a_projector(browser) -> None:
    bottoms = browser.execute_script(
        "const ids = ['day', 'events', 'command']; return ids.map(i => "
        "document.getElementById(i).getBoundingClientRect().bottom)"
    )
    assert max(bottoms) <= HEIGHT, bottoms
    toggle = browser.find_element(
        By.XPATH, "//button[normalize-space()='ZH' or normalize-space()='zh']"
    )
    assert toggle.rect["y"] + toggle.rect["height"] <= HEIGHT
    assert browser.execute_script("return document.body.scrollWidth") <= WIDTH


def slide(driver, label: str, *keys: str) -> None:
    thumb = wait(driver, 20).until(
        lambda d: d.find_element(
            By.XPATH,
            f"//label[contains(., '{label}')]/ancestor::div[contains(@class,'v-input')]"
            "[1]//div[@role='slider']",
        )
    )
    thumb.send_keys(*keys)


def run_to(driver, last_day: int) -> str:
    """Set *run to day* (the slider moves in tens), then press play; the end-of-run summary.

    An ended run extended waits for play: the day stands still and one step moves it by one.
    """
    now = int(re.search(r"(\d+)$", slider_label(driver, "运行至第几天")).group(1))
    keys = [Keys.RIGHT if last_day > now else Keys.LEFT] * (abs(last_day - now) // 10)
    if keys:
        slide(driver, "运行至第几天", *keys)
        wait(driver, 20).until(
            lambda d: (
                f"/ {last_day}" in d.find_element(By.ID, "day").find_element(By.XPATH, "..").text
            )
        )
    if day(driver) < last_day:
        wait(driver, 20).until(lambda d: not d.find_elements(By.ID, "summary"))
        here = day(driver)
        step(driver, 1, "单步")  # still: stepping is refused while a run plays
        assert day(driver) == here + 1
        press_play(driver)
    wait(driver, 90).until(lambda d: d.find_elements(By.ID, "summary"))
    assert day(driver) == last_day
    return text_of(driver, "summary")


def press_play(driver) -> None:
    """Press play, once more if the press was lost while the button was being redrawn."""
    here = day(driver)
    for _ in range(2):
        click(driver, "播放")
        try:
            wait(driver, 10).until(lambda d: day(d) > here or d.find_elements(By.ID, "summary"))
            return
        except TimeoutException:
            if day(driver) > here:
                return


def slider_label(driver, label: str) -> str:
    return (
        wait(driver, 20)
        .until(lambda d: d.find_element(By.XPATH, f"//label[contains(., '{label}')]"))
        .text
    )


CHARTS_JS = """
return [...document.querySelectorAll('.govsim-chart, .govsim-small-chart')].map(e => {
    const option = e.__vue__.chart.getOption();
    return {title: ((option.title || [])[0] || {}).text || '',
            marks: ((option.series[0] || {}).markLine || {data: []}).data.map(m => m.xAxis),
            series: option.series.map(s => ({name: s.name, data: s.data}))};
});
"""


def charts(driver) -> list[dict]:
    """Every line chart's title, lever marks and series, as ECharts draws them."""
    return driver.execute_script(CHARTS_JS)


def value_on(chart: dict, series: str, on_day: int) -> float:
    return next(
        v for x, v in next(s for s in chart["series"] if s["name"] == series)["data"] if x == on_day
    )


def counter(driver, name: str, design: int = 0) -> str:
    return text_of(driver, f"counter-{name}-{design}")


def number(text: str) -> float:
    return float(re.search(r"[\d.]+", text).group())


def errors(driver) -> list[str]:
    """The browser console's errors since the last look."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def all_drawn(driver) -> bool:
    """Every figure on the page has its chart, and the charts have followed their boxes."""
    return driver.execute_script(
        "const boxes = [...document.querySelectorAll('.govsim-figure')];"
        "return boxes.length > 0 && boxes.every(b => b.__vue__ && b.__vue__.chart"
        " && Math.abs(b.__vue__.chart.getWidth() * b.__vue__.drawnAt - b.clientWidth) < 2)"
    )


def looks_right(driver) -> None:
    """Every chart drawn, nothing clipped, overlapping or off-screen, no console error."""
    wait(driver, 20).until(all_drawn)
    assert driver.execute_script(LAYOUT_PROBLEMS) == []
    assert errors(driver) == []


GUIDE_SIZES = PROJECTORS[:2]
"""The projectors docs/workshop.md is walked on: the smallest and 1080p."""


@pytest.mark.parametrize("size", GUIDE_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_workshop_guide_in_chinese(app_url, size, tmp_path: Path) -> None:
    """docs/workshop.md, step by step, in Chinese: each step's effect is on the page, the
    page fits the projector after each step and the console stays free of errors."""
    browser = open_browser(app_url, size)
    try:
        walk_the_guide(browser, tmp_path / f"workshop-{size[0]}x{size[1]}.png")
    finally:
        browser.quit()


def walk_the_guide(browser, shot: Path) -> None:
    """The guide's script, minute by minute."""
    to_chinese(browser)
    slide(browser, "每秒天数", Keys.END)
    # 3–8: play to day 90; the end-of-run summary; whistles answered, the comparison has none.
    summary = run_to(browser, 90)
    assert "运行结束" in summary and "90" in summary
    assert "吹哨" in text_of(browser, "events")
    venue, handled = (
        float(text_of(browser, f"{m}-0").rstrip("%"))
        for m in (
            "share_arisen_settled_at_or_below_street",
            "share_arisen_handled_at_or_below_street",
        )
    )
    assert venue > handled
    assert "%" in counter(browser, "recent_whistle_answers")
    assert "无吹哨" in counter(browser, "recent_whistle_answers", 1)
    looks_right(browser)
    # 8–12: on to day 120, the assessment weight to 0; to 150, the weight to 1; to 180.
    answered = {}
    for last_day, keys in ((120, [Keys.HOME]), (150, [Keys.END]), (180, [])):
        run_to(browser, last_day)
        answered[last_day] = number(counter(browser, "recent_whistle_answers"))
        if keys:
            slide(browser, "考核权重", *keys)
            wait(browser, 20).until(lambda d, on=last_day: f"第 {on} 天" in text_of(d, "lever-log"))
    assert "{day: 120, key: mechanism.assessment.weight, value: 0}" in text_of(browser, "command")
    assert "{day: 150, key: mechanism.assessment.weight, value: 1}" in text_of(browser, "command")
    drawn = charts(browser)
    assert len(drawn) == 9 and all(c["marks"] == [120, 150] for c in drawn), drawn
    running, recent = (
        next(c for c in drawn if words in c["title"]) for words in ("累计", "近 14 天")
    )
    fell = {
        name: value_on(chart, chart["series"][0]["name"], 120)
        - value_on(chart, chart["series"][0]["name"], 150)
        for name, chart in (("running", running), ("recent", recent))
    }
    assert fell["recent"] > 2 * abs(fell["running"]), fell  # hidden in the running total
    assert answered[150] < answered[120] and answered[180] > answered[150]
    looks_right(browser)
    # 12–16: patrol effort to 0.05 for 60 days, then to 1.0 for 60 more.
    found = {}
    for last_day, key in ((240, Keys.HOME), (300, Keys.END)):
        slide(browser, "巡查力度", key)
        run_to(browser, last_day)
        found[last_day] = (
            number(counter(browser, "recent_discovery_days")),
            number(counter(browser, "recent_patrol_found")),
        )
    assert found[300][0] < found[240][0] and found[300][1] > found[240][1]
    assert all(c["marks"] == [120, 150, 180, 240] for c in charts(browser))
    assert "累计" in counter(browser, "recent_petitions")
    looks_right(browser)
    # 16–20: the Guangdong scenario, restarted: its own levers, and what was kept is said.
    choose(browser, "情景", "广东:网格化、综治中心与多元解纷")
    wait(browser, 20).until(lambda d: d.find_elements(By.ID, "pending"))
    click(browser, "重新开始")
    wait(browser, 60).until(lambda d: not d.find_elements(By.ID, "pending") and day(d) == 0)
    kept = text_of(browser, "kept")
    assert "广东" in kept and "种子 0" in kept and "300" in kept
    wait(browser, 20).until(lambda d: "patrol_discovery_rate" not in text_of(d, "command"))
    assert "网格化管理" in browser.find_element(By.TAG_NAME, "body").text
    assert all(c["marks"] == [] for c in charts(browser))
    run_to(browser, 90)
    closed = {
        level: number(part)
        for level, part in zip(
            ("grid", "community", "street", "departments", "above"),
            counter(browser, "recent_closures").split("·"),
            strict=True,
        )
    }
    assert closed["grid"] + closed["community"] > closed["departments"]
    assert len(CJK.findall(browser.find_element(By.TAG_NAME, "body").text)) > 200
    looks_right(browser)
    browser.save_screenshot(str(shot))
    keep = os.environ.get("GOVSIM_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


LAYOUT_PROBLEMS = """
const problems = [];
const texts = '.govsim-numbers th, .govsim-numbers td, .govsim-page .v-label, .govsim-title, '
  + '.govsim-day, .govsim-events li, .govsim-key, .govsim-design-name, .govsim-summary, '
  + '.govsim-page .v-btn__content, .govsim-page .v-select__selection, .govsim-counter-text';
const cjk = /[\\u4e00-\\u9fff]/;
for (const e of document.querySelectorAll(texts)) {
  if (e.clientWidth && e.scrollWidth > e.clientWidth + 1)
    problems.push(`clipped: ${e.textContent} (${e.scrollWidth} > ${e.clientWidth})`);
  // a line may not break between two Chinese characters (响应/率)
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let last = null;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect || !node.data[i].trim()) continue;
      if (last && rect.top > last.top + rect.height / 2 && cjk.test(last.char)
          && cjk.test(node.data[i]))
        problems.push(`broken: ${last.char}/${node.data[i]} in ${e.textContent}`);
      last = {top: rect.top, char: node.data[i]};
    }
  }
}
for (const e of document.querySelectorAll('.govsim-page .v-slider'))
  if (e.getBoundingClientRect().width < 120 * innerWidth / 1280)
    problems.push(`slider ${e.getBoundingClientRect().width} px wide`);
for (const part of document.querySelectorAll('.govsim-main > *'))
  if (part.getBoundingClientRect().bottom > innerHeight + 0.5)
    problems.push(`below the screen: ${part.className}`);
for (const box of document.querySelectorAll('.govsim-figure')) {
  const chart = box.__vue__ && box.__vue__.chart;
  if (!chart) { problems.push('a chart not drawn'); continue; }
  const rects = chart.getZr().storage.getDisplayList()
    .filter(el => typeof el.style.text === 'string' && el.style.text.trim())
    .map(el => {
      const r = el.getBoundingRect().clone();
      const m = el.getComputedTransform();
      if (m) r.applyTransform(m);
      return {text: el.style.text, r};
    });
  for (const {text, r} of rects)
    if (r.x < -0.5 || r.y < -0.5 || r.x + r.width > chart.getWidth() + 0.5
        || r.y + r.height > chart.getHeight() + 0.5)
      problems.push(`outside its chart: ${text}`);
  for (let i = 0; i < rects.length; i++)
    for (let j = i + 1; j < rects.length; j++) {
      const [a, b] = [rects[i].r, rects[j].r];
      if (a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5
          && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5)
        problems.push(`overlap: ${rects[i].text} / ${rects[j].text} in ${box.className} `
                      + JSON.stringify([a, b].map(r => [r.x, r.y, r.width, r.height]
                                                  .map(Math.round))));
    }
}
if (document.body.scrollWidth > innerWidth) problems.push('the page is wider than the screen');
return problems;
"""
"""Text cut off or broken mid-word, sliders squashed, chart texts overlapping or cut."""

FONT_SIZES = """
const smallest = (selector) => Math.min(...[...document.querySelectorAll(selector)]
  .filter(e => e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize)));
const charts = [...document.querySelectorAll('.govsim-figure')].map(box => {
  const chart = box.__vue__.chart;
  const scale = box.getBoundingClientRect().width / chart.getWidth();
  return Math.min(...chart.getZr().storage.getDisplayList()
    .filter(el => typeof el.style.text === 'string' && el.style.text.trim())
    .map(el => scale * parseFloat((el.style.font || '').match(/([\\d.]+)px/)[1])));
});
return {numbers: smallest('.govsim-numbers td, .govsim-day'),
        labels: smallest('.govsim-numbers th, .govsim-page .v-label, .govsim-events li, '
                         + '.govsim-key, .govsim-design-name, .govsim-page .v-btn__content, '
                         + '.govsim-command, .govsim-counter-text'),
        charts: Math.min(...charts)};
"""
"""The smallest key number, label and chart text on the page, in CSS pixels."""


@pytest.mark.parametrize("size", PROJECTORS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_page_fills_each_projector_without_clipping_or_overlaps(app_url, size) -> None:
    driver = open_browser(app_url, size)
    try:
        step(driver, 3)
        for language in ("en", "zh"):
            if language == "zh":
                to_chinese(driver)
            wait(driver, 20).until(all_drawn)
            assert driver.execute_script(LAYOUT_PROBLEMS) == [], (language, size)
            main = driver.execute_script(
                "return document.querySelector('.govsim-charts').getBoundingClientRect()"
            )
            assert main["bottom"] >= 0.8 * size[1], main  # the charts reach down the screen
        if size == (1920, 1080):
            sizes = driver.execute_script(FONT_SIZES)
            assert sizes["numbers"] >= 24 and sizes["labels"] >= 16, sizes
            assert sizes["charts"] >= 16, sizes
    finally:
        driver.quit()


def test_the_info_panel_in_both_languages(browser) -> None:
    assert not browser.find_elements(By.ID, "info")
    click(browser, "about")
    info = text_of(browser, "info")
    for words in ("The model", "street whistle", "12345 hotline", "response rate"):
        assert words in info
    click(browser, "close")
    wait(browser, 20).until(lambda d: not d.find_elements(By.ID, "info"))
    to_chinese(browser)
    click(browser, "说明")
    info = text_of(browser, "info")
    for words in ("模型", "街巷吹哨", "枫桥经验", "响应率", "未结案件"):
        assert words in info


def test_no_browser_errors_at_top_speed_on_the_largest_city(app_url) -> None:
    driver = open_browser(app_url, (1920, 1080))
    try:
        choose(driver, "city", LARGEST_CITY)
        wait(driver, 20).until(lambda d: d.find_elements(By.ID, "pending"))
        click(driver, "restart")
        wait(driver, 180).until(lambda d: not d.find_elements(By.ID, "pending") and day(d) == 0)
        slide(driver, "days per second", Keys.END)
        slide(driver, "run to day", Keys.HOME)
        wait(driver, 20).until(
            lambda d: "days per second: 30" in d.page_source and "run to day: 10" in d.page_source
        )
        click(driver, "play")
        wait(driver, 120).until(lambda d: d.find_elements(By.ID, "summary"))
        # run on: the networks come back while the days stream in
        slide(driver, "run to day", Keys.RIGHT, Keys.RIGHT)
        to_chinese(driver)  # every text redrawn
        if not driver.find_elements(By.XPATH, "//button[normalize-space()='暂停']"):
            click(driver, "播放")
        wait(driver, 120).until(lambda d: day(d) >= 30)
        assert "city=guangzhou" in text_of(driver, "command")
        assert errors(driver) == []
        wait(driver, 120).until(lambda d: d.find_elements(By.ID, "summary"))
        assert driver.execute_script(LAYOUT_PROBLEMS) == []  # six-digit counts, 个百分点
    finally:
        driver.quit()
