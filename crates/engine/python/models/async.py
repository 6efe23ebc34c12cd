# asyncio: one thread, at most {{workers}} tasks in flight. Waiting overlaps
# (where a task has an `async_` version, it awaits); computing does not (a
# plain task holds the one thread until it is done).
import asyncio
from contextlib import nullcontext


def pool():
    return nullcontext()


def pmap(_pool, fn, items):
    async def main():
        limit = asyncio.Semaphore({{workers}})

        async def one(x):
            async with limit:
                step = globals().get(f"async_{fn.__name__}")
                return await step(x) if step else fn(x)

        return await asyncio.gather(*(one(x) for x in items))

    return asyncio.run(main())

