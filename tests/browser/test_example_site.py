"""The demo a municipality sees first: every page of the example site, served by
its own settings, passes axe at WCAG 2.1 A/AA in Chromium, and the filter works."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLE_SITE = Path(__file__).resolve().parent.parent.parent / "example_site"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, what):
    """Wait until something listens on 127.0.0.1:``port``; fail the test after a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not start")


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory, example_site_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "EXAMPLE_SITE_DB": example_site_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3"),
    }
    subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=EXAMPLE_SITE, env=env, check=True, capture_output=True)
    port = free_port()
    # The demo's console email backend writes every email to this log.
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-u", "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=EXAMPLE_SITE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, "the example site")
        yield {"url": f"http://127.0.0.1:{port}", "log": log.name}
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def demo_urls(page, base):
    page.goto(base + "/dialoger/")
    dialogs = page.eval_on_selector_all(".wd-card__title a", "links => links.map(a => a.getAttribute('href'))")
    nav = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
    return sorted(set(nav) | set(dialogs))


def test_every_demo_page_is_swedish_and_has_no_axe_violations(page, demo_site, axe_violations):
    demo_site = demo_site["url"]
    urls = demo_urls(page, demo_site)
    assert len(urls) >= 3 + 5
    problems = {}
    for url in urls:
        response = page.goto(demo_site + url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "sv", url
        violations = axe_violations(page)
        if violations:
            problems[url] = violations
    assert problems == {}


def test_no_demo_page_scrolls_sideways_on_a_320_px_phone(browser, demo_site):
    page = browser.new_context(locale="sv-SE", viewport={"width": 320, "height": 640}).new_page()
    urls = demo_urls(page, demo_site["url"])
    wider = {}
    for url in urls:
        page.goto(demo_site["url"] + url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            wider[url] = width
    page.context.close()
    assert wider == {}


def test_on_a_390_px_phone_every_demo_page_fits_and_passes_axe(browser, demo_site, axe_violations):
    page = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844}).new_page()
    problems = {}
    for url in demo_urls(page, demo_site["url"]):
        page.goto(demo_site["url"] + url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        violations = axe_violations(page)
        if width > 390 or violations:
            problems[url] = (width, violations)
    page.context.close()
    assert problems == {}


def test_on_a_phone_the_form_starts_within_one_and_a_half_screens(browser, demo_site):
    page = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844}).new_page()
    page.goto(demo_site["url"] + "/dialoger/park-och-lekplats-norrby/")
    top = page.evaluate("() => document.querySelector('#wd-contribute-heading').getBoundingClientRect().top + scrollY")
    assert top <= 1.5 * 844
    # In a resident's order: the box, the link to the form, the form, the dates, the contributions, the background.
    order = page.eval_on_selector_all(
        ".wd-influence, .wd-take-part-link, #wd-contribute, .wd-timeline, #wd-contributions, .wd-background",
        "nodes => nodes.map(n => Math.round(n.getBoundingClientRect().top))",
    )
    assert order == sorted(order)
    # The background is folded, and opens from the keyboard.
    assert not page.is_visible("#wd-ladder ol.wd-ladder")
    page.focus("#wd-ladder summary")
    page.keyboard.press("Enter")
    assert page.is_visible("#wd-ladder ol.wd-ladder")
    page.context.close()


def test_links_and_buttons_a_resident_taps_are_at_least_24_px(browser, demo_site):
    page = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844}).new_page()
    small = {}
    for url in ("/dialoger/", "/dialoger/park-och-lekplats-norrby/"):
        page.goto(demo_site["url"] + url)
        sizes = page.eval_on_selector_all(
            "header nav a, .language-switch button, .wd-pagination a, .wd-tags a, .wd-more > summary, .wd-button",
            "nodes => nodes.map(n => { const r = n.getBoundingClientRect();"
            " return [n.textContent.trim(), Math.round(r.width), Math.round(r.height)]; })",
        )
        assert sizes, url
        small.update({f"{url} {text}": (w, h) for text, w, h in sizes if w < 24 or h < 24})
    # The active language looks active, in shape as well as colour.
    current = page.locator('.language-switch button[aria-current="true"]')
    other = page.locator('.language-switch button:not([aria-current])')
    style = "n => [getComputedStyle(n).fontWeight, getComputedStyle(n).textDecorationLine, getComputedStyle(n).backgroundColor]"
    assert current.evaluate(style) != other.first.evaluate(style)
    assert current.evaluate("n => getComputedStyle(n, '::before').content").startswith('"✓')
    page.context.close()
    assert small == {}


