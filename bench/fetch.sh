#!/usr/bin/env bash
# Benchmark of the network-I/O workload: every mode of `fetch` and the talk's Python methods
# (talk_fetch.py, as `compare` runs it), side by side in one run, against one stand-in server.
#
# Usage: bench/fetch.sh [DATES=400] [REPEATS=3] [LATENCY=50ms]
# Needs: the jar (mvn -B -q package -DskipTests) and, for the Python baselines,
#   apt-get install -y python3-requests python3-aiohttp
# Prints a Markdown table of whole-process wall times (medians over REPEATS, /usr/bin/time), peak RSS,
# and the parse micro-benchmark. Runs are interleaved round by round so drift hits every mode alike.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/lib.sh"
dates=${1:-400}; repeats=${2:-3}; latency=${3:-50ms}
jar=$root/jobs/target/speedup.jar
pybench=$talk/talk_fetch.py
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

java -jar "$jar" serve-fixtures --port=0 --latency="$latency" --lifetime=2h > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q '^serving' "$work/server.log" 2>/dev/null && break; sleep 0.2; done
api=$(grep -m1 -o 'http://127.0.0.1:[0-9]*/v1/environment/air-temperature' "$work/server.log")
[ -n "$api" ] || { cat "$work/server.log" >&2; exit 1; }
echo "server: $api (latency $latency), $dates dates, $repeats repeats, $(nproc) cores, $(java -version 2>&1 | head -1)"

# Warm the server's document cache (and write the launcher's class-data archive) so every mode sees the same server.
"$root/bin/speedup" fetch --apiUrl="$api" --days="$dates" --maxInFlight=64 --output="$work/warm" >/dev/null 2>&1

declare -A cmds
order=()
add() { order+=("$1"); cmds[$1]=$2; }
have_py=0
if /usr/bin/python3 -c 'import requests, aiohttp' 2>/dev/null && [ -f "$pybench" ]; then
  have_py=1
  add "python asyncio (64 in flight)" "/usr/bin/python3 $pybench asyncio $api 2020-06-01 $dates 64"
  add "python threads (6 workers, the pool's default here)" "/usr/bin/python3 $pybench threads $api 2020-06-01 $dates 6"
  add "python loop" "/usr/bin/python3 $pybench loop $api 2020-06-01 $dates 1"
else
  echo "(python baselines skipped: need /usr/bin/python3 with requests and aiohttp, and $pybench)"
fi
j="$root/bin/speedup fetch --maxFailures=100% --apiUrl=$api --days=$dates"
add "java sequential (1 thread x 1)" "$j @$root/run-configs/sequential.args --output=$work/o-seq"
add "java threads (2 threads x 1)" "$j @$root/run-configs/threads.args --targetParallelism=2 --output=$work/o-t2"
add "java threads (4 threads x 1)" "$j @$root/run-configs/threads.args --targetParallelism=4 --output=$work/o-t4"
add "java threads (8 threads x 1)" "$j @$root/run-configs/threads.args --output=$work/o-t8"
add "java async (2 threads x 64)" "$j @$root/run-configs/async.args --output=$work/o-async"
add "java async, plain java -jar" "java -jar $jar fetch --maxFailures=100% --apiUrl=$api --days=$dates @$root/run-configs/async.args --output=$work/o-async-plain"

# A method whose dates failed would time something else: every run must account all dates as succeeded.
after_each() {
  grep -qE '"failed": 0[,}]| 0 failed;' "$work/out" || { echo "FAILED: $1: not every date succeeded" >&2; tail -3 "$work/out" >&2; exit 1; }
}
run_rounds

# Every Java mode must have written the same files.
for d in o-t2 o-t4 o-t8 o-async o-async-plain; do
  cmp -s "$work/o-seq/station-days.csv" "$work/$d/station-days.csv" || { echo "OUTPUT DIFFERS: $d" >&2; exit 1; }
  cmp -s "$work/o-seq/failures.jsonl" "$work/$d/failures.jsonl" || { echo "FAILURES DIFFER: $d" >&2; exit 1; }
done

ref=""
[ $have_py = 1 ] && ref=$(stats "python asyncio (64 in flight)" | cut -d' ' -f1)
echo
echo "| mode | median wall s (whole process) | min..max | peak RSS MB | vs python asyncio |"
echo "|---|---|---|---|---|"
for name in "${order[@]}"; do
  read -r m lo hi rss <<< "$(stats "$name")"
  x="-"; [ -n "$ref" ] && x=$(awk -v a="$ref" -v b="$m" 'BEGIN {printf "%.2fx", a/b}')
  printf '| %s | %.2f | %.2f..%.2f | %d | %s |\n' "$name" "$m" "$lo" "$hi" "$rss" "$x"
done
echo
echo "sequential I/O bound: $dates x latency = $(awk -v n="$dates" -v l="${latency%ms}" 'BEGIN {printf "%.1f", n*l/1000}') s (latency in ms); parse adds the figure below per date."
echo "parse, one core (taskset -c 0):"
taskset -c 0 java -cp "$jar" dev.speedup.jobs.bench.ParseBench 50 15
