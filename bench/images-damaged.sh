#!/usr/bin/env bash
# The image workload on damaged files: every file of DIR copied COPIES times, each copy damaged one way
# (bits flipped, cut short, a run of zeros, or bytes of its header changed; seeded, so the same every run),
# together with the intact files, through `images` with 8 threads in -Xmx384m. Prints the exit code, how the
# inputs came out (every input must be a thumbnail or a failure), the failures by kind, wall time and peak RSS;
# then, for comparison, how many thumbnails vipsthumbnail (2 processes) writes from the same files.
#
# Usage: bench/images-damaged.sh DIR [SEED=16] [COPIES=3]
#   DIR: intact images, e.g. the real set of bench/images-real.sh.
# Needs: the jar (mvn -B -q package -DskipTests), python3; libvips-tools for the comparison (skipped without).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=$(realpath "${1:?usage: bench/images-damaged.sh DIR [SEED] [COPIES]}"); seed=${2:-16}; copies=${3:-3}
[ -f "$root/jobs/target/speedup.jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
python3 - "$data" "$work/in" "$seed" "$copies" <<'PY'
import os, random, shutil, sys
src, dst, seed, copies = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(seed)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs
               if f.lower().rsplit('.', 1)[-1] in ('jpg', 'jpeg', 'png', 'webp'))
for i, f in enumerate(files):
    name, ext = os.path.splitext(os.path.basename(f))
    shutil.copyfile(f, os.path.join(dst, f'{i:04d}-{name}{ext}'))
    data = open(f, 'rb').read()
    for k in range(copies):
        d = bytearray(data)
        how = random.choice(['flip', 'truncate', 'zeros', 'header'])
        if how == 'flip':
            for _ in range(random.randint(1, 20)):
                j = random.randrange(len(d)); d[j] ^= 1 << random.randrange(8)
        elif how == 'truncate':
            d = d[:random.randrange(16, len(d))]
        elif how == 'zeros':
            j = random.randrange(len(d)); n = min(len(d) - j, random.randint(1, 5000)); d[j:j + n] = bytes(n)
        else:
            for _ in range(4):
                j = random.randrange(min(len(d), 200)); d[j] = random.randrange(256)
        open(os.path.join(dst, f'{i:04d}-{name}.{how}{k}{ext}'), 'wb').write(bytes(d))
PY
total=$(ls "$work/in" | wc -l)
echo "inputs: $total files ($((total / (copies + 1))) intact, $copies damaged copies each), $(du -sh "$work/in" | cut -f1)"
status=0
JAVA_OPTS=-Xmx384m /usr/bin/time -f "%e %M" -o "$work/time" "$root/bin/speedup" images --input="$work/in" \
  @"$root/run-configs/threads.args" --targetParallelism=8 --maxFailures=100% --output="$work/out" > "$work/log" 2>&1 || status=$?
read -r wall rss < "$work/time"
echo "exit $status, ${wall} s, peak RSS $((rss / 1024)) MB (8 threads, -Xmx384m)"
tail -1 "$work/log" | cut -c1-200
python3 - "$work/out/summary.json" "$work/out/failures.jsonl" <<'PY'
import collections, json, sys
s = json.load(open(sys.argv[1]))
kinds = collections.Counter(json.loads(l)['kind'] for l in open(sys.argv[2]))
print(f"inputs {s['inputs']} = succeeded {s['succeeded']} + failed {s['failed']}: {'yes' if s['inputs'] == s['succeeded'] + s['failed'] else 'NO'}")
print('failures by kind: ' + ', '.join(f'{k} {n}' for k, n in kinds.most_common()))
PY
if command -v vipsthumbnail >/dev/null; then
  . "$root/bench/lib.sh"
  /usr/bin/time -f "%e %M" -o "$work/vtime" bash -c "vips_thumbnails '$work/in' '$work/vips' 2" > /dev/null 2>&1 || true
  read -r vwall vrss < <(tail -1 "$work/vtime") # after "Command exited with non-zero status" when a file fails
  echo "vipsthumbnail (2 processes): $(find "$work/vips" -type f | wc -l) thumbnails, ${vwall} s, peak RSS $((vrss / 1024)) MB"
else
  echo "(vipsthumbnail comparison skipped: apt-get install -y libvips-tools)"
fi
