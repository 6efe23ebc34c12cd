# Thread batches: start {{workers}} threads, join them all, start the next {{workers}}.
import threading


def thread_batches(items):
    results = [None] * len(items)

    def work(i, x):
        results[i] = {{fn}}(x)

    for first in range(0, len(items), {{workers}}):
        batch = range(first, min(first + {{workers}}, len(items)))
        threads = [threading.Thread(target=work, args=(i, items[i])) for i in batch]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return results
