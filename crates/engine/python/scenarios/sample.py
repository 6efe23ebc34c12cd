# Random sampling into a list: each call draws k distinct integers from
# range(20_000_000); the function is called {{calls}} times.
import random

K = {{k}}
CALLS = {{calls}}


def task(seed):
    random.seed(seed)
    return len(random.sample(range(20_000_000), K))


if __name__ == "__main__":
    start = time.perf_counter()
    cpu = time.process_time()
    with pool() as p:
        lengths = pmap(p, task, range(CALLS))
    print(f"lengths {lengths}")
    print(f"wall {time.perf_counter() - start:.3f} s, this process's CPU {time.process_time() - cpu:.3f} s")
