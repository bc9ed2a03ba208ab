"""A real task worker: a resident's contribution is sent in one process, and
the author's receipt and the moderators' alert are delivered by a separate
``manage.py db_worker`` process (django-tasks-db), not by the request.

Runs in subprocesses with tests/worker_settings.py and a database of its own
(a SQLite file, or PostgreSQL with WAGTAIL_DIALOG_TEST_DB=postgres), since the
worker must see what the request committed.
"""

import email
import email.policy
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

SETUP = r"""
import django
django.setup()
from django.contrib.auth.models import Group, User
from wagtail_dialog.contributions.permissions import MODERATORS_GROUP
from tests.factories import make_dialog, make_index
dialog = make_dialog(make_index(), title="Torget")
moderator = User.objects.create_user("moderator", "moderator@kommun.example", "x")
moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
print(dialog.url)
"""

# One resident's request, through the whole stack (middleware, page, form),
# in a process that has no worker: it can only queue.
SEND = r"""
import sys
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
response = Client(REMOTE_ADDR="198.51.100.7").post(sys.argv[1], {
    "text": "Fler bänkar på torget, tack.", "consent": "on", "website": "",
    "email": "asa@example.com", "notify": "on",
})
assert response.status_code == 302, response.status_code
print(response["Location"])
"""

TASKS = r"""
import json
import django
django.setup()
from django_tasks_db.models import DBTaskResult
print(json.dumps(sorted(
    [row.task_path, row.status] for row in DBTaskResult.objects.filter(task_path__startswith="wagtail_dialog.")
)))
"""


def python(code_or_args, env, timeout=180):
    """Run Python code (a string) or arguments (a list) in the worker site; its last line of output."""
    command = [sys.executable, *(["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{command[1:3]} failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.fixture
def site(tmp_path):
    """A migrated database of its own with a dialog and a moderator; returns (env, dialog url)."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "PYTHONPATH": str(ROOT),
        "WAGTAIL_DIALOG_WORKER_MAIL": str(mail_dir),
    }
    if os.environ.get("WAGTAIL_DIALOG_TEST_DB") == "postgres":
        import psycopg

        name = "wagtail_dialog_worker"
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        env["WAGTAIL_DIALOG_WORKER_DB"] = name
    else:
        env["WAGTAIL_DIALOG_WORKER_DB"] = str(tmp_path / "worker.sqlite3")
    python(["-m", "django", "migrate", "--no-input", "-v0"], env)
    url = python(SETUP, env)
    return env, url, mail_dir


def read_mail(mail_dir):
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        # The file backend writes each message followed by a line of dashes.
        for raw in path.read_bytes().split(b"-" * 79):
            if raw.strip():
                messages.append(email.message_from_bytes(raw.lstrip(b"\r\n"), policy=email.policy.default))
    return messages


def test_the_worker_not_the_request_delivers_the_emails(site):
    env, url, mail_dir = site
    python(["-c", SEND, url], env)

    # The request is over: the emails wait in the queue, none has been sent.
    assert read_mail(mail_dir) == []
    queued = json.loads(python(TASKS, env))
    assert queued == [
        ["wagtail_dialog.contributions.notifications.send_author_email", "READY"],
        ["wagtail_dialog.contributions.notifications.send_moderator_alert", "READY"],
    ]

    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(read_mail(mail_dir)) < 2:
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]

    messages = {message["To"]: message for message in read_mail(mail_dir)}
    assert set(messages) == {"asa@example.com", "moderator@kommun.example"}, output
    receipt = messages["asa@example.com"]
    assert receipt["Subject"].startswith("Vi har tagit emot din synpunkt")
    assert "Tack för din synpunkt. Den har referensnummer" in receipt.get_body(("plain",)).get_content()
    assert messages["moderator@kommun.example"]["Subject"] == "Ny synpunkt till dialogen Torget"
    assert json.loads(python(TASKS, env)) == [
        ["wagtail_dialog.contributions.notifications.send_author_email", "SUCCESSFUL"],
        ["wagtail_dialog.contributions.notifications.send_moderator_alert", "SUCCESSFUL"],
    ]


MEETING = r"""
import django
django.setup()
from wagtail_dialog.dialogs.pages import DialogPage
from tests.factories import make_meeting
meeting = make_meeting(DialogPage.objects.get(), capacity=5)
meeting.save_revision().publish()
print(meeting.url)
"""

SIGN_UP = r"""
import sys
import django
django.setup()
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult
from wagtail_dialog.methods.meetings import seats, views
from wagtail_dialog.methods.meetings.pages import MeetingPage
response = Client(REMOTE_ADDR="198.51.100.8").post(sys.argv[1], {
    "name": "Åsa", "email": "asa@example.com", "people": "1", "needs_interpretation": "", "needs_access": "",
    "needs_diet": "", "consent": "on", "website": "",
})
assert response.status_code == 302, response.status_code
# The job is stored in the sign-up's own transaction: a sign-up rolled back leaves no email queued.
assert views._queue_with_the_sign_up()
queued = DBTaskResult.objects.count()
try:
    with transaction.atomic():
        seats.sign_up(MeetingPage.objects.get(), name="B", email="b@example.com",
                      then=lambda registration: views._queue_email(registration, "http://localhost/"))
        # Queued inside the sign-up's transaction, not after it.
        assert DBTaskResult.objects.count() == queued + 1
        raise RuntimeError("rolled back")
except RuntimeError:
    pass
assert DBTaskResult.objects.count() == queued and seats.Registration.objects.count() == 1
print(response["Location"])
"""


def test_a_meeting_sign_up_is_queued_with_it_and_its_email_sent_by_the_worker(site):
    env, _url, mail_dir = site
    meeting_url = python(MEETING, env)
    assert python(["-c", SIGN_UP, meeting_url], env).endswith("signed-up/#wd-receipt")
    assert read_mail(mail_dir) == []
    assert json.loads(python(TASKS, env)) == [["wagtail_dialog.methods.meetings.views.send_sign_up_email", "READY"]]
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not read_mail(mail_dir):
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    (message,) = read_mail(mail_dir)
    assert message["To"] == "asa@example.com" and message["Subject"].strip().startswith("Bekräfta din plats"), output
    (ics,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert b"BEGIN:VEVENT" in ics.get_payload(decode=True)
    assert f"{meeting_url}registration/" in message.get_body(("plain",)).get_content()
