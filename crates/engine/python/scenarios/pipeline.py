# The report pipeline: per endpoint, collect (an API wait, never two at
# once), import (a disk wait, one at a time), then a report per interval.
# VARIANT puts the stages on threads and process pools joined by queues.
# Times are the tutorial's seconds scaled by SCALE_MS per second.
{{#dask}}
# On Dask: variant 4's pools are the cluster's executor; the other variants
# run as in the standard-library program.
{{/dask}}
import multiprocessing as mp
import time
import queue
import threading
{{^dask}}
from concurrent.futures import ProcessPoolExecutor
{{/dask}}

START = mp.get_context({{start_method}})  # how its processes start
VARIANT = {{variant}}
CPUCOUNT = {{cpucount}}
REPORT = {{report}}  # "wait": a timed wait, as in the tutorial; "cpu": real work
SECOND = {{scale_ms}} / 1000
ENDPOINTS = ["24h", "1h", "5m"]
INTERVALS = [30, 60, 90]


@measured("sleep")
def collect(endpoint):
    time.sleep(0.05 * max(INTERVALS) * SECOND)
    return [(endpoint, interval) for interval in INTERVALS]


@measured("sleep")
def load(pairs):  # the tutorial's "import" step
    time.sleep(0.01 * max(INTERVALS) * SECOND)
    return [
        (endpoint, interval, list(range(interval * 4))) for endpoint, interval in pairs
    ]


@measured("sleep" if REPORT == "wait" else "compute")
def report(item):
    endpoint, interval, table = item
    seconds = 0.1 * interval * SECOND
    if REPORT == "wait":
        time.sleep(seconds)
    else:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass
    return endpoint, interval, sum(table) / len(table)


def stage(inbox, work, outbox):
    # A thread fed by a queue; None is the poison pill, passed on.
    for item in iter(inbox.get, None):
        work(item, outbox)
    if outbox is not None:
        outbox.put(None)


STARTUPS_S = []  # each pool's start-up that the program times itself


def pool_worker(tasks, results):
    # A long-lived process: reports until its poison pill.
    for item in iter(tasks.get, None):
        results.put(report(item))


def main():
    reports = []
    if VARIANT == 1:
        for endpoint in ENDPOINTS:
            reports += [report(item) for item in load(collect(endpoint))]
    elif VARIANT in (2, 3):
        to_report = queue.Queue()

        def report_all(items, _):
            reports.extend(map(report, items))

        reporter = threading.Thread(target=stage, args=(to_report, report_all, None))
        reporter.start()
        if VARIANT == 2:
            for endpoint in ENDPOINTS:
                to_report.put(load(collect(endpoint)))
            to_report.put(None)
        else:
            to_load = queue.Queue()

            def load_all(pairs, out):
                out.put(load(pairs))

            loader = threading.Thread(target=stage, args=(to_load, load_all, to_report))
            loader.start()
            for endpoint in ENDPOINTS:
                to_load.put(collect(endpoint))
            to_load.put(None)
            loader.join()
        reporter.join()
    elif VARIANT == 4:
        for endpoint in ENDPOINTS:
            items = load(collect(endpoint))
{{^dask}}
            # A fresh pool per endpoint.
            with ProcessPoolExecutor(max_workers=CPUCOUNT, mp_context=START) as pool:
{{/dask}}
{{#dask}}
            # A fresh executor per endpoint, on the one Dask cluster.
            with client.get_executor(pure=False) as pool:
{{/dask}}
                reports += list(pool.map(report, items))
    else:
        tasks, results = START.Queue(), START.Queue()
        workers = [
            START.Process(target=pool_worker, args=(tasks, results))
            for _ in range(CPUCOUNT)
        ]
        started = time.perf_counter()
        for w in workers:
            w.start()
        STARTUPS_S.append((time.perf_counter() - started) / SECOND)
        if VARIANT == 5:
            for endpoint in ENDPOINTS:
                for item in load(collect(endpoint)):
                    tasks.put(item)
        else:  # 6: variant 5 plus the import thread
            to_load = queue.Queue()

            def load_to_pool(pairs, _):
                for item in load(pairs):
                    tasks.put(item)

            loader = threading.Thread(target=stage, args=(to_load, load_to_pool, None))
            loader.start()
            for endpoint in ENDPOINTS:
                to_load.put(collect(endpoint))
            to_load.put(None)
            loader.join()
        for _ in workers:
            tasks.put(None)  # one poison pill per worker
        reports = [results.get() for _ in range(len(ENDPOINTS) * len(INTERVALS))]
        for w in workers:
            w.join()
    return reports


{{^dask}}
# What the tutorial printed, by variant and pool size (None: no pool).
ARTICLE_S = {
    (1, None): 70.2,
    (2, None): 59.4,
    (3, None): 59.4,
    (4, 1): 59.6,
    (4, 2): 41.5,
    (4, 3): 32.5,
    (4, 4): 32.5,
    (5, 3): 28.3,
    (5, 4): 25.9,
    (5, 5): 25.3,
    (5, 6): 25.3,
    (6, 5): 23.5,
}


def schedule_s(width, startups, cores=None):
    """The last report's end (tutorial seconds) if each step took just its
    own time, after `startups` (each report pool's start-up, in order), as
    the page works it out; with `cores`, the least CPU-bound reports could
    take on that many cores."""
    collect_s, import_s = 0.05 * max(INTERVALS), 0.01 * max(INTERVALS)
    reports_s = [0.1 * interval for interval in INTERVALS]
    if VARIANT == 1:  # every step in the one loop
        return len(ENDPOINTS) * (collect_s + import_s + sum(reports_s))
    # When each endpoint's tables are ready to report.
    ready, done = [], 0.0
    for n in range(1, len(ENDPOINTS) + 1):
        if VARIANT in (3, 6):  # import on a thread of its own
            done = max(done, n * collect_s) + import_s
        else:
            done = n * (collect_s + import_s)
        ready.append(done)
    if cores is not None:
        work, longest = sum(reports_s), max(reports_s)
        bounds = [
            at + max(longest, work * (len(ready) - b) / cores)
            for b, at in enumerate(ready)
        ]
        return max(bounds)
    startups = list(startups) + [0.0] * len(ready)
    free, end = [startups[0]] * width, 0.0
    for b, at in enumerate(ready):
        if VARIANT == 4:  # a fresh pool once the last one is done
            free = [max(at, end) + startups[b]] * width
        for seconds in reports_s:
            w = free.index(min(free))
            free[w] = max(free[w], at) + seconds
            end = max(end, free[w])
    return end


def result_of(seconds, reports):
    """The run as the page's result of this scenario: tutorial seconds."""
    cores = os.cpu_count() or 1
    width = 1 if VARIANT < 4 else CPUCOUNT
    effective = min(width, cores) if REPORT == "cpu" else width
    pools = {
        1: "the caller's thread",
        2: "its own thread, fed by a queue",
        3: "its own thread, fed by a queue",
        4: f"a fresh pool of {CPUCOUNT} isolated workers per batch",
    }
    pool = pools.get(
        VARIANT,
        f"one pool of {CPUCOUNT} isolated workers fed by a queue, "
        f"stopped by {CPUCOUNT} poison pills",
    )
    imports = pools[3] if VARIANT in (3, 6) else pools[1]
    stages = [("collect", pools[1]), ("import", imports), ("report", pool)]
    # In endpoint then interval order, however the pool finished them; each
    # table is range(rows), so its largest value is rows - 1.
    summaries = [
        {"endpoint": e, "interval": i, "rows": i * 4, "mean": m, "max": i * 4 - 1}
        for e, i, m in sorted(reports, key=lambda r: (ENDPOINTS.index(r[0]), r[1]))
    ]
    return {
        "measured_s": round(seconds, 2),
        "expected_s": round(schedule_s(effective, STARTUPS_S), 2),
        "schedule_s": round(schedule_s(width, []), 2),
        "article_s": ARTICLE_S.get((VARIANT, CPUCOUNT if VARIANT >= 4 else None)),
        "startup_s": round(sum(STARTUPS_S), 2),
        "cpu_work_s": round(len(ENDPOINTS) * sum(0.1 * i for i in INTERVALS), 2),
        "cpu_bound_s": round(schedule_s(width, [], cores), 2),
        "stages": [{"name": name, "runs_on": on} for name, on in stages],
        "reports": summaries,
        "steps_per_ms": None,
        "cores": cores,
    }


def inputs():
    """Each step's input, in order, to number the tasks by: the collects'
    endpoints, the imports' pairs, the reports' tables."""
    pairs = [[(e, i) for i in INTERVALS] for e in ENDPOINTS]
    tables = [(e, i, list(range(i * 4))) for e in ENDPOINTS for i in INTERVALS]
    return ENDPOINTS + pairs + tables


{{/dask}}
if __name__ == "__main__":
    start = time.perf_counter()
    reports = main()
    seconds = (time.perf_counter() - start) / SECOND
    n = len(reports)
    print(f"{n} reports; variant {VARIANT}: {seconds:.1f} tutorial seconds")
{{^dask}}
    record(result_of(seconds, reports), inputs())
{{/dask}}
