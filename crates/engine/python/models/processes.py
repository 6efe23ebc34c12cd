# A process pool of {{workers}}: each worker its own interpreter and memory,
# started by the {{start_method}} method; arguments and results are pickled across.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

context = multiprocessing.get_context({{start_method}})
with ProcessPoolExecutor(max_workers={{workers}}, mp_context=context) as pool:
