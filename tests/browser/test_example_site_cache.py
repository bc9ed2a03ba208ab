"""The example site behind a real shared cache: Debian's Varnish with
docs/examples/varnish.vcl, started here on 127.0.0.1, and Wagtail's
frontend-cache backend pointed at it (FRONTEND_CACHE_URL).

Anonymous visitors get hits and the same bytes; a logged-in moderator is never
served from the cache; a resident sends a contribution through it and sees the
receipt, which no other visitor ever gets; a moderator's approval shows to the
next anonymous visitor within a second. Without varnishd the test is skipped
(and under CI=true that fails the run: .ci/run installs it).
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.test_example_site import EXAMPLE_SITE, free_port, wait_for_port

VCL = Path(__file__).resolve().parent.parent.parent / "docs" / "examples" / "varnish.vcl"
DIALOG = "/dialoger/park-och-lekplats-norrby/"
MOBILE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def cached_demo(tmp_path_factory, example_site_database):
    varnishd = shutil.which("varnishd") or ("/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None)
    if varnishd is None:
        pytest.skip("varnishd not found (apt-get install varnish)")
    app_port, cache_port = free_port(), free_port()
    base = f"http://127.0.0.1:{cache_port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "EXAMPLE_SITE_DB": example_site_database(tmp_path_factory.mktemp("cached-demo") / "demo.sqlite3"),
        "FRONTEND_CACHE_URL": base,
    }
    subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=EXAMPLE_SITE, env=env, check=True,
                   capture_output=True)
    # The site's address is the cache's, as a live site's is its public one: the
    # purges name the addresses visitors ask for.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         f"from wagtail.models import Site; Site.objects.filter(is_default_site=True)"
         f".update(hostname='127.0.0.1', port={cache_port})"],
        cwd=EXAMPLE_SITE, env=env, check=True, capture_output=True,
    )
    # varnishd drops its privileges to Debian's varnish user: its folder must be readable.
    workdir = Path(tempfile.mkdtemp(prefix="wagtail-dialog-varnish-"))
    workdir.chmod(0o755)
    vcl = workdir / "site.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{app_port}";'))
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-u", "manage.py", "runserver", f"127.0.0.1:{app_port}", "--noreload"],
        cwd=EXAMPLE_SITE, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    cache = subprocess.Popen(
        [varnishd, "-F", "-n", str(workdir / "n"), "-a", f"127.0.0.1:{cache_port}", "-T", "127.0.0.1:0",
         "-f", str(vcl), "-s", "malloc,64m"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(app_port, "the example site")
        wait_for_port(cache_port, "Varnish")
        yield {"url": base, "db": env["EXAMPLE_SITE_DB"], "log": log.name}
    finally:
        for process in (cache, server):
            process.terminate()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request) as response:  # noqa: S310 (the test's own loopback address)
        return response.headers, response.read()


def test_anonymous_visitors_get_hits_and_the_same_bytes(cached_demo):
    for path in (DIALOG, "/dialoger/", "/dialoger/?status=open", "/dialoger/api/dialogs/", DIALOG + "privacy/"):
        first_headers, first = get(cached_demo["url"] + path)
        assert "public" in first_headers["Cache-Control"] and "Set-Cookie" not in first_headers, path
        # Another visitor, with cookies of their own that do not change the page.
        headers, again = get(cached_demo["url"] + path, cookie="_pk_id=123; wagtail_dialog_receipt=forged")
        assert headers["X-Cache"] == "HIT", path
        assert again == first, path


def login(context, base):
    page = context.new_page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "exempelkommun")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")
    return page


def test_a_logged_in_moderator_is_never_served_from_the_cache(browser, cached_demo):
    base = cached_demo["url"]
    get(base + DIALOG)
    anonymous_headers, anonymous = get(base + DIALOG)
    assert anonymous_headers["X-Cache"] == "HIT"
    context = browser.new_context(locale="sv-SE")
    try:
        page = login(context, base)
        response = page.goto(base + DIALOG)
        assert response.headers["x-cache"] == "MISS"
        assert "private" in response.headers["cache-control"]
        # What the moderator got was not stored for anyone else either.
        headers, after = get(base + DIALOG)
        assert headers["X-Cache"] == "HIT" and after == anonymous
    finally:
        context.close()


def contribution_pk(db, reference):
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT id FROM wagtail_dialog_contribution WHERE reference = ?", (reference,)
        ).fetchone()[0]


def test_a_resident_sends_and_a_moderators_approval_shows_within_a_second(browser, cached_demo):
    base = cached_demo["url"]
    text = "Sittplatser i skugga vid lekplatsen, gärna med bord."
    resident = browser.new_context(locale="sv-SE", viewport=MOBILE)
    other = browser.new_context(locale="sv-SE", viewport=MOBILE)
    moderator = browser.new_context(locale="sv-SE")
    try:
        page = resident.new_page()
        page.goto(base + DIALOG)
        page.goto(base + DIALOG)  # the page now comes from the cache
        page.fill("#id_text", text)
        page.fill("#id_name", "Kim Testsson")
        page.fill("#id_email", "kim@example.invalid")
        page.check("#id_notify")
        if page.locator("#id_consent").count():
            page.check("#id_consent")
        page.click("#wd-contribution-form button[type=submit]")
        receipt = page.locator("#wd-receipt")
        receipt.wait_for()
        reference = receipt.locator(".wd-receipt__reference").inner_text().strip()
        assert reference and reference in receipt.inner_text()

        # Another visitor, straight after: the page and the receipt's address hold
        # nothing of the resident's (the receipt's address leads to the page).
        seen = other.new_page()
        for path in (DIALOG, DIALOG + "receipt/"):
            seen.goto(base + path)
            html = seen.content()
            for personal in (reference, text, "Kim Testsson", "kim@example.invalid"):
                assert personal not in html, (path, personal)

        admin = login(moderator, base)
        admin.goto(f"{base}/admin/contributions/edit/{contribution_pk(cached_demo['db'], reference)}/")
        with admin.expect_navigation():
            admin.locator("form:has(input[name=action][value=approve]) button:not([name=then])").click()
        approved = time.monotonic()
        while text not in get(base + DIALOG)[1].decode():
            assert time.monotonic() - approved < 1.0, "the approval did not show within a second"
            time.sleep(0.05)
        # Published, the text shows to everyone; the email and the receipt never do.
        seen.goto(base + DIALOG)
        assert text in seen.content() and "kim@example.invalid" not in seen.content()
        headers, _body = get(base + DIALOG)
        assert headers["X-Cache"] == "HIT"
    finally:
        for context in (resident, other, moderator):
            context.close()
