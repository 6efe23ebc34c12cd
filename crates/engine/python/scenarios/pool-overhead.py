# Sleep vs square: five sleepers of 0..4 time units, or 1000 tiny tasks
# computing 2**x; a fresh pool per repeat, or one pool reused.
import time

WORK = {{work}}
UNIT_S = {{unit_ms}} / 1000
{{#pool}}
REUSE = {{reuse}}
{{/pool}}
REPEATS = {{repeats}}


@measured("sleep")
def sleep(units):
    time.sleep(units * UNIT_S)
    return units


@measured("compute")
def square(x):
    return 2**x


task = square if WORK == "square" else sleep
INPUTS = range(1000) if WORK == "square" else range(5)
{{#async}}
import asyncio


@measured("sleep")
async def async_task(x):
    # A sleeper awaits, so the others run meanwhile; a square holds the thread.
    if WORK == "square":
        return square(x)
    await asyncio.sleep(x * UNIT_S)
    return x
{{/async}}


if __name__ == "__main__":
    times = []
{{#pool}}
    if REUSE:
        with {{pool}}:
            for _ in range(REPEATS):
                start = time.perf_counter()
                {{map(task, INPUTS)}}
                times.append(time.perf_counter() - start)
    else:
        for _ in range(REPEATS):
            start = time.perf_counter()
{{^dask}}
            # A fresh pool, started and shut inside the timing.
{{/dask}}
{{#dask}}
            # A fresh executor inside the timing; the cluster's workers stay up.
{{/dask}}
            with {{pool}}:
                {{map(task, INPUTS)}}
            times.append(time.perf_counter() - start)
{{/pool}}
{{^pool}}
    for _ in range(REPEATS):
        start = time.perf_counter()
        {{map(task, INPUTS)}}
        times.append(time.perf_counter() - start)
{{/pool}}
    mean = sum(times) / len(times)
    print(f"per repeat {[round(t, 4) for t in times]} s, mean {mean:.4f} s")
{{^dask}}
    per_repeat_ms = [round(t * 1000, 3) for t in times]
    record({"per_repeat_ms": per_repeat_ms, "pool_start_ms": None}, INPUTS)
{{/dask}}
