#!/usr/bin/env python3
"""The talk's image method: Pillow open + resize((64, 64)) of every image under a folder, in a loop, a
ThreadPoolExecutor or a ProcessPoolExecutor; or "draft", a process pool with Pillow's shrink-on-load (draft()
then a box filter, the fair baseline on large photos). With OUT_DIR, each thumbnail is written there as a PNG
(flat names). Prints one JSON line: method, workers, items, succeeded, failed, wall_s.
Usage: talk_resize.py METHOD FOLDER WORKERS [OUT_DIR]"""
import concurrent.futures
import json
import os
import sys
import time

from PIL import Image


OUT = None
DRAFT = False


def resize(path):
    try:
        with Image.open(path) as im:
            if DRAFT:
                im.draft("L", (64, 64))
                small = im.convert("L").resize((64, 64), Image.BOX)
            else:
                small = im.convert("L").resize((64, 64))
            if OUT is None:
                small.tobytes()
            else:
                small.save(os.path.join(OUT, os.path.splitext(os.path.basename(path))[0] + ".png"))
        return True
    except Exception:  # a bad file is a failure, not the end of the run
        return False


def main():
    global OUT, DRAFT
    method, folder, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if len(sys.argv) > 4:
        OUT = sys.argv[4]
        os.makedirs(OUT, exist_ok=True)
    DRAFT = method == "draft"  # set before the pool starts: forked workers inherit it
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(folder, followlinks=True) for f in fs
                   if not f.startswith("._") and "__MACOSX" not in d and f.lower().endswith((".jpeg", ".jpg", ".png", ".webp")))
    t0 = time.perf_counter()
    if method == "loop":
        out = [resize(f) for f in files]
    else:
        pool = concurrent.futures.ThreadPoolExecutor if method == "threads" else concurrent.futures.ProcessPoolExecutor
        with pool(max_workers=workers) as ex:
            out = list(ex.map(resize, files, chunksize=1 if method == "threads" else 8))
    ok = sum(out)
    print(json.dumps({"workload": "images", "method": method, "workers": workers, "items": len(files), "succeeded": ok,
                      "failed": len(files) - ok, "wall_s": round(time.perf_counter() - t0, 3)}))


if __name__ == "__main__":
    main()
