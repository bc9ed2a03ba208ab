"""Benchmark of an open dialog page behind a shared cache against the app server alone, measured in one run.

    .venv/bin/python bench/shared_cache.py                       # the defaults below
    .venv/bin/python bench/shared_cache.py --seconds 5           # a quicker run
    .venv/bin/python bench/shared_cache.py --workers 8 --connections 32

Builds the example site in a temporary folder (migrate, load_demo), tops the
open demo dialog /dialoger/park-och-lekplats-norrby/ up to --contributions
published contributions, and serves it with gunicorn (--workers sync workers)
behind Debian's Varnish with docs/examples/varnish.vcl, both on 127.0.0.1.
Then wrk sends anonymous GETs of the dialog page from --connections clients
for --seconds, first straight to gunicorn, then through Varnish, and prints
both figures and the ratios (targets in brackets):

1. throughput: requests per second through the cache against straight to the
   app server (target >= 20x)
2. p95 latency: through the cache against straight to the app server
   (target <= 0.1x)

Needs /usr/sbin/varnishd and /usr/bin/wrk (apt-get install varnish wrk) and
gunicorn in the venv. This is a script, not a test: figures depend on the
machine, and wrk, Varnish and gunicorn share its CPUs. Everything it starts is
stopped at the end; its temporary folder is removed, or kept with the logs if
the setup failed.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = ROOT / "example_site"
VCL = ROOT / "docs" / "examples" / "varnish.vcl"
VARNISHD = "/usr/sbin/varnishd"
VARNISHSTAT = "/usr/bin/varnishstat"
WRK = "/usr/bin/wrk"
DIALOG_SLUG = "park-och-lekplats-norrby"
DIALOG = f"/dialoger/{DIALOG_SLUG}/"
THROUGHPUT_TARGET = 20.0
P95_TARGET = 0.1

# Run in `manage.py shell`: tops the dialog up to COUNT published contributions,
# varied as residents write them, spread over the last ten days, every tenth
# with a public reply. bulk_create skips save(), so the stored search terms are
# refreshed after. Prints what it did as one JSON line.
FILL = """
import datetime, json
from django.utils import timezone
from wagtail_dialog.contributions import ContributionStatus, get_contribution_model, get_dialog_model
from wagtail_dialog.search.indexing import refresh_terms

COUNT = {count}
Contribution, DialogPage = get_contribution_model(), get_dialog_model()
dialog = DialogPage.objects.get(slug={slug!r})
mine = Contribution.objects.filter(dialog=dialog)
before = mine.filter(status=ContributionStatus.PUBLISHED).count()
wishes = ["fler bänkar i skuggan", "belysning längs gångvägen", "en gungställning för små barn",
          "bättre dränering vid fotbollsplanen", "papperskorgar som töms oftare", "ett utegym för äldre",
          "en hundrastgård en bit bort från lekplatsen", "mer grönska och blommor vid entrén"]
reasons = ["Det är mörkt på kvällarna.", "Vi är många barnfamiljer här.", "Det blir blött efter varje regn.",
           "Parken används av alla åldrar.", "Det skulle göra parken tryggare."]
relations = ["lives", "works", "studies", "visits", ""]
names = ["Anna", "", "Bo", "Cecilia", "", "Deniz", "Elin"]
now = timezone.now()
add = max(COUNT - before, 0)
step = datetime.timedelta(days=10) / max(add, 1)
Contribution.objects.bulk_create(
    [Contribution(
        dialog=dialog, status=ContributionStatus.PUBLISHED, reference=f"B{{n:09d}}",
        text=f"Jag önskar {{wishes[n % len(wishes)]}}. {{reasons[n % len(reasons)]}} (#{{n}})",
        name=names[n % len(names)], name_shown=bool(names[n % len(names)]), relation=relations[n % len(relations)],
        submitted_at=now - step * (n + 1),
        reply="Tack, vi tar med det i underlaget." if n % 10 == 0 else "",
        reply_signature="Samhällsbyggnad" if n % 10 == 0 else "",
        replied_at=now if n % 10 == 0 else None,
    ) for n in range(add)],
    batch_size=500,
)
refresh_terms(contributions=mine, dialogs=DialogPage.objects.filter(pk=dialog.pk))
print(json.dumps({{"before": before, "added": add,
                  "published": mine.filter(status=ContributionStatus.PUBLISHED).count()}}))
