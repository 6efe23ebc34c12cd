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


def collect(endpoint):
    time.sleep(0.05 * max(INTERVALS) * SECOND)
    return [(endpoint, interval) for interval in INTERVALS]


def load(pairs):  # the tutorial's "import" step
    time.sleep(0.01 * max(INTERVALS) * SECOND)
    return [
        (endpoint, interval, list(range(interval * 4))) for endpoint, interval in pairs
    ]


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
        for w in workers:
            w.start()
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


if __name__ == "__main__":
    start = time.perf_counter()
    reports = main()
    seconds = (time.perf_counter() - start) / SECOND
    n = len(reports)
    print(f"{n} reports; variant {VARIANT}: {seconds:.1f} tutorial seconds")
