# Random sampling into a list: each call draws k distinct integers from
# range(20_000_000); the function is called {{calls}} times.
import random
import time

K = {{k}}
CALLS = {{calls}}


@measured("compute")
def task(seed):
    random.seed(seed)
    return len(random.sample(range(20_000_000), K))


if __name__ == "__main__":
    start = time.perf_counter()
    cpu = time.process_time()
    with {{pool}}:
        lengths = {{map(task, range(CALLS))}}
    print(f"lengths {lengths}")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"wall {wall:.3f} s, this process's CPU {cpu:.3f} s")
{{^dask}}
    record({"lengths": lengths, "cpu_ms": None, "startup_ms": None}, range(CALLS))
{{/dask}}
