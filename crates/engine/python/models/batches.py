# Thread batches: start {{workers}} threads, join them all, start the next {{workers}}.
import threading
from contextlib import nullcontext


def pool():
    return nullcontext()


def pmap(_pool, fn, items):
    results = [None] * len(items)

    def work(i, x):
        results[i] = fn(x)

    for first in range(0, len(items), {{workers}}):
        batch = [threading.Thread(target=work, args=(i, items[i])) for i in range(first, min(first + {{workers}}, len(items)))]
        for t in batch:
            t.start()
        for t in batch:
            t.join()
    return results
