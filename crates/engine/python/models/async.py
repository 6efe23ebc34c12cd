{{#awaits}}
# asyncio: one thread, at most {{workers}} tasks in flight. While one task awaits,
# the others run: the waits overlap.
{{/awaits}}
{{^awaits}}
# asyncio: one thread, at most {{workers}} tasks in flight. A task that computes
# holds the one thread until it is done: nothing overlaps.
{{/awaits}}
import asyncio


async def run_all(items):
    limit = asyncio.Semaphore({{workers}})

    async def one(x):
        async with limit:
{{#awaits}}
            return await async_{{fn}}(x)
{{/awaits}}
{{^awaits}}
            return {{fn}}(x)
{{/awaits}}

    return await asyncio.gather(*(one(x) for x in items))
