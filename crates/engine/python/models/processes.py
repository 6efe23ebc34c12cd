# A process pool of {{workers}}: each worker its own interpreter and memory,
# started by the {{start_method}} method; arguments and results are pickled across.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def pool():
    context = multiprocessing.get_context({{start_method}})
    return ProcessPoolExecutor(max_workers={{workers}}, mp_context=context)


def pmap(pool, fn, items):
    return list(pool.map(fn, items))  # results in input order
