import functools
import inspect
import io
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time

# With --json the program prints this run as one record of the playground's
# record.json shape in place of its usual lines, to add beside the browser's
# runs ("Add a run from your machine"). The run as the page describes it:
RUN = {{run}}
RECORD = "--json" in sys.argv
if RECORD and "PLAYGROUND_SPANS" not in os.environ:
    # Each process notes its tasks in a file of this folder (a process pool's
    # workers hand back only results); stdout keeps the record alone.
    os.environ["PLAYGROUND_SPANS"] = tempfile.mkdtemp(prefix="playground-")
    STARTED = time.time()
    sys.stdout = io.StringIO()
SPANS = os.environ.get("PLAYGROUND_SPANS")
# When this process began (a forked one: at its fork), for its start-up.
BORN = time.time()


def born_now():
    global BORN
    BORN = time.time()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=born_now)


def label(x):
    """A task's input as its label (a long one cut short)."""
    text = str(x)
    return text if len(text) <= 40 else f"{text[:30]}… ({len(text)} characters)"


def measured(phase):
    """Under --json, each call's start and end, in the process and thread
    that made it, as one phase ("compute", "sleep" or "io"), and the CPU
    time its thread spent (under the GIL, less than its span)."""

    def wrap(function):
        if not SPANS:
            return function

        def note(args, start, cpu):
            name = label(args[0] if len(args) == 1 else ", ".join(map(str, args)))
            where = [os.getpid(), threading.get_ident(), BORN]
            span = [name, phase, start, time.time(), *where, cpu]
            with open(os.path.join(SPANS, f"{os.getpid()}.jsonl"), "a") as file:
                file.write(json.dumps(span) + "\n")

        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def measured_async(*args):
                start, cpu = time.time(), time.thread_time()
                try:
                    return await function(*args)
                finally:
                    note(args, start, time.thread_time() - cpu)

            return measured_async

        @functools.wraps(function)
        def measured_call(*args):
            start, cpu = time.time(), time.thread_time()
            try:
                return function(*args)
            finally:
                note(args, start, time.thread_time() - cpu)

        return measured_call

    return wrap


def shifted(task, origin):
    """A task's times from `origin` on."""

    def move(span):
        start, end = span["start_ms"] - origin, span["end_ms"] - origin
        return dict(span, start_ms=round(start, 3), end_ms=round(end, 3))

    return dict(move(task), phases=[move(p) for p in task["phases"]])


def record(result, inputs, windows=None):
    """Under --json, print the run's record: each task on the lane of the
    thread or process that ran it (numbered in order of first use), each
    process's start-up before its first task, and the scenario's result
    (where it holds None for cpu_ms, startup_ms, pool_start_ms or
    finish_order, that is measured here from the tasks). A task's id is the
    index of its input in `inputs`; where it is not there, the order in
    which the unmatched tasks started. `windows` (name: start and end,
    on time.time()'s clock) give result["timelines"]: each window's tasks,
    on a clock of its own."""
    if not RECORD:
        return
    ended = time.time()
    notes = []
    for name in os.listdir(SPANS):
        with open(os.path.join(SPANS, name)) as file:
            notes += [json.loads(line) for line in file]
    shutil.rmtree(SPANS)
    notes.sort(key=lambda note: note[2])

    def ms(t):
        return round((t - STARTED) * 1000, 3)

    lanes, free, tasks, unmatched = {}, {}, [], 0
    first_end = min([note[3] for note in notes], default=ended)
    for name, phase, start, end, pid, thread, born, _ in notes:
        lane = pid if pid != os.getpid() else thread
        if lane not in lanes:
            lanes[lane] = len(lanes)
            if pid != os.getpid():
                # A worker process, from its start to its first task: the
                # first pool's from the run's start (the program's own
                # start-up is out of reach), a later one's from its fork.
                born = STARTED if born <= first_end else born
                spawn = {"kind": "spawn", "start_ms": ms(born), "end_ms": ms(start)}
                tasks.append(
                    {
                        "id": None,
                        "label": "start process",
                        "worker": lanes[lane],
                        "start_ms": spawn["start_ms"],
                        "end_ms": spawn["end_ms"],
                        "phases": [spawn],
                    }
                )
        if not free.get(name):
            free.update({label(x): [] for x in inputs})
            for i, x in enumerate(inputs):
                free[label(x)].append(i)
        one = {"kind": phase, "start_ms": ms(start), "end_ms": ms(end)}
        unmatched += 0 if free.get(name) else 1
        task = {"id": free[name].pop(0) if free.get(name) else unmatched - 1}
        task["label"] = name
        task.update(worker=lanes[lane], start_ms=one["start_ms"], end_ms=one["end_ms"])
        tasks.append(dict(task, phases=[one]))
    cpu_ms = round(sum(note[7] for note in notes if note[1] == "compute") * 1000, 3)
    # The first pool's start: until the last of its processes was ready.
    first = min([t["start_ms"] for t in tasks if t["id"] is not None], default=0)
    spawns = [t["end_ms"] for t in tasks if t["id"] is None and t["start_ms"] <= first]
    ids = [t for t in tasks if t["id"] is not None]
    ended_in_order = sorted((t["end_ms"], t["id"]) for t in ids)
    measured_here = {
        "cpu_ms": cpu_ms,
        "startup_ms": max(spawns, default=0),
        "pool_start_ms": max(spawns, default=0),
        "finish_order": [i for _, i in ended_in_order],
    }
    result |= {k: v for k, v in measured_here.items() if result.get(k, 0) is None}
    if windows is not None:
        result["timelines"] = {}
        for window, (start, end) in windows.items():
            inside = [t for t in tasks if ms(start) <= t["start_ms"] <= ms(end)]
            result["timelines"][window] = [shifted(t, ms(start)) for t in inside]
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    name, version = platform.python_implementation(), platform.python_version()
    env = {
        "cores": os.cpu_count() or 1,
        "isolated": False,
        "shared_memory": True,
        "build": "native",
        "userAgent": f"{name} {version} on {platform.platform()}",
        "native": {"interpreter": name, "version": version, "os": platform.system()},
    }
    run = dict(RUN, gil="on" if gil else "off", env=env)
    run.update(wall_ms=ms(ended), cpu_ms=cpu_ms)
    run.update(tasks=tasks, result=result)
    sys.__stdout__.write(json.dumps(run) + "\n")