"""

# wrk's --latency prints 50/75/90/99 only: this prints the 95th and the errors
# as one line to parse. Latencies and durations are in microseconds.
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p95_us=%d errors=%d non2xx=%d\\n",
    summary.requests, summary.duration, latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, process, what, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"error: {what} exited with {process.returncode} (log: {log})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"error: {what} did not start within 60 s (log: {log})")


def manage(env, *command, timeout=300):
    try:
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=EXAMPLE_SITE, env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.exit(f"error: manage.py {command[0]} took over {timeout} s")
    if done.returncode:
        sys.exit(f"error: manage.py {command[0]} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own loopback servers)
            return response.status, response.headers, response.read().decode()
    except OSError as error:  # urllib's HTTPError and URLError, and timeouts
        sys.exit(f"error: GET {url} failed: {error}")


def varnish_counters(workdir):
    """Varnish's hit and miss counters, or None without varnishstat."""
    if not os.path.exists(VARNISHSTAT):
        return None
    done = subprocess.run([VARNISHSTAT, "-n", str(workdir), "-1", "-j"], capture_output=True, text=True, timeout=30)
    if done.returncode:
        return None
    data = json.loads(done.stdout)
    counters = data.get("counters", data)  # the JSON's shape changed in Varnish 6.5
    return {name: counters.get(f"MAIN.cache_{name}", {}).get("value", 0) for name in ("hit", "miss", "hitpass")}


