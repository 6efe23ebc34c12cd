# A thread pool of {{workers}}: threads of one interpreter, sharing its memory
# (and, in CPython as usual, its GIL; a free-threaded build has none).
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(max_workers={{workers}}) as pool:
