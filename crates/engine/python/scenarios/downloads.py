# Downloads: GET each file and keep its bytes (size and CRC-32). The files
# come from the playground's latency server at BASE.
import time
import urllib.parse
import urllib.request
import zlib

BASE = {{base_url}}
# Each file relative to BASE, or a whole URL.
FILES = {{urls}}
URLS = [urllib.parse.urljoin(BASE, file) for file in FILES]


@measured("io")
def task(url):
    with urllib.request.urlopen(url) as response:
        body = response.read()
    return url, len(body), f"{zlib.crc32(body):08x}"
{{#async}}
import asyncio


@measured("io")
async def async_task(url):
    # A plain HTTP/1.1 GET on asyncio's streams: the standard library has no
    # async HTTP client, and urllib would block the one thread.
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    response = await reader.read()
    writer.close()
    body = response.split(b"\r\n\r\n", 1)[1]
    return url, len(body), f"{zlib.crc32(body):08x}"
{{/async}}


if __name__ == "__main__":
    start = time.perf_counter()
    with {{pool}}:
        files = {{map(task, URLS)}}
    for url, size, crc in files:
        print(f"{url}: {size} bytes, crc32 {crc}")
    print(f"wall {time.perf_counter() - start:.3f} s")
{{^dask}}
    got = [{"url": url, "bytes": size, "checksum": crc} for url, size, crc in files]
    record({"files": got}, URLS)
{{/dask}}
