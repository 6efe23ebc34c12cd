# A process pool of {{workers}}: each worker its own interpreter and memory;
# arguments and results are pickled across.
from concurrent.futures import ProcessPoolExecutor


def pool():
    return ProcessPoolExecutor(max_workers={{workers}})


def pmap(pool, fn, items):
    return list(pool.map(fn, items))  # results in input order
