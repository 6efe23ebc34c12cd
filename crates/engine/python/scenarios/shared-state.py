# Shared state: every task appends its number to one list, then adds to a
# counter without a lock and to one behind a lock. Threads change this
# process's list; processes change copies of their own.
import threading

ITEMS = {{items}}
INCREMENTS = {{increments}}
shared = []
counts = {"unlocked": 0, "locked": 0}
lock = threading.Lock()


@measured("compute")
def task(item):
    shared.append(item)
    for _ in range(INCREMENTS):
        counts["unlocked"] += 1  # read, add, write: another thread may write in between
    with lock:
        counts["locked"] += INCREMENTS
    return item


if __name__ == "__main__":
    with {{pool}}:
        {{map(task, range(ITEMS))}}
    print(f"the parent's list: {sorted(shared)}")
    expected = ITEMS * INCREMENTS
    unlocked, locked = counts["unlocked"], counts["locked"]
    print(f"counters: expected {expected}, unlocked {unlocked}, locked {locked}")
{{^dask}}
    # Python's locked counter stands for both of the page's guarded ones.
    counters = {"expected": expected, "unlocked": unlocked}
    counters |= {"atomic": locked, "mutex": locked}
    record({"list": sorted(shared), "counters": counters}, range(ITEMS))
{{/dask}}