def test_on_a_wide_screen_the_facts_stand_beside_the_form(browser, demo_site):
    page = browser.new_context(locale="sv-SE", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(demo_site["url"] + "/dialoger/park-och-lekplats-norrby/")
    box = page.locator(".wd-influence").bounding_box()
    form = page.locator("#wd-contribute").bounding_box()
    dates = page.locator(".wd-timeline").bounding_box()
    assert box["x"] > form["x"] + form["width"] - 1 and abs(box["y"] - form["y"]) < 60
    assert dates["x"] == box["x"] and dates["y"] < form["y"] + form["height"]
    # A site whose main column is narrow keeps one column, however wide the window.
    page.add_style_tag(content=".site-main { max-width: 40rem; }")
    box, form = page.locator(".wd-influence").bounding_box(), page.locator("#wd-contribute").bounding_box()
    assert box["y"] + box["height"] <= form["y"] and box["x"] == form["x"]
    # The index shows its dialogs as cards side by side.
    page.goto(demo_site["url"] + "/dialoger/")
    tops = page.eval_on_selector_all(".wd-card", "cards => cards.map(c => Math.round(c.getBoundingClientRect().top))")
    assert len(tops) > len(set(tops))
    page.context.close()


def test_the_demo_index_filters_by_level_without_javascript(page_without_js, demo_site):
    page_without_js.goto(demo_site["url"] + "/dialoger/")
    page_without_js.select_option("#id_level", "consultation")
    page_without_js.click(".wd-filter button[type=submit]")
    page_without_js.wait_for_load_state()
    assert "level=consultation" in page_without_js.url
    assert page_without_js.locator(".wd-card").count() == 1


def test_resident_moderator_resident_round_trip_without_javascript(browser, demo_site):
    """The issue's walk-through: a resident sends, a moderator approves with a
    reply, the resident sees both and gets the opted-in emails; no JavaScript."""
    base = demo_site["url"]
    dialog_url = base + "/dialoger/park-och-lekplats-norrby/"
    text = "Rundtur: en bänk vid sandlådan, tack!"

    resident = browser.new_context(locale="sv-SE", java_script_enabled=False).new_page()
    resident.goto(dialog_url)
    resident.fill("#id_text", text)
    resident.fill("#id_name", "Rut")
    resident.fill("#id_email", "rut@example.invalid")
    resident.check("#id_notify")
    resident.click("#wd-contribution-form button[type=submit]")
    receipt = resident.locator("[role=status]").first.inner_text()
    reference = next(word.strip(".:") for word in receipt.split() if len(word.strip(".:")) == 8 and word.isupper())
    assert text not in resident.content()  # pre-moderated: not public yet

    moderator = browser.new_context(locale="sv-SE", java_script_enabled=False).new_page()
    moderator.goto(base + "/admin/login/")
    moderator.fill("#id_username", "moderator")
    moderator.fill("#id_password", "exempelkommun")
    moderator.click("button[type=submit]")
    assert "väntar" in moderator.content()  # the pending count in the menu and on the dashboard
    moderator.goto(base + f"/admin/contributions/?q={reference}")
    moderator.click(f"text={reference}")
    moderator.click("form:has(input[name=action][value=approve]) button[type=submit]")
    moderator.fill("form:has(input[name=action][value=reply]) textarea", "Tack Rut, vi tar med bänken i förslaget.")
    moderator.click("form:has(input[name=action][value=reply]) button[type=submit]")

    resident.goto(dialog_url)
    page_text = resident.content()
    assert text in page_text and "Tack Rut, vi tar med bänken i förslaget." in page_text

    time.sleep(0.5)
    emails = Path(demo_site["log"]).read_text()
    # Received, published, replied: three emails to the author, each naming the reference.
    assert emails.count("To: rut@example.invalid") == 3
    assert emails.count(reference) >= 3
