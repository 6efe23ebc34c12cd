# Sleep vs square: five sleepers of 0..4 time units, or 1000 tiny tasks
# computing 2**x; a fresh pool per repeat, or one pool reused.
import asyncio

WORK = {{work}}
UNIT_S = {{unit_ms}} / 1000
REUSE = {{reuse}}
REPEATS = {{repeats}}


def sleep(units):
    time.sleep(units * UNIT_S)
    return units


async def async_sleep(units):
    await asyncio.sleep(units * UNIT_S)
    return units


def square(x):
    return 2**x


task = square if WORK == "square" else sleep
INPUTS = range(1000) if WORK == "square" else range(5)

if __name__ == "__main__":
    times = []
    if REUSE:
        with pool() as p:
            for _ in range(REPEATS):
                start = time.perf_counter()
                pmap(p, task, INPUTS)
                times.append(time.perf_counter() - start)
    else:
        for _ in range(REPEATS):
            start = time.perf_counter()
            with pool() as p:  # started (and shut) inside the timing
                pmap(p, task, INPUTS)
            times.append(time.perf_counter() - start)
    print(f"per repeat {[round(t, 4) for t in times]} s, mean {sum(times) / len(times):.4f} s")
