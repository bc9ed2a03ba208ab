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


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "EXAMPLE_SITE_DB": str(tmp_path_factory.mktemp("demo") / "demo.sqlite3"),
    }
    for command in (["migrate", "--no-input"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=EXAMPLE_SITE, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=EXAMPLE_SITE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the example site did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def demo_urls(page, base):
    page.goto(base + "/dialoger/")
    dialogs = page.eval_on_selector_all(".wd-card__title a", "links => links.map(a => a.getAttribute('href'))")
    nav = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
    return sorted(set(nav) | set(dialogs))


def test_every_demo_page_is_swedish_and_has_no_axe_violations(page, demo_site, axe_violations):
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


def test_the_demo_index_filters_by_level_without_javascript(page_without_js, demo_site):
    page_without_js.goto(demo_site + "/dialoger/")
    page_without_js.select_option("#id_level", "consultation")
    page_without_js.click(".wd-filter button[type=submit]")
    page_without_js.wait_for_load_state()
    assert "level=consultation" in page_without_js.url
    assert page_without_js.locator(".wd-card").count() == 1
