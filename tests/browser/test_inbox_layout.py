"""The inbox for 300 contributions, at zoom and on narrow windows (WCAG 1.4.4,
1.4.10): no column is ever out of reach, a moderator sees at least ten rows at
once on a 1366 × 900 screen, and axe finds nothing at any of the widths.

With WAGTAIL_DIALOG_SHOTS=/some/folder the tests save screenshots there.
"""

import datetime
import os
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.test_admin_accessibility import settle
from tests.factories import make_dialog
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from wagtail_dialog.contributions import Channel, Contribution

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("WAGTAIL_DIALOG_SHOTS")

SENTENCES = [
    "Fler bänkar vid torget, gärna med ryggstöd för oss som är äldre.",
    "Belysningen längs gångvägen till stationen är för svag på vintern.",
    "Låt torget vara bilfritt på lördagar så att marknaden får plats.",
    "Barnen behöver en lekplats nära skolan, den gamla är sliten och farlig.",
    "Cykelparkeringen vid busshållplatsen är alltid full efter klockan åtta.",
    "Plantera fler träd, det blir för varmt på sommaren när solen står på.",
    "Jag vill kunna lämna synpunkter på papper i biblioteket också.",
]


@pytest.fixture
def full_inbox(dialog_index, dialog_a, users):
    """About 300 contributions in two dialogs, one with a long title, the way they
    arrive: texts of every length, names and emails, a few channels."""
    long = make_dialog(
        dialog_index,
        title="Hur vill du att Stora torget och kvarteren runt resecentrum ska utvecklas de kommande tio åren?",
        slug="stora-torget",
    )
    rng = random.Random(13)
    now = timezone.now()
    Contribution.objects.bulk_create(
        Contribution(
            dialog=long if n % 3 else dialog_a,
            text=" ".join(rng.sample(SENTENCES, rng.randint(1, 4))),
            name=f"Förnamn Efternamnsson {n}",
            email=f"invanare.med.langt.namn.{n}@exempel-kommun.se",
            channel=rng.choice([Channel.WEB, Channel.WEB, Channel.LETTER, Channel.MEETING]),
            submitted_at=now - datetime.timedelta(hours=n),
            reference=f"R{n:04d}",
        )
        for n in range(300)
    )
    return long


def open_inbox(page, live_server, width, height=900):
    page.set_viewport_size({"width": width, "height": height})
    response = page.goto(live_server.url + reverse("wagtail_dialog_contributions:index"))
    assert response.status == 200
    settle(page)
    return page


def shoot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


REACH = """() => {
    const region = document.querySelector('.wd-inbox-scroll');
    const table = region.querySelector('table');
    const view = document.documentElement.clientWidth;
    const box = region.getBoundingClientRect();
    const style = getComputedStyle(region);
    // The region itself is inside the window; what it holds scrolls into view.
    const scrolls = region.scrollWidth > region.clientWidth;
    region.scrollLeft = region.scrollWidth;
    const headers = [...table.querySelectorAll('thead th')].map(th => {
        const r = th.getBoundingClientRect();
        return {text: th.innerText.trim(), left: r.left, right: r.right};
    });
    region.scrollLeft = 0;
    return {view, left: box.left, right: box.right, scrolls, overflow: style.overflowX,
            width: table.getBoundingClientRect().width, headers};
}"""


@pytest.mark.parametrize("width", [1280, 1024, 640])
def test_no_column_is_out_of_reach(admin_page_for, users, live_server, full_inbox, axe_violations, width):
    page = open_inbox(admin_page_for(users["superuser"]), live_server, width)
    reach = page.evaluate(REACH)
    assert 0 <= reach["left"] and reach["right"] <= reach["view"] + 1, reach
    assert len(reach["headers"]) == 4
    if reach["scrolls"]:
        assert reach["overflow"] in ("auto", "scroll")
    # Scrolled as far as it goes, every column's header is within the region.
    for header in reach["headers"]:
        assert header["right"] <= reach["right"] + 1, (header, reach)
    # The region takes focus and has a name, so the keyboard can scroll it too.
    region = page.locator(".wd-inbox-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    shoot(page, f"inbox-{width}")
    assert axe_violations(page) == []


def test_ten_rows_or_more_on_a_1366_by_900_screen(admin_page_for, users, live_server, full_inbox, axe_violations):
    page = open_inbox(admin_page_for(users["superuser"]), live_server, 1366, 900)
    visible = page.evaluate(
        "() => [...document.querySelectorAll('.wd-inbox-scroll tbody tr')]"
        ".filter(row => row.getBoundingClientRect().bottom <= window.innerHeight).length"
    )
    shoot(page, "inbox-1366x900")
    assert visible >= 10, f"{visible} rows visible without scrolling"
    # The 1135 px table of eleven columns is gone: the table fits the window.
    assert page.evaluate(REACH)["scrolls"] is False
    assert axe_violations(page) == []


def test_the_inbox_at_400_percent_zoom(admin_page_for, users, live_server, full_inbox, axe_violations):
    # 1280 px at 400 % is a 320 CSS px window.
    page = open_inbox(admin_page_for(users["superuser"]), live_server, 320, 640)
    reach = page.evaluate(REACH)
    assert reach["right"] <= reach["view"] + 1
    for header in reach["headers"]:
        assert header["right"] <= reach["right"] + 1, (header, reach)
    shoot(page, "inbox-320")
    assert axe_violations(page) == []
