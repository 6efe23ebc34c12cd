# Word count as a dataflow: cut the text into one part per process, count
# each part with that process's threads, combine, exchange the partial
# counts, reduce. MODEL "serial" counts the whole text in one go.
import multiprocessing
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

START = multiprocessing.get_context({{start_method}})  # how its processes start
MODEL = {{model}}
PROCS = {{procs}}
THREADS = {{threads_per_proc}}


def corpus(size):
    # A generated text of `size` bytes from made-up syllables (the playground
    # generates its corpus the same way, with its own random numbers).
    rng = random.Random(42)
    onsets, vowels, codas = "b c d f g h l m n p r s t v br st".split(), "a e i o u ea".split(), ["", "n", "r", "s", "t", "nd"]
    vocabulary = [rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(5000)]
    words, length = [], 0
    while length < size:
        word = vocabulary[min(int(rng.paretovariate(1.1)) - 1, len(vocabulary) - 1)]
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


TEXT = {{text}}


def count(text):
    return Counter(text.lower().split())


def cut(text, n):
    # At whitespace, so no word is split.
    parts, start = [], 0
    for k in range(1, n + 1):
        end = len(text) if k == n else text.find(" ", max(start, len(text) * k // n))
        end = len(text) if end < 0 else end
        parts.append(text[start:end])
        start = end
    return parts


def count_part(part):
    # Inside one process: its threads count slices of its part.
    with ThreadPoolExecutor(max_workers=THREADS) as threads:
        partials = threads.map(count, cut(part, THREADS))
    return sum(partials, Counter())  # the combine step


if __name__ == "__main__":
    start = time.perf_counter()
    if MODEL == "serial":
        total = count(TEXT)
    else:
        with ProcessPoolExecutor(max_workers=PROCS, mp_context=START) as procs:
            partials = list(procs.map(count_part, cut(TEXT, PROCS)))  # the exchange
        total = Counter()
        for partial in partials:  # the reduce
            total.update(partial)
    print(f"{sum(total.values())} words, {len(total)} distinct; top {total.most_common(5)}")
    print(f"wall {time.perf_counter() - start:.3f} s")
