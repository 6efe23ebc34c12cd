"""The same experiments in CPython, with the standard library only, for the
benchmark's CPython column (`bash .ci/bench.sh` runs this beside the browser).
Prints one line per figure: `name<TAB>value<TAB>unit`. Talks only to a server
of its own on 127.0.0.1, which stops with the script."""

import concurrent.futures as cf
import http.server
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def say(name, value, unit):
    print(f"{name}\t{value:.4g}\t{unit}", flush=True)


def square(x):
    return 2**x


def thread_pool():
    return cf.ThreadPoolExecutor(2)


def fork_pool():
    return cf.ProcessPoolExecutor(2, mp_context=mp.get_context("fork"))


def square_per_repeat(make_pool, repeats=5):
    """`pool.map(square, range(1000))`, a fresh pool per repeat; ms per repeat."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        if make_pool is None:
            list(map(square, range(1000)))
        else:
            with make_pool() as pool:
                list(pool.map(square, range(1000)))
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def square_reused(make_pool, repeats=5):
    with make_pool() as pool:
        list(pool.map(square, range(10)))  # started before timing
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            list(pool.map(square, range(1000)))
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def stamp(times):
    times.append(time.perf_counter())


def thread_start_us():
    """Median time from Thread.start() to the thread running, of 8 threads."""
    starts = []
    for _ in range(8):
        ran = []
        t = threading.Thread(target=stamp, args=(ran,))
        t0 = time.perf_counter()
        t.start()
        t.join()
        starts.append((ran[0] - t0) * 1e6)
    return statistics.median(starts)


def ready(_):
    return os.getpid()


def process_pool_ready_ms(method="fork"):
    """A ProcessPoolExecutor of 4 until each has answered once (median of 7),
    its processes started by `method`."""
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        with cf.ProcessPoolExecutor(4, mp_context=mp.get_context(method)) as pool:
            list(pool.map(ready, range(4), chunksize=1))
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


class Latency(http.server.BaseHTTPRequestHandler):
    """Answers any GET after 200 ms with 40 kB, as the app's latency server."""

    def do_GET(self):
        time.sleep(0.2)
        body = b"x" * 40_000
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def get(url):
    with urllib.request.urlopen(url) as r:
        return len(r.read())


def downloads(server_url):
    urls = [f"{server_url}photo-{i % 6 + 1}.jpg" for i in range(30)]
    t0 = time.perf_counter()
    threads = [threading.Thread(target=get, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    say("downloads: a thread per file (30 x 200 ms)", time.perf_counter() - t0, "s")
    t0 = time.perf_counter()
    for i in range(0, 30, 10):
        batch = [threading.Thread(target=get, args=(u,)) for u in urls[i : i + 10]]
        for t in batch:
            t.start()
        for t in batch:
            t.join()
    say("downloads: batches of 10 fresh threads", time.perf_counter() - t0, "s")


SAMPLE_SERIAL = """
import random
for _ in range(2):
    random.sample(range(20_000_000), 10_000_000)
"""
SAMPLE_PROCESSES = """
import multiprocessing as mp, random
def call(_):
    random.sample(range(20_000_000), 10_000_000)
if __name__ == "__main__":
    ps = [mp.get_context("fork").Process(target=call, args=(i,)) for i in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
"""


def whole_program(source):
    """`time python3 -c source`: wall and CPU (user + sys) seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", source], check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE_PROGRAMS = [
    # (name, run config): the programs the page shows, at the tutorials' sizes.
    ("primes, serial", {"scenario": "primes", "model": "serial"}),
    (
        "primes, thread pool of 4",
        {"scenario": "primes", "model": "threads", "workers": 4},
    ),
    (
        "primes, process pool of 4",
        {"scenario": "primes", "model": "processes", "workers": 4},
    ),
    (
        "square, fresh process pool of 5 (3 repeats)",
        {
            "scenario": "pool-overhead",
            "model": "processes",
            "params": {"work": "square"},
        },
    ),
    (
        "downloads 30 x 200 ms, thread pool of 6",
        {"scenario": "downloads", "model": "threads"},
    ),
    (
        "downloads 30 x 200 ms, async, 6 in flight",
        {"scenario": "downloads", "model": "async"},
    ),
    ("pipeline variant 5, cpucount 3", {"scenario": "pipeline", "model": "pipeline"}),
]


def page_program(config, base_url):
    """The page's Python for `config`, as the engine writes it."""
    command = ["cargo", "run", "-q", "-p", "engine", "--example", "python_program"]
    out = subprocess.run(
        [*command, "--", json.dumps(config), base_url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def page_programs(base_url):
    """Run each program the page shows, as `time python3 program.py`."""
    for name, config in PAGE_PROGRAMS:
        source = page_program(config, base_url)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "program.py")
            with open(path, "w") as f:
                f.write(source)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, path], check=True, capture_output=True)
            say(f"page's Python: {name}", time.perf_counter() - t0, "s")


def main():
    serial = square_per_repeat(None)
    say("square, serial, per repeat", serial, "ms")
    # 1000 tasks: ms per repeat = us per task
    say("square, serial, per task", serial, "us")
    for kind, make_pool in [("thread", thread_pool), ("process", fork_pool)]:
        fresh, reused = square_per_repeat(make_pool), square_reused(make_pool)
        say(f"square, fresh {kind} pool of 2, per repeat", fresh, "ms")
        say(f"square, reused {kind} pool of 2, per repeat", reused, "ms")
    say("thread start (median of 8)", thread_start_us() / 1000, "ms")
    for method in ("fork", "forkserver", "spawn"):
        say(f"process pool of 4 ready, {method}", process_pool_ready_ms(method), "ms")

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 128  # the default backlog of 5 drops 30 parallel connects
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Latency)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        downloads(f"http://127.0.0.1:{server.server_address[1]}/")
        page_programs(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()

    # The faster of two runs of each (wall, CPU).
    serial_wall, serial_cpu = min(whole_program(SAMPLE_SERIAL) for _ in range(2))
    proc_wall, proc_cpu = min(whole_program(SAMPLE_PROCESSES) for _ in range(2))
    say("sample k=10M x2, serial: wall", serial_wall, "s")
    say("sample k=10M x2, 2 processes: wall", proc_wall, "s")
    say("sample k=10M x2, processes/serial wall", proc_wall / serial_wall, "x")
    say("sample k=10M x2, processes/serial CPU", proc_cpu / serial_cpu, "x")


if __name__ == "__main__":
    main()
