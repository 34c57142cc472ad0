#!/usr/bin/env python3
"""Drives the real pages with Debian's headless Chromium (through Selenium and chromedriver).

Starts `sipas serve --demo` on a temporary data directory, then, as a citizen and an official would:
signs a desk tablet in with its device key, fills every control of the SIPAS form (all questions, the
optional profile, the comment) and submits it (and finds the response stored), submits the quick smiley
form with one tap, answers from a one-time ticket link, sees a validation error that names its question,
and signs in to the dashboard from its link, landing on the page the link named; an admin registers a tablet and
a second browser enrolls with the code's link. Screenshots of the form at phone and tablet
width and of the dashboard are saved in Tests/browser/screenshots/ for a reviewer to look at.

    python3 Tests/browser/browser_test.py      # after `swift build`; prints "N passed, M failed"
"""
import base64, json, os, re, shutil, signal, socket, sqlite3, ssl, subprocess, sys, tempfile, time, traceback, urllib.request

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
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
        self.browser = self.new_browser()
        os.makedirs(SHOTS, exist_ok=True)

    @staticmethod
    def new_browser():
        """A headless Chromium of its own (its own cookies): another person's device."""
        options = Options()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", "--disable-dev-shm-usage"):
            options.add_argument(flag)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        browser = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
        browser.set_window_size(820, 1180)
        return browser

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
    """Waits (up to 15 s) for a page to settle after a click: the old page's elements go stale meanwhile.

    Chromium may also report an element of the page being replaced as "Node with given id does not belong to
    the document" (a plain WebDriverException rather than a stale reference): that too means "not yet"."""
    def settled(driver):
        try:
            return condition(driver)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return False
            raise
    WebDriverWait(h.browser, 15, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        settled, message=what)


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


def controls(h):
    """Every control a person can touch on the page: radio groups by name, checkboxes, text areas, selects."""
    b = h.browser
    radios = {}
    for radio in b.find_elements(By.CSS_SELECTOR, "form input[type='radio']"):
        radios.setdefault(radio.get_attribute("name"), []).append(radio)
    return (radios, b.find_elements(By.CSS_SELECTOR, "form input[type='checkbox']"),
            b.find_elements(By.CSS_SELECTOR, "form textarea"), b.find_elements(By.CSS_SELECTOR, "form select"))


def test_sipas_form(h):
    sign_in_tablet(h)
    b = h.browser
    h.shot("form-phone.png", 390, 844)
    h.shot("form-tablet.png", 820, 1180)
    before = h.db("SELECT count(*) FROM response WHERE desk = 'Quầy 1'")[0][0]
    radios, checkboxes, textareas, selects = controls(h)
    # Each radio group is one question: 19 items on the 1-5 scale, and the optional profile (gender, age group).
    items = [name for name in radios if name.startswith("answer.")]
    profile = [name for name in radios if name.startswith("respondent.")]
    assert len(items) == 19 and all(len(radios[name]) == 5 for name in items), {n: len(r) for n, r in radios.items()}
    assert sorted(profile) == ["respondent.ageGroup", "respondent.gender"], sorted(radios)
    assert set(items) | set(profile) == set(radios), sorted(radios)
    assert not selects, "the citizen's form has no list"
    # Fill every control: a level for each item (varied), up to three expectations, the comment, both profile questions.
    for index, name in enumerate(items):
        radios[name][index % 5].click()
    radios["respondent.gender"][0].click()   # Nữ
    radios["respondent.gender"][1].click()   # Nam: the same question, so Nữ is no longer ticked
    radios["respondent.ageGroup"][1].click()
    assert [r.is_selected() for r in radios["respondent.gender"]] == [False, True, False]
    for box in checkboxes[:3]:
        box.click()
    assert len(textareas) == 1
    textareas[0].send_keys("<script>alert('x')</script> Cán bộ nhiệt tình")
    # A double tap: the form is sent twice with the same response id, and only one response is stored.
    ActionChains(b).double_click(b.find_element(By.CSS_SELECTOR, "button.submit")).perform()
    heading_contains(h, "Cảm ơn")
    rows = h.db("SELECT r.channel, count(a.item), r.respondent FROM response r JOIN response_answer a ON a.responseSeq = r.seq "
                "WHERE r.desk = 'Quầy 1' GROUP BY r.seq")
    assert len(rows) == before + 1 and rows[-1] == ("desk", 19, '{"ageGroup":"25-39","gender":"male"}'), rows
    stored = h.db("SELECT comment, (SELECT count(*) FROM response_expectation e WHERE e.responseSeq = r.seq) FROM response r "
                  "WHERE desk = 'Quầy 1' ORDER BY seq DESC LIMIT 1")[0]
    assert stored == ("<script>alert('x')</script> Cán bộ nhiệt tình", 3), stored


