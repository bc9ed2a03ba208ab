import time
import pytest
from django.test import override_settings
from tests.factories import *  # noqa
from tests.test_hostile_inputs import *  # noqa
from tests.test_hostile_inputs import _variants, _accepted
from tests.factories import make_dialog

@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=100_000)
def test_timing(client, dialog_index, superuser):
    t = time.perf_counter()
    for i in range(10):
        d = make_dialog(dialog_index, slug=f"d{i}", title=f"D{i}")
    print("make_dialog", (time.perf_counter() - t) / 10)
    form_page_profile(client, d)
    for name, value in [("xss", "<script>alert(1)</script>"), ("ctl", "a\x01b"), ("long", "x" * 100_000), ("bytes", b"\xff")]:
        for field in ("text", "name", "email"):
            for label, send in _variants(field, value):
                t = time.perf_counter()
                r = send(client, d)
                t1 = time.perf_counter()
                if r.status_code == 200:
                    p = soup(r)
                t2 = time.perf_counter()
                print(name, label, r.status_code, f"req {t1-t:.3f} parse {t2-t1:.3f}")
    from django.test.utils import CaptureQueriesContext
    t = time.perf_counter()
    dialog = make_dialog(dialog_index, slug="pp", title="PP", max_contribution_length=MAX_LENGTH)
    n = 0
    for key, value in HOSTILE:
        if isinstance(value, bytes):
            continue
        text, name = _accepted(dialog, "text", value), _accepted(dialog, "name", value)
    t1 = time.perf_counter()
    print("validate all", t1 - t)
    for i in range(20):
        c = submit_contribution(dialog, text="x", name="", email=AUTHOR, notify=True, consent=True, consent_notice_version="1", language="sv")
    t2 = time.perf_counter()
    print("submit", (t2 - t1) / 20)
    for i in range(20):
        moderation.approve(c, superuser); 
    t3 = time.perf_counter()
    print("approve", (t3 - t2) / 20)
    for i in range(20):
        moderation.reply(c, superuser, "x", signature="y")
    print("reply", (time.perf_counter() - t3) / 20)
