#!/usr/bin/env bash
# Benchmark of the runners: both jobs on sequential, threads, flink-local and flink-cluster (parallelism 2)
# on the same inputs, each run split into start-up/submission and pipeline time (summary.json: start-up is
# JVM start to the pipeline's first element, pipeline is first to last element); then the overhead of
# each runner on a one-element job, and the cluster's submission with the lean job jar against the fat jar.
#
# Usage: bench/flink.sh [IMAGES=1000] [DAYS=400] [REPEATS=3]
# Needs: mvn -B -q package -DskipTests. Starts the local Flink cluster (run-configs/flink-cluster/start)
# unless one runs, and stops it at the end if it started it.
# Prints Markdown tables of medians over REPEATS; runs are interleaved round by round.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/lib.sh"
count=${1:-1000}; days=${2:-400}; repeats=${3:-3}
jar=$root/jobs/target/speedup.jar
[ -f "$jar" ] && [ -f "$root/jobs/target/speedup-job.jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
corpus=$root/target/bench-corpus/n$count
if [ ! -f "$corpus/.complete" ]; then
  java -jar "$jar" make-images --output="$corpus" --count="$count" --seed=42 >&2
  touch "$corpus/.complete"
fi
work=$(mktemp -d)
started_cluster=0
cleanup() {
  [ "$started_cluster" = 1 ] && "$root/run-configs/flink-cluster/stop" >&2 || true
  rm -rf "$work"
}
trap cleanup EXIT
if ! "$root/run-configs/flink-cluster/start" --max-lifetime=7200 | tee "$work/start" | grep -q "already running"; then
  started_cluster=1
fi
cat "$work/start" >&2
echo "corpus: $corpus ($count images), fetch: $days dates at 50 ms latency; $repeats repeats, $(nproc) cores, $(java -version 2>&1 | head -1)"

rc=$root/run-configs
s=$root/bin/speedup
declare -A cmds
order=()
add() { order+=("$1"); cmds[$1]=$2; }
# The same parallelism everywhere (2 = the cores here), one request in flight per worker for fetch.
fetch="fetch --days=$days --maxInFlight=1"
images="images --input=$corpus/chest_xray"
for w in fetch images; do
  args=${!w}
  add "$w sequential" "$s $args @$rc/sequential.args --output=$work/out/$w-sequential"
  add "$w threads" "$s $args @$rc/threads.args --targetParallelism=2 --output=$work/out/$w-threads"
  add "$w flink-local" "$s $args @$rc/flink-local.args --parallelism=2 --output=$work/out/$w-flink-local"
  add "$w flink-cluster" "$s $args @$rc/flink-cluster.args --parallelism=2 --output=$work/out/$w-flink-cluster"
done
one="fetch --days=1 --fixtureLatency=0s"
add "one-date-job sequential" "$s $one @$rc/sequential.args --output=$work/out/one-sequential"
add "one-date-job flink-local" "$s $one @$rc/flink-local.args --output=$work/out/one-flink-local"
add "one-date-job flink-cluster (lean jar)" "$s $one @$rc/flink-cluster.args --output=$work/out/one-cluster-lean"
add "one-date-job flink-cluster (fat jar)" "$s $one @$rc/flink-cluster.args --filesToStage=$jar --output=$work/out/one-cluster-fat"

# Warm-up: the launcher's class-data archive and the page cache.
"$s" $images @"$rc"/threads.args --output="$work/warm" >/dev/null 2>&1

# Each run's summary.json: start-up and pipeline seconds, appended as "name|startup|pipeline".
after_each() {
  local dir=$1 name=$2
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%s|%s|%s" % (sys.argv[2], d["startupSeconds"], d["pipelineSeconds"]))' \
    "$dir/summary.json" "$name" >>"$work/phases"
}
for r in $(seq 1 "$repeats"); do
  for name in "${order[@]}"; do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" bash -c "${cmds[$name]}" >"$work/log" 2>&1 \
      || { echo "FAILED: $name" >&2; tail -5 "$work/log" >&2; exit 1; }
    read -r wall rss <"$work/time"
    echo "$name|$wall|$rss" >>"$work/results"
    after_each "$(ls -d "$work"/out/*)" "$name"
    # Keep the first round's outputs to compare modes.
    if [ "$r" = 1 ]; then mkdir -p "$work/keep"; cp -r "$work"/out/* "$work/keep/"; fi
    printf '  round %d  %-40s %6.2f s\n' "$r" "$name" "$wall" >&2
  done
done
for w in fetch images; do
  for m in threads flink-local flink-cluster; do
    diff -r -x summary.json "$work/keep/$w-sequential" "$work/keep/$w-$m" >/dev/null || { echo "OUTPUT DIFFERS: $w $m" >&2; exit 1; }
  done
done
echo "(outputs of every mode identical to sequential, summary.json aside)"

phase() { grep -F "$1|" "$work/phases" | cut -d'|' -f"$2" | median; }
echo
echo "| job | mode | median wall s (whole process) | min..max | start-up + submission s | pipeline s | peak RSS MB (client) |"
echo "|---|---|---|---|---|---|---|"
for name in "${order[@]}"; do
  read -r med min max rss <<<"$(stats "$name")"
  printf '| %s | %s | %.2f | %.2f..%.2f | %.2f | %.2f | %d |\n' "${name%% *}" "${name#* }" "$med" "$min" "$max" \
    "$(phase "$name" 2)" "$(phase "$name" 3)" "$rss"
done
seq1=$(stats "one-date-job sequential" | cut -d' ' -f1)
echo
for m in "flink-local" "flink-cluster (lean jar)" "flink-cluster (fat jar)"; do
  printf 'overhead on a one-date job, %s vs sequential DirectRunner: %+.2f s\n' "$m" "$(awk -v a="$(stats "one-date-job $m" | cut -d' ' -f1)" -v b="$seq1" 'BEGIN{print a-b}')"
done
printf 'job jars: lean %s MB (staged), fat %s MB\n' "$(( $(stat -c %s "$root/jobs/target/speedup-job.jar") / 1048576 ))" "$(( $(stat -c %s "$jar") / 1048576 ))"