def test_validation_error(h):
    b = h.browser
    b.get(h.base + "/s/sipas?lang=en")
    b.find_element(By.ID, "comment-text").send_keys("only a comment")
    for box in b.find_elements(By.CSS_SELECTOR, "form input[type='checkbox']")[:4]:
        box.click()
    b.find_element(By.CSS_SELECTOR, "input[name='respondent.gender'][value='female']").click()
    b.find_element(By.CSS_SELECTOR, "button.submit").click()
    wait_for(h, lambda d: d.find_element(By.CSS_SELECTOR, ".error-summary").is_displayed(), "the error summary")
    alert = b.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "Please answer at least one question." in alert.text, alert.text
    # The wrong answer is named by its question's number and text, and what is wrong with it.
    named = "Question 20 “What should the agency improve first? (choose up to 3)”: Please choose at most 3 (you chose 4)."
    assert named in alert.text, alert.text
    assert "The form is not valid" not in alert.text, alert.text
    link = alert.find_element(By.CSS_SELECTOR, "a[href='#expectations']")
    assert link.text == named, link.text
    beside = b.find_element(By.ID, "error-expectations")
    assert beside.text == "Please choose at most 3 (you chose 4).", beside.text
    assert "20. What should the agency improve first?" in b.find_element(By.CSS_SELECTOR, "#expectations legend").text
    h.shot("form-errors.png", 820, 1180)
    # What was typed stays.
    assert b.find_element(By.ID, "comment-text").get_attribute("value") == "only a comment"
    assert b.find_element(By.CSS_SELECTOR, "input[name='respondent.gender'][value='female']").is_selected()
    assert len([x for x in b.find_elements(By.CSS_SELECTOR, "form input[type='checkbox']") if x.is_selected()]) == 4


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
    # The demo's link: signing in lands on the page it named, 2024 for district 875 (not the current year).
    b.get(h.base + "/dashboard?unit=875&year=2024")
    b.find_element(By.ID, "token").send_keys(h.token)
    b.find_element(By.CSS_SELECTOR, "button.submit").click()
    heading_contains(h, "Huyện Lấp Vò · 2024")
    assert "unit=875&year=2024" in b.current_url, b.current_url
    assert len(b.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4
    assert "Bảng điểm" in b.page_source
    h.shot("dashboard.png", 1280)
    # Without a period: the latest year with figures.
    b.get(h.base + "/dashboard")
    heading_contains(h, "Huyện Lấp Vò · 2024")
    b.get(h.base + "/dashboard/print?unit=875&year=2024")
    h.shot("print.png", 900)


def test_enrollment(h):
    """An admin registers a tablet on /admin/devices; the tablet (another browser) opens the code's link, confirms,
    and lands on the survey form signed in as that device, without anyone seeing its key."""
    admin = subprocess.run([h.sipas, "token", "add", "--role", "admin", "--label", "browser admin", "--data-dir", h.data],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    b = h.browser
    b.get(h.base + "/admin/devices")
    b.delete_all_cookies()  # the official's session of the dashboard test
    b.get(h.base + "/admin/devices")
    b.find_element(By.ID, "token").send_keys(admin)
    b.find_element(By.CSS_SELECTOR, "button.submit").click()
    heading_contains(h, "Máy tính bảng và ki-ốt")
    b.find_element(By.CSS_SELECTOR, "#unit option[value='30169']").click()
    b.find_element(By.ID, "desk").send_keys("Quầy 2")
    b.find_element(By.ID, "label").send_keys("Máy tính bảng 2")
    b.find_element(By.CSS_SELECTOR, "#register-form button.submit").click()
    wait_for(h, lambda d: d.find_element(By.ID, "enrollment-link").get_attribute("href"), "the enrollment link")
    link = b.find_element(By.ID, "enrollment-link").get_attribute("href")
    assert re.fullmatch(rf"{re.escape(h.base)}/e/[0-9A-Z]{{4}}-[0-9A-Z]{{4}}", link), link
    assert "sipas_dev_" not in b.page_source
    h.shot("admin-devices.png", 1280)
    tablet = h.new_browser()
    try:
        tablet.get(link)
        assert "Máy tính bảng 2" in tablet.find_element(By.CSS_SELECTOR, "dl.about").text
        tablet.save_screenshot(os.path.join(SHOTS, "enroll-tablet.png"))
        tablet.find_element(By.CSS_SELECTOR, "button.submit").click()
        WebDriverWait(tablet, 15).until(lambda d: "/s/sipas" in d.current_url, message="the form after enrolling")
        assert "Phiếu khảo sát" in tablet.find_element(By.TAG_NAME, "h1").text
        assert "Quầy 2" in tablet.find_element(By.CSS_SELECTOR, ".footer-note").text
    finally:
        tablet.quit()
    assert h.db("SELECT awaitingEnrollment FROM device WHERE label = 'Máy tính bảng 2'") == [(0,)]


ACCENT = (0x0B, 0x4F, 0x9C)  # --accent of sipas.css: the chart bars
A4_TEXT_WIDTH_MM = 210 - 30 - 15  # NĐ 30 margins: left 30 mm, right 15 mm


def accent_bands(image, gap=25):
    """The vertical bands of a page image holding bars of the accent colour (a chart each), as (top, bottom) rows."""
    pixels, (width, height) = image.load(), image.size
    rows = [y for y in range(height) if sum(
        1 for x in range(0, width, 2) if all(abs(c - a) <= 40 for c, a in zip(pixels[x, y][:3], ACCENT))) >= 3]
    bands = []
    for y in rows:
        if bands and y - bands[-1][1] <= gap:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    return [(top, bottom) for top, bottom in bands if bottom - top >= 8]


def pdf_pages(pdf, prefix, resolution=80):
    """Renders a PDF's pages to PNG with pdftoppm; returns their paths in order, and the PDF's text (pdftotext)."""
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", pdf, prefix], check=True)
    pages = sorted((f for f in os.listdir(os.path.dirname(prefix)) if f.startswith(os.path.basename(prefix) + "-")),
                   key=lambda f: int(f.rsplit("-", 1)[1].split(".")[0]))
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return [os.path.join(os.path.dirname(prefix), f) for f in pages], text


def check_report_pdf(pdf, prefix):
    """The printed report as an official files it: every chart keeps its bars, the NĐ 30 frame, page numbers."""
    pages, text = pdf_pages(pdf, prefix)
    assert len(pages) >= 2, pages
    bands = [band for page in pages for band in accent_bands(Image.open(page).convert("RGB"))]
    # Four charts draw bars (index, units, months, timeliness): each a band of the accent colour on its page.
    assert len(bands) >= 4, f"chart bars on paper: {bands}"
    flat = " ".join(text.split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Nơi nhận:",
                 "TM. ỦY BAN NHÂN DÂN", "./."):
        assert part in flat, part
    # The as-of time and "Trang n/N" at the foot of every page; the page number in the top margin from page 2 on.
    feet = re.findall(r"Số liệu đến \d\d/\d\d/\d{4} \d\d:\d\d · Trang (\d+)/(\d+)", flat)
    assert feet == [(str(n), str(len(pages))) for n in range(1, len(pages) + 1)], feet
    assert f"Trang 2/{len(pages)}" in flat and f"Trang {len(pages)}/{len(pages)}" in flat, flat[-300:]
    return pages


def test_print(h):
    b = h.browser
    b.get(h.base + "/dashboard/print?unit=875&year=2024")
    wait_for(h, lambda d: d.find_element(By.CSS_SELECTOR, ".doc-type").text == "BÁO CÁO", "the report's title")
    # Laid out for paper: every table inside the text column of A4 (210 mm less the margins) and inside its container.
    b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    b.set_window_size(1200, 1000)
    widths = b.execute_script("""
        const mm = 96 / 25.4, main = document.querySelector('main.document').getBoundingClientRect();
        return {main: main.width / mm, tables: [...document.querySelectorAll('main.document table')].map(t => {
            const r = t.getBoundingClientRect(), c = t.parentElement.getBoundingClientRect();
            const cells = [...t.querySelectorAll('td, th')].map(x => x.getBoundingClientRect().right);
            return {cls: t.className, right: r.right, container: c.right, widest: Math.max(r.right, ...cells),
                    overflow: t.scrollWidth - t.clientWidth};
        })};""")
    assert widths["main"] <= A4_TEXT_WIDTH_MM + 0.5, widths["main"]
    for table in widths["tables"]:
        assert table["widest"] <= table["container"] + 0.5 and table["overflow"] <= 0, table
    b.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # Printed as an official would: Chromium's print to PDF, A4 from the page, backgrounds on.
    printed = b.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
    out = tempfile.mkdtemp(prefix="sipas-print-")
    pdf = os.path.join(out, "report.pdf")
    with open(pdf, "wb") as f:
        f.write(base64.b64decode(printed["data"]))
    pages = check_report_pdf(pdf, os.path.join(out, "page"))
    for index, page in enumerate(pages[:3], 1):
        shutil.copy(page, os.path.join(SHOTS, f"print-page-{index}.png"))
    # The same document from the command line.
    cli = os.path.join(out, "cli.pdf")
    done = subprocess.run([h.sipas, "report", "print", "--unit", "875", "--year", "2024", "--out", cli, "--data-dir", h.data],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    check_report_pdf(cli, os.path.join(out, "cli"))
    shutil.rmtree(out, ignore_errors=True)


def main():
    tests = [test_sipas_form, test_validation_error, test_quick_form, test_ticket_link, test_dashboard, test_print, test_enrollment]
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
