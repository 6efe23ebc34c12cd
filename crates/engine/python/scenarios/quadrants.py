# The four quadrants: the same tasks (each waits, then counts primes) run
# four ways, each timed on its own.
import threading
import time
from concurrent.futures import ProcessPoolExecutor

TASKS = {{tasks}}
WAIT_S = {{wait_ms}} / 1000
WORK = {{work}}
CORES = {{workers}}


def is_prime(i):
    return all(i % j for j in range(2, i // 2 + 1))


@measured("compute")
def count_primes(lo, hi):
    return sum(1 for i in range(max(lo, 2), hi) if is_prime(i))


@measured("sleep")
def wait(seconds):
    time.sleep(seconds)  # the wait, like I/O


def task(_):
    wait(WAIT_S)
    return count_primes(0, WORK)


def chunks(work, n):
    # Later candidates cost more: narrower ranges at the top.
    bounds = [round((work * work * c / n) ** 0.5) for c in range(n + 1)]
    return [(bounds[c], bounds[c + 1]) for c in range(n)]


def one_task_split(pool):
    wait(WAIT_S)
    return sum(pool.map(count_primes, *zip(*chunks(WORK, CORES))))


def threads(fn):
    out = [None] * TASKS

    def work(i):
        out[i] = fn(i)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(TASKS)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


QUADRANTS = {}  # each one's start and end (time.time()) and its seconds


def timed(key, name, run):
    start, clock = time.perf_counter(), time.time()
    run()
    seconds = time.perf_counter() - start
    QUADRANTS[key] = (clock, time.time(), seconds)
    print(f"{name}: {seconds:.3f} s")


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=CORES) as pool:
        pool.submit(count_primes, 0, 10).result()  # started before the clock
        timed(
            "serial",
            "neither concurrent nor parallel",
            lambda: [task(i) for i in range(TASKS)],
        )
        timed(
            "concurrent",
            "concurrent, not parallel (threads under the GIL)",
            lambda: threads(task),
        )
        timed(
            "parallel",
            "parallel, not concurrent (one task at a time, split over processes)",
            lambda: [one_task_split(pool) for _ in range(TASKS)],
        )
        timed(
            "both",
            "concurrent and parallel (a process per task)",
            lambda: list(pool.map(task, range(TASKS))),
        )
    quadrant_ms = {key: round(q[2] * 1000, 3) for key, q in QUADRANTS.items()}
    windows = {key: q[:2] for key, q in QUADRANTS.items()}
    record({"quadrant_ms": quadrant_ms}, [], windows)
