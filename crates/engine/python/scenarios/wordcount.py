# Word count as a dataflow: cut the text into one part per process, count
# each part with that process's threads, combine, exchange the partial
# counts, reduce. MODEL "serial" counts the whole text in one go.
import multiprocessing
import pickle
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

START = multiprocessing.get_context({{start_method}})  # how its processes start
MODEL = {{model}}
PROCS = {{procs}}
THREADS = {{threads_per_proc}}


{{text_functions}}

TEXT = {{text}}


@measured("compute")
def count(text):
    return Counter(text.lower().split())


def count_part(part):
    # Inside one process: its threads count slices of its part.
    with ThreadPoolExecutor(max_workers=THREADS) as threads:
        partials = threads.map(count, cut(part, THREADS))
    return sum(partials, Counter())  # the combine step


if __name__ == "__main__":
    start = time.perf_counter()
    partials = []
    if MODEL == "serial":
        total = count(TEXT)
    else:
        with ProcessPoolExecutor(max_workers=PROCS, mp_context=START) as procs:
            partials = list(procs.map(count_part, cut(TEXT, PROCS)))  # the exchange
        total = Counter()
        for partial in partials:  # the reduce
            total.update(partial)
    top = total.most_common(5)
    print(f"{sum(total.values())} words, {len(total)} distinct; top {top}")
    print(f"wall {time.perf_counter() - start:.3f} s")
    ranked = sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))
    result = {"total_words": sum(total.values()), "distinct_words": len(total)}
    result["top"] = [list(pair) for pair in ranked[:10]]
    result["input_bytes"] = len(TEXT.encode())
    # What crossed between processes: the partial counts, pickled.
    result["exchanged_bytes"] = sum(len(pickle.dumps(p)) for p in partials)
    record(result, [])
