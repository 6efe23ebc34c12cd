# Product of primes: for each limit, every prime below it by naive trial
# division, multiplied together as an exact integer.
import sys
import time

# Exact products have more digits than CPython converts to text by default.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

LIMITS = {{limits}}


def is_prime(i):
    for j in range(2, i // 2 + 1):
        if i % j == 0:
            return False
    return i > 1


@measured("compute")
def task(n):
{{#dask}}
    # A Dask worker runs this function, not this file: lift the limit there too.
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
{{/dask}}
    primes = [i for i in range(2, n) if is_prime(i)]
    product = 1
    for p in primes:
        product *= p
    return n, len(primes), str(product)


if __name__ == "__main__":
    start = time.perf_counter()
    with {{pool}}:
        results = {{map(task, LIMITS)}}
    wall = time.perf_counter() - start
    for n, count, product in results:
        print(f"below {n}: {count} primes, product of {len(product)} digits")
    print(f"wall {wall:.3f} s")
{{^dask}}
    items = [
        {"n": n, "count": count, "digits": len(product)}
        | {"first_digits": product[:12], "last_digits": product[-12:]}
        for n, count, product in results
    ]
    record({"items": items}, LIMITS)
{{/dask}}
