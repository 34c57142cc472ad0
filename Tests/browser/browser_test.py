#!/usr/bin/env python3
"""Drives the real pages with Debian's headless Chromium (through Selenium and chromedriver).

Starts `sipas serve --demo` on a temporary data directory, then, as a citizen and an official would:
signs a desk tablet in with its device key, fills and submits the SIPAS form (and finds the response
stored), submits the quick smiley form with one tap, answers from a one-time ticket link, sees a
validation error on the form, and signs in to the dashboard. Screenshots of the form at phone and tablet
width and of the dashboard are saved in Tests/browser/screenshots/ for a reviewer to look at.

    python3 Tests/browser/browser_test.py      # after `swift build`; prints "N passed, M failed"
"""
import json, os, shutil, signal, socket, sqlite3, ssl, subprocess, sys, tempfile, time, traceback, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.path.join(ROOT, "Tests", "browser", "screenshots")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary():
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(path, "sipas")


class Harness:
    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="sipas-browser-")
        self.port = free_port()
        self.base = f"https://localhost:{self.port}"
        self.sipas = binary()
        self.server = subprocess.Popen(
            [self.sipas, "serve", "--demo", "--data-dir", self.data, "--port", str(self.port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        self.tls = context
        for _ in range(600):
            try:
                urllib.request.urlopen(self.base + "/healthz", context=context, timeout=1)
                break
            except Exception:
                if self.server.poll() is not None:
                    raise RuntimeError("the server stopped: " + self.server.stdout.read())
                time.sleep(0.2)
        self.token = open(os.path.join(self.data, "demo-token.txt")).read().strip()
        # A desk of Xã Lấp Vò (30169), a unit in force today (the demo's 2024 communes ended on 30/6/2025).
        out = subprocess.run([self.sipas, "device", "add", "--unit", "30169", "--desk", "Quầy 1", "--data-dir", self.data],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        self.device = out.strip().splitlines()[-1]
        options = Options()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", "--disable-dev-shm-usage"):
            options.add_argument(flag)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        self.browser = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
        self.browser.set_window_size(820, 1180)
        os.makedirs(SHOTS, exist_ok=True)

    def close(self):
        try:
            self.browser.quit()
        finally:
            self.server.send_signal(signal.SIGTERM)
            self.server.wait(timeout=20)
            shutil.rmtree(self.data, ignore_errors=True)

    def db(self, sql, *args):
        with sqlite3.connect(os.path.join(self.data, "sipas.sqlite")) as connection:
            return connection.execute(sql, args).fetchall()

    def shot(self, name, width, height=None):
        self.browser.set_window_size(width, height or 1000)
        full = self.browser.execute_script("return document.body.scrollHeight")
        self.browser.set_window_size(width, max(height or 0, full + 120))
        self.browser.save_screenshot(os.path.join(SHOTS, name))

    def post_json(self, path, body, key):
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
        return json.load(urllib.request.urlopen(request, context=self.tls))


def wait_for(h, condition, what):
    """Waits (up to 15 s) for a page to settle after a click: the old page's elements go stale meanwhile."""
    WebDriverWait(h.browser, 15, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda driver: condition(driver), message=what)


def heading_contains(h, text):
    wait_for(h, lambda d: text in d.find_element(By.TAG_NAME, "h1").text, f"a heading with {text!r}")


def sign_in_tablet(h):
    b = h.browser
    b.get(h.base + "/s/sipas")
    assert "/device" in b.current_url, b.current_url
    b.find_element(By.ID, "key").send_keys(h.device)
    b.find_element(By.CSS_SELECTOR, "button.submit").click()
    wait_for(h, lambda d: "/s/sipas" in d.current_url, "the form after signing in")
    heading_contains(h, "Phiếu khảo sát")


def test_sipas_form(h):
    sign_in_tablet(h)
    b = h.browser
    h.shot("form-phone.png", 390, 844)
    h.shot("form-tablet.png", 820, 1180)
    before = h.db("SELECT count(*) FROM response WHERE desk = 'Quầy 1'")[0][0]
    for item, value in (("a1", 5), ("a2", 4), ("p1", 4), ("s1", 5), ("s3", 2), ("r1", 4), ("f1", 3)):
        b.find_element(By.CSS_SELECTOR, f"input[name='answer.{item}'][value='{value}']").click()
    b.find_element(By.CSS_SELECTOR, "input[name='expectation'][value='shorter-time']").click()
    b.find_element(By.ID, "comment-text").send_keys("<script>alert('x')</script> Cán bộ nhiệt tình")
    # A double tap: the form is sent twice with the same response id, and only one response is stored.
    ActionChains(b).double_click(b.find_element(By.CSS_SELECTOR, "button.submit")).perform()
    heading_contains(h, "Cảm ơn")
    rows = h.db("SELECT r.channel, count(a.item) FROM response r JOIN response_answer a ON a.responseSeq = r.seq "
                "WHERE r.desk = 'Quầy 1' GROUP BY r.seq")
    assert len(rows) == before + 1 and rows[-1] == ("desk", 7), rows
    stored = h.db("SELECT comment FROM response WHERE desk = 'Quầy 1' ORDER BY seq DESC LIMIT 1")[0][0]
    assert stored == "<script>alert('x')</script> Cán bộ nhiệt tình", stored


def test_validation_error(h):
    b = h.browser
    b.get(h.base + "/s/sipas?lang=en")
    b.find_element(By.ID, "comment-text").send_keys("only a comment")
    b.find_element(By.CSS_SELECTOR, "button.submit").click()
    wait_for(h, lambda d: d.find_element(By.CSS_SELECTOR, ".error-summary").is_displayed(), "the error summary")
    alert = b.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "Please answer at least one question." in alert.text, alert.text
    assert b.find_element(By.ID, "comment-text").get_attribute("value") == "only a comment"


def test_quick_form(h):
    b = h.browser
    before = h.db("SELECT count(*) FROM response WHERE survey = 'quick'")[0][0]
    b.get(h.base + "/s/quick")
    h.shot("quick-phone.png", 390, 844)
    b.find_element(By.CSS_SELECTOR, "button.face-3").click()
    heading_contains(h, "Cảm ơn")
    assert h.db("SELECT count(*) FROM response WHERE survey = 'quick' AND channel = 'kiosk'")[0][0] == before + 1
    refresh = b.find_element(By.CSS_SELECTOR, "meta[http-equiv='refresh']").get_attribute("content")
    assert refresh.startswith("6;url=/s/quick"), refresh


def test_ticket_link(h):
    ticket = h.post_json("/v1/tickets", {"dossier": "30169-261129-0042", "procedure": "1.004873"}, h.device)
    b = h.browser
    b.delete_all_cookies()  # the citizen's own phone: no device cookie
    b.get(ticket["url"].replace("127.0.0.1", "localhost"))
    wait_for(h, lambda d: "30169-261129-0042" in d.find_element(By.CSS_SELECTOR, "dl.about").text, "the dossier on the form")
    b.find_element(By.CSS_SELECTOR, "input[name='answer.r1'][value='5']").click()
    b.find_element(By.CSS_SELECTOR, "button.submit").click()
    heading_contains(h, "Cảm ơn")
    assert h.db("SELECT channel FROM response WHERE dossier = '30169-261129-0042'") == [("web",)]


def test_dashboard(h):
    b = h.browser
    b.get(h.base + "/dashboard?unit=875&year=2024")
    b.find_element(By.ID, "token").send_keys(h.token)
    b.find_element(By.CSS_SELECTOR, "button.submit").click()
    wait_for(h, lambda d: d.get_cookie("sipas_session") is not None, "the session cookie")
    b.get(h.base + "/dashboard?unit=875&year=2024")
    heading_contains(h, "Huyện Lấp Vò · 2024")
    assert len(b.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4
    assert "Bảng điểm" in b.page_source
    h.shot("dashboard.png", 1280)
    b.get(h.base + "/dashboard/print?unit=875&year=2024")
    h.shot("print.png", 900)


def main():
    tests = [test_sipas_form, test_validation_error, test_quick_form, test_ticket_link, test_dashboard]
    harness = Harness()
    passed = failed = 0
    try:
        for test in tests:
            try:
                test(harness)
                passed += 1
                print(f"ok   {test.__name__}")
            except Exception:
                failed += 1
                print(f"FAIL {test.__name__}\n{traceback.format_exc()}")
    finally:
        harness.close()
    print(f"screenshots: {SHOTS}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
