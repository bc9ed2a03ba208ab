"""What the benchmark scripts share: Django set up on the tests' settings, the
median of repeated timings, the printed ratio against a baseline, and an
admin client. Imported first by each script (``import common``)."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label, ours, baseline, target, unit="s", width=42):
    """Print ours against the baseline, their ratio and the target (None: a figure for the record,
    with no target of its own); returns the ratio."""
    ratio = ours / baseline if baseline else float("inf")
    if target is None:
        verdict = "(for the record)"
    else:
        verdict = f"(target <= {target:.1f}x) " + ("ok" if ratio <= target else "OVER TARGET")
    print(f"{label:<{width}} ours {ours:10.4f}{unit}  baseline {baseline:10.4f}{unit}  ratio {ratio:5.2f}x {verdict}")
    return ratio


def admin_client():
    """A test client logged in as a superuser made for the benchmark."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="bench").first() or get_user_model().objects.create_superuser(
        "bench", "bench@example.invalid", "x"
    )
    client = Client()
    client.force_login(user)
    return client


def alternately(ours, baseline, repeat, between=None):
    """(median of ours, median of the baseline) over ``repeat`` calls of each, one of each at a time,
    so that the machine's drift weighs on both alike; ``between`` runs after each pair, untimed."""
    ours_times, baseline_times = [], []
    for _ in range(repeat):
        ours_times.append(median_time(ours, 1))
        baseline_times.append(median_time(baseline, 1))
        if between is not None:
            between()
    return statistics.median(ours_times), statistics.median(baseline_times)
