"""A real server for the load tests: the test project under gunicorn with
several worker processes on 127.0.0.1, on its own PostgreSQL database, with
Redis as the shared cache (tests/server_settings.py)."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
WORKERS = 4


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(code_or_args, env):
    """Run Python code (or arguments to python) in the server's settings; returns its last line of output."""
    args = ["-c", code_or_args] if isinstance(code_or_args, str) and "\n" in code_or_args else code_or_args
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def needs_postgres_and_redis():
    if not answers(5432) or not answers(6379):
        pytest.skip("the load test needs PostgreSQL and Redis on 127.0.0.1")


def fresh_database(name, redis_url):
    """An empty PostgreSQL database ``name``, migrated, and an empty Redis database; returns the server's env."""
    import psycopg
    import redis

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "WAGTAIL_DIALOG_LOAD_DB": name,
        "WAGTAIL_DIALOG_LOAD_REDIS": redis_url,
        "PYTHONPATH": str(ROOT),
    }
    run(["-m", "django", "migrate", "--no-input", "-v", "0"], env)
    return env


@contextmanager
def gunicorn(env, workers=WORKERS):
    """Serve the test project with ``env`` for the block; yields its port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.wsgi:application", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert time.monotonic() < deadline, "gunicorn did not start"
            assert server.poll() is None, "gunicorn exited"
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