def load(url, args, lua):
    """One wrk run against url: requests/s, p95 in seconds, socket errors, non-2xx responses."""
    # --timeout well above any expected latency: wrk leaves timed-out requests
    # out of its latency figures, which would flatter the slower side's p95.
    command = [WRK, "-c", str(args.connections), "-t", str(args.threads), "-d", f"{args.seconds}s",
               "--timeout", "30s", "-s", str(lua), url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.seconds + 60)
    except subprocess.TimeoutExpired:
        sys.exit(f"error: wrk against {url} did not finish")
    match = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if done.returncode or not match:
        sys.exit(f"error: wrk against {url} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    result = {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}
    return {
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p95": result["p95_us"] / 1e6,
        "requests": result["requests"],
        "errors": result["errors"],
        "non2xx": result["non2xx"],
    }


def report(label, ours, baseline, target, higher_is_better):
    ratio = ours / baseline if baseline else float("inf")
    ok = ratio >= target if higher_is_better else ratio <= target
    sign = ">=" if higher_is_better else "<="
    print(f"{label:<28} ratio {ratio:7.3f}x (target {sign} {target:g}x) {'ok' if ok else 'OVER TARGET'}")
    return ratio


def prepare(env, count, cache_port):
    for command in (["migrate", "--no-input"], ["load_demo"]):
        manage(env, *command)
    filled = json.loads(manage(env, "shell", "-c", FILL.format(count=count, slug=DIALOG_SLUG)).strip().splitlines()[-1])
    # The site's address is the cache's, as a live site's is its public one:
    # the purges name the addresses visitors ask for.
    manage(env, "shell", "-c", f"from wagtail.models import Site; Site.objects.filter(is_default_site=True)"
                               f".update(hostname='127.0.0.1', port={cache_port})")
    return filled


def warm_up(app, cache, workers):
    # Each gunicorn worker builds its URLconf and templates on its first
    # request: one GET per worker, at once, so none pays that in the run.
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        answers = list(pool.map(get, [app + DIALOG] * workers * 2))
    status, headers, html = answers[0]
    if status != 200:
        sys.exit(f"error: the dialog page answered {status} straight from the app server")
    shown = html.count('class="wd-contribution"')
    if not shown or 'id="wd-contribution-form"' not in html:
        sys.exit("error: the dialog page shows no published contributions or no form: nothing worth measuring")
    get(cache + DIALOG)
    status, cache_headers, cached_html = get(cache + DIALOG)
    if status != 200 or cache_headers.get("X-Cache") != "HIT":
        sys.exit(f"error: the second GET through Varnish was not a hit (status {status}, "
                 f"X-Cache {cache_headers.get('X-Cache')!r}, Cache-Control {cache_headers.get('Cache-Control')!r})")
    return shown, len(cached_html.encode()), cache_headers.get("Cache-Control")


def positive(value):
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contributions", type=int, default=3000, help="published contributions on the dialog")
    parser.add_argument("--seconds", type=positive, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=positive, default=16, help="concurrent clients")
    parser.add_argument("--threads", type=positive, default=2, help="wrk threads")
    parser.add_argument("--workers", type=positive, default=4, help="gunicorn sync workers")
    args = parser.parse_args()
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (wrk gives each thread its own connections)")
    for tool in (VARNISHD, WRK):
        if not os.path.exists(tool):
            sys.exit(f"error: {tool} not found (apt-get install varnish wrk)")
    if not (EXAMPLE_SITE / "example_site" / "wsgi.py").exists():
        sys.exit("error: example_site/example_site/wsgi.py not found")

    tmp = Path(tempfile.mkdtemp(prefix="wagtail-dialog-bench-"))
    # varnishd drops its privileges to Debian's varnish user: its folder must be readable.
    tmp.chmod(0o755)
    app_port, cache_port = free_port(), free_port()
    app, cache = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{cache_port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "EXAMPLE_SITE_DB": str(tmp / "demo.sqlite3"),
        "FRONTEND_CACHE_URL": cache,
    }
    lua = tmp / "p95.lua"
    lua.write_text(LUA)
    vcl = tmp / "site.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{app_port}";'))
    processes, logs, finished = [], [], False
    try:
        started = time.monotonic()
        filled = prepare(env, args.contributions, cache_port)
        gunicorn_log = tmp / "gunicorn.log"
        varnish_log = tmp / "varnish.log"
        logs = [open(gunicorn_log, "w"), open(varnish_log, "w")]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "example_site.wsgi:application", "-w", str(args.workers),
             "-b", f"127.0.0.1:{app_port}"],
            cwd=EXAMPLE_SITE, env=env, stdout=logs[0], stderr=subprocess.STDOUT,
        )
        processes.append(server)
        varnish = subprocess.Popen(
            [VARNISHD, "-F", "-n", str(tmp / "varnish"), "-a", f"127.0.0.1:{cache_port}", "-T", "127.0.0.1:0",
             "-f", str(vcl), "-s", "malloc,256m"],
            stdout=logs[1], stderr=subprocess.STDOUT,
        )
        processes.append(varnish)
        wait_for(app_port, server, "gunicorn", gunicorn_log)
        wait_for(cache_port, varnish, "Varnish", varnish_log)
        shown, size, cache_control = warm_up(app, cache, args.workers)
        setup = time.monotonic() - started

        print(f"setup: gunicorn workers: {args.workers}, connections: {args.connections} (wrk threads: "
              f"{args.threads}), seconds: {args.seconds} each, published contributions: {filled['published']:,} "
              f"({filled['added']:,} added to the demo's {filled['before']}), CPUs: {os.cpu_count()}")
        print(f"page: {DIALOG}, {size:,} bytes, {shown} contributions shown, Cache-Control: {cache_control}, "
              f"setup took {setup:.0f} s")
        direct = load(app + DIALOG, args, lua)
        before = varnish_counters(tmp / "varnish")
        cached = load(cache + DIALOG, args, lua)
        after = varnish_counters(tmp / "varnish")

        for label, figures in (("straight to gunicorn", direct), ("through Varnish", cached)):
            print(f"{label:<28} {figures['rps']:9.1f} req/s  p95 {figures['p95'] * 1000:8.2f} ms  "
                  f"({figures['requests']:,} requests, {figures['errors']} socket errors, "
                  f"{figures['non2xx']} non-2xx)")
        if before and after:
            delta = {name: after[name] - before[name] for name in after}
            print(f"{'varnish during its run':<28} {delta['hit']:,} hits, {delta['miss']:,} misses, "
                  f"{delta['hitpass']:,} hit-for-pass")
        if direct["errors"] or direct["non2xx"] or cached["errors"] or cached["non2xx"]:
            print(f"warning: errors or non-2xx responses during the load (see above; gunicorn log: {gunicorn_log})")
        throughput = report("throughput cached/uncached", cached["rps"], direct["rps"], THROUGHPUT_TARGET, True)
        p95 = report("p95 cached/uncached", cached["p95"], direct["p95"], P95_TARGET, False)
        print(json.dumps({"workers": args.workers, "connections": args.connections, "seconds": args.seconds,
                          "contributions": filled["published"], "cpus": os.cpu_count(),
                          "uncached_rps": round(direct["rps"], 1), "cached_rps": round(cached["rps"], 1),
                          "uncached_p95_ms": round(direct["p95"] * 1000, 2),
                          "cached_p95_ms": round(cached["p95"] * 1000, 2),
                          "throughput_ratio": round(throughput, 2), "p95_ratio": round(p95, 4)}))
        finished = True
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
        if finished:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept for a look: {tmp} (gunicorn.log, varnish.log)", file=sys.stderr)


if __name__ == "__main__":
    main()
