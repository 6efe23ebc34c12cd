# On one machine (pip install distributed=={{dask_version}}):
#   python3 {{file}}
# starts a local Dask cluster of {{workers}} worker processes, then runs the tasks on it.
# On several machines: a scheduler on one of them (it listens on port 8786),
#   dask scheduler
# workers on every machine, pointed at it (one process a core, each running
# one task at a time, like a process pool's workers),
#   dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1
# then the program on any machine, given the scheduler's address:
#   DASK_SCHEDULER_ADDRESS=tcp://SCHEDULER:8786 python3 {{file}}
# What to expect: a local cluster takes a second or two to start, before the
# clock starts (the page's pool start); each task's function and arguments
# are pickled to the worker that runs it and its result back (the page's
# transfer, over the network between machines); the speedup comes from more
# worker processes on more cores and machines, so it pays where a task's
# work is large beside what it sends.
import os
from collections import Counter

from distributed import Client, get_task_stream

# Dask: Client() joins the cluster at DASK_SCHEDULER_ADDRESS where that is
# set, else starts one here; client.get_executor() is the cluster as a
# concurrent.futures executor, in place of a ProcessPoolExecutor (pure=False:
# every call runs, even two with equal arguments).
if "DASK_SCHEDULER_ADDRESS" in os.environ:
    client = Client()
else:
    client = Client(n_workers={{workers}}, threads_per_worker=1)
with client, get_task_stream(client) as stream:
    {{main}}
# Where the tasks ran, from Dask's task stream (the page's timeline).
ran = Counter(t["worker"] for t in stream.data)
for worker, tasks in sorted(ran.items()):
    print(f"Dask worker {worker} ran {tasks} tasks")
with client.get_executor(pure=False) as pool:
