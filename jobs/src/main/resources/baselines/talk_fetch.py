#!/usr/bin/env python3
"""The talk's network-I/O methods: GET one air-temperature document per date, with retries, and reduce it to
per-station daily min/mean/max. Methods: loop, threads (ThreadPoolExecutor), processes (ProcessPoolExecutor),
asyncio (aiohttp, many requests in flight). Prints one JSON line: method, workers, items, succeeded, failed,
wall_s. Usage: talk_fetch.py METHOD URL START_DATE DAYS WORKERS"""
import concurrent.futures
import datetime
import json
import sys
import time
import urllib.error
import urllib.request

ATTEMPTS = 5


def dates(start, days):
    d = datetime.date.fromisoformat(start)
    return [(d + datetime.timedelta(days=i)).isoformat() for i in range(days)]


def reduce_day(doc):
    stats = {}
    for item in doc.get("items", []):
        for r in item.get("readings", []):
            v = r.get("value")
            if isinstance(v, (int, float)):
                s = stats.setdefault(r.get("station_id"), [v, v, 0.0, 0])
                s[0], s[1], s[2], s[3] = min(s[0], v), max(s[1], v), s[2] + v, s[3] + 1
    return {k: (lo, total / n, hi) for k, (lo, hi, total, n) in stats.items()}


def fetch_one(url, date):
    for attempt in range(ATTEMPTS):
        try:
            with urllib.request.urlopen(f"{url}?date={date}", timeout=30) as r:
                return reduce_day(json.loads(r.read()))
        except (urllib.error.URLError, ValueError, OSError):
            time.sleep(min(2.0, 0.1 * 2 ** attempt))
    return None


async def fetch_all_async(url, days, in_flight):
    import asyncio
    import aiohttp
    limit = asyncio.Semaphore(in_flight)

    async def one(session, date):
        async with limit:
            for attempt in range(ATTEMPTS):
                try:
                    async with session.get(url, params={"date": date}) as r:
                        if r.status == 200:
                            return reduce_day(json.loads(await r.read()))
                except (aiohttp.ClientError, ValueError, asyncio.TimeoutError):
                    pass
                await asyncio.sleep(min(2.0, 0.1 * 2 ** attempt))
            return None

    conn = aiohttp.TCPConnector(limit=in_flight)
    async with aiohttp.ClientSession(connector=conn) as session:
        return await asyncio.gather(*(one(session, d) for d in days))


def main():
    method, url, start, days, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    todo = dates(start, days)
    t0 = time.perf_counter()
    if method == "loop":
        out = [fetch_one(url, d) for d in todo]
    elif method in ("threads", "processes"):
        pool = concurrent.futures.ThreadPoolExecutor if method == "threads" else concurrent.futures.ProcessPoolExecutor
        with pool(max_workers=workers) as ex:
            out = list(ex.map(fetch_one, [url] * len(todo), todo))
    elif method == "asyncio":
        import asyncio
        out = asyncio.run(fetch_all_async(url, todo, workers))
    else:
        sys.exit(f"unknown method {method}")
    ok = sum(1 for o in out if o is not None)
    print(json.dumps({"workload": "fetch", "method": method, "workers": workers, "items": len(todo), "succeeded": ok,
                      "failed": len(todo) - ok, "wall_s": round(time.perf_counter() - t0, 3)}))


if __name__ == "__main__":
    main()
