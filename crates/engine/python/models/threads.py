# A thread pool of {{workers}}: threads of one interpreter, sharing its memory
# (and, in CPython as usual, its GIL; a free-threaded build has none).
from concurrent.futures import ThreadPoolExecutor


def pool():
    return ThreadPoolExecutor(max_workers={{workers}})


def pmap(pool, fn, items):
    return list(pool.map(fn, items))  # results in input order
