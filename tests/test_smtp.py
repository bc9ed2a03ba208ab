"""One email through Django's real SMTP backend to a real SMTP server on
127.0.0.1 (aiosmtpd), parsed as a mail program would: Swedish characters in
the subject and body, a plain and an HTML part, List-Unsubscribe, and no
header that a dialog's title could have smuggled in."""

import email
import email.policy
import socket
import threading

import django
import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.factories import make_contribution
from tests.test_feedback_emails import with_feedback
from wagtail_dialog.contributions import Contribution, ContributionStatus, notifications


class Collect:
    def __init__(self):
        self.envelopes = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = Collect()
    with socket.socket() as probe:  # a free port on loopback (the controller's own check needs a real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def smtp_settings(port):
    """Django's SMTP backend pointed at 127.0.0.1:``port``, as the version in use configures it."""
    if django.VERSION >= (6, 1):
        # Django 6.1 moved email configuration into MAILERS (EMAIL_* are deprecated there).
        return {"MAILERS": {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10}}}}
    return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port, "EMAIL_TIMEOUT": 10}


@pytest.mark.django_db
def test_feedback_arrives_through_a_real_smtp_server(dialog, smtp_server):
    controller, handler = smtp_server
    dialog.title = "Förskolans gård i Åby\r\nBcc: inkräktare@example.com"
    dialog.save_revision().publish()
    make_contribution(dialog, "Fler gungor åt de små", name="Åsa Öberg", email="åsa@example.com".replace("å", "a"),
                      notify=True, language="sv", status=ContributionStatus.PUBLISHED)
    dialog = with_feedback(dialog)

    with override_settings(**smtp_settings(controller.port)):
        assert notifications.send_feedback_batch.call(dialog.pk, [[Contribution.objects.get(dialog=dialog).pk]]) == 1
    assert handler.arrived.wait(10)

    [envelope] = handler.envelopes
    assert envelope.rcpt_tos == ["asa@example.com"]  # nobody smuggled in as Bcc
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    # Folded right after "Subject:" by the generator; unfolding leaves the space a reader ignores.
    subject = message["Subject"].strip()
    # The title's line break became a space: one Subject header, no Bcc header.
    assert subject == "Det här blev det av dialogen: Förskolans gård i Åby Bcc: inkräktare@example.com"
    assert message.get_all("Bcc") is None and len(message.get_all("Subject")) == 1
    assert message["From"] == "Testkommun <medborgardialog@test.invalid>"
    # Readable as a link by a mail program: the bracketed URL itself, not RFC 2047 encoded words.
    raw_headers = envelope.content.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "\r\nList-Unsubscribe: <http" in raw_headers.replace("List-Unsubscribe: \r\n <", "List-Unsubscribe: <")
    unsubscribe = (message["List-Unsubscribe"] or "").strip()
    assert unsubscribe.startswith("<http") and "/unsubscribe/" in unsubscribe
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert "Förslaget om fler cykelställ finns med i beslutet." in plain.get_content()
    assert "Så påverkade er medverkan beslutet" in plain.get_content()
    assert '<html lang="sv">' in html.get_content() and "cykelställ" in html.get_content()
    # The unsubscribe link in the body is the header's.
    assert unsubscribe.strip("<>") in plain.get_content()
