# A thread per task: threading.Thread for every item, all started, then joined.
import threading


def thread_per_task(items):
    results = [None] * len(items)

    def work(i, x):
        results[i] = {{fn}}(x)

    threads = [threading.Thread(target=work, args=(i, x)) for i, x in enumerate(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
