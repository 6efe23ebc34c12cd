# Pool map of factorial: results come back in input order, whatever order the
# workers finish in.
import sys
import time

# Exact products have more digits than CPython converts to text by default.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

N = {{n}}
FAIL_AT = {{fail_at}}  # this task raises (-1: none)


@measured("compute")
def task(n):
    if n == FAIL_AT:
        raise ValueError(f"factorial({n}) was told to fail")
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


if __name__ == "__main__":
    start = time.perf_counter()
    with {{pool}}:
        values = {{map(task, range(N))}}
    shown = [str(v) if v < 10**20 else f"<{len(str(v))} digits>" for v in values]
    print("values", shown)
    print(f"wall {time.perf_counter() - start:.3f} s")
{{^dask}}
    record({"values": [str(v) for v in values], "finish_order": None}, range(N))
{{/dask}}
