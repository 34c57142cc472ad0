#!/usr/bin/env python3
"""A desk tablet on the office network, for office_network_test.sh (run inside the tablet's network namespace).

    tablet.py fetch-ca BASE OUT          # downloads BASE/tls/ca.pem without trusting anything yet, as a tablet
                                         # does before the authority is installed; prints its SHA-256 fingerprint
    tablet.py healthz BASE CA            # GET BASE/healthz trusting only CA; exit 0 on 200, 3 on a refused certificate
    tablet.py enroll BASE CA PATH        # opens the enrollment link BASE+PATH, confirms, answers the quick survey;
                                         # prints the response id stored
    tablet.py reuse BASE CA PATH         # the same link again: must be refused (410)
"""
import hashlib, html.parser, http.cookiejar, ssl, sys, urllib.error, urllib.parse, urllib.request, uuid


class Forms(html.parser.HTMLParser):
    """The forms of a page: action, method, hidden and radio fields, submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": {}, "buttons": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("type") == "hidden":
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.forms[-1]["buttons"].append((a.get("name"), a.get("value")))


def opener(ca):
    context = ssl.create_default_context(cafile=ca) if ca else ssl._create_unverified_context()
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(jar)), jar


def forms(page):
    parser = Forms()
    parser.feed(page)
    return parser.forms


def submit(web, base, form, button=None):
    fields = dict(form["fields"])
    if button and button[0]:
        fields[button[0]] = button[1] or ""
    data = urllib.parse.urlencode(fields).encode()
    return web.open(urllib.parse.urljoin(base, form["action"]), data=data, timeout=10)


def main():
    command, base = sys.argv[1], sys.argv[2]
    if command == "fetch-ca":
        web, _ = opener(None)
        pem = web.open(base + "/tls/ca.pem", timeout=10).read()
        open(sys.argv[3], "wb").write(pem)
        der = ssl.PEM_cert_to_DER_cert(pem.decode())
        print(":".join(f"{b:02X}" for b in hashlib.sha256(der).digest()))
        return 0
    web, jar = opener(sys.argv[3])
    try:
        if command == "healthz":
            status = web.open(base + "/healthz", timeout=10).status
            print(f"healthz {status}")
            return 0 if status == 200 else 1
        path = sys.argv[4]
        if command == "reuse":
            try:
                page = web.open(base + path, timeout=10).read().decode()
                submit(web, base, forms(page)[0])
            except urllib.error.HTTPError as error:
                print(f"reuse {error.code}")
                return 0 if error.code == 410 else 1
            print("reuse: the link worked a second time")
            return 1
        # enroll: the confirmation page, its one button, then the form the tablet lands on.
        page = web.open(base + path, timeout=10).read().decode()
        confirm = [f for f in forms(page) if f["method"] == "post"]
        if not confirm:
            print("enroll: no confirmation form on " + path)
            return 1
        landed = submit(web, base, confirm[0], (confirm[0]["buttons"] or [None])[0])
        cookies = [c.name for c in jar]
        print(f"enroll: landed on {urllib.parse.urlparse(landed.url).path}, cookies {cookies}")
        if "sipas_device" not in cookies:
            return 1
        page = web.open(base + "/s/quick", timeout=10).read().decode()
        form = [f for f in forms(page) if f["action"].startswith("/s/")][0]
        answered = submit(web, base, form, form["buttons"][0])
        print(f"answered: {answered.status} {urllib.parse.urlparse(answered.url).path}")
        print(form["fields"]["responseId"])
        return 0 if answered.status == 200 else 1
    except urllib.error.URLError as error:
        if isinstance(getattr(error, "reason", None), ssl.SSLCertVerificationError):
            print(f"refused: {error.reason.verify_message}")
            return 3
        raise


if __name__ == "__main__":
    sys.exit(main())
