#!/usr/bin/env bash
# The fetch engine against a server the project did not write: nginx serving the stand-in's documents as
# static files, each answer held back 50 ms (the echo module's echo_sleep), so every method sees the same
# server. Compares `fetch` (async preset, through bin/speedup and plain java -jar) with the talk's best
# method, Python asyncio + aiohttp at 64 in flight (talk_fetch.py, as `compare` runs it), and prints figures issue 17 asks for: whole-process
# wall, the pipeline's own seconds (summary.json), CPU seconds, peak RSS, and the rate of bodies.
#
# Usage: bench/fetch-static.sh [DATES=400] [REPEATS=5] [MORE_DATES=4000]
#   MORE_DATES: one extra async run at that many dates, for how RSS grows with dates (0 = skip).
#   STATIC_GZIP=1 (environment): nginx sends each document gzip-compressed to clients that accept it (all
#   three methods ask by default), as a CDN would; "bodies MB/s" then counts the compressed bytes.
#   STATIC_TLS=1 (environment): nginx serves https (TLS 1.2/1.3, a certificate for 127.0.0.1 made for the run and
#   trusted by every method through JAVA_OPTS, SSL_CERT_FILE and CURL_CA_BUNDLE), as the real API is served.
# Needs: the jar (mvn -B -q package -DskipTests); apt-get install -y nginx libnginx-mod-http-echo
#   python3-aiohttp curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dates=${1:-400}; repeats=${2:-5}; more=${3:-4000}
jar=$root/jobs/target/speedup.jar
. "$root/bench/lib.sh"
pybench=$talk/talk_fetch.py
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $fixture 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
fixture=
total=$(( dates > more ? dates : more ))

static_api "$total" # sets api
echo "nginx $(nginx -v 2>&1 | cut -d/ -f2) at $api (50 ms per answer${STATIC_GZIP:+, gzip-compressed when asked}${STATIC_TLS:+, TLS}), $dates dates, $repeats repeats, $(nproc) cores, $(java -version 2>&1 | head -1)"

declare -A cmds; order=()
add() { order+=("$1"); cmds[$1]=$2; }
add "python asyncio (64 in flight)" "/usr/bin/python3 $pybench asyncio $api 2020-06-01 $dates 64"
add "bin/speedup fetch async (2 x 64)" "$root/bin/speedup fetch --maxFailures=100% --apiUrl=$api --days=$dates @$root/run-configs/async.args --output=$work/o-async"
add "java -jar fetch async (2 x 64)" "java ${JAVA_OPTS:-} -jar $jar fetch --maxFailures=100% --apiUrl=$api --days=$dates @$root/run-configs/async.args --output=$work/o-plain"
"$root/bin/speedup" fetch --apiUrl="$api" --days=8 --output="$work/warm" >/dev/null 2>&1 # the launcher's class-data archive

for r in $(seq 1 "$repeats"); do
  for name in "${order[@]}"; do
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" bash -c "${cmds[$name]}" > "$work/out" 2>&1 \
      || { echo "FAILED: $name" >&2; tail -5 "$work/out" >&2; exit 1; }
    read -r wall rss user sys < "$work/time"
    pipe=-; bytes=0
    case $name in
      bin/*) s=$work/o-async/summary.json ;;
      java*) s=$work/o-plain/summary.json ;;
      *) s= ;;
    esac
    # The job's summary, or the Python script's last line: its failed dates (and the job's pipeline and bytes).
    if [ -n "$s" ]; then read -r failed pipe bytes < <(python3 -c "import json; j=json.load(open('$s')); print(j['failed'], j['pipelineSeconds'], j['bytes'])")
    else failed=$(python3 -c "import json; print(json.loads(open('$work/out').read().strip().splitlines()[-1])['failed'])"); fi
    # A method whose dates failed (an untrusted certificate, a server gone) would time something else.
    [ "$failed" = 0 ] || { echo "FAILED: $name: $failed of $dates dates failed" >&2; tail -5 "$work/out" >&2; exit 1; }
    echo "$name|$wall|$rss|$(awk -v u="$user" -v s="$sys" 'BEGIN {print u+s}')|$pipe|$bytes" >> "$work/results"
    printf '  round %d  %-36s %6.2f s wall, pipeline %s s\n' "$r" "$name" "$wall" "$pipe" >&2
  done
done
cmp -s "$work/o-async/station-days.csv" "$work/o-plain/station-days.csv" || { echo "OUTPUTS DIFFER" >&2; exit 1; }

med() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { grep -F "$1|" "$work/results" | cut -d'|' -f"$2"; }
ref=$(col "python asyncio (64 in flight)" 2 | med)
echo
echo "| method | median wall s | pipeline s (median) | CPU s (median) | peak RSS MB | bodies MB/s in the pipeline | vs python asyncio |"
echo "|---|---|---|---|---|---|---|"
for name in "${order[@]}"; do
  w=$(col "$name" 2 | med); c=$(col "$name" 4 | med); rss=$(( $(col "$name" 3 | sort -n | tail -1) / 1024 ))
  p=$(col "$name" 5 | grep -v -- "^-$" | med || true); b=$(col "$name" 6 | sort -n | tail -1)
  [ "$p" = 0 ] && [ "$b" = 0 ] && p=
  rate=-; [ -n "$p" ] && rate=$(awk -v b="$b" -v p="$p" 'BEGIN {printf "%.0f", b/1e6/p}')
  printf '| %s | %.2f | %s | %.2f | %d | %s | %.2fx |\n' "$name" "$w" "${p:--}" "$c" "$rss" "$rate" "$(awk -v a="$ref" -v b="$w" 'BEGIN {print a/b}')"
done
if [ "$more" -gt 0 ]; then
  /usr/bin/time -f "%e %M" -o "$work/time" "$root/bin/speedup" fetch --apiUrl="$api" --days="$more" @"$root/run-configs/async.args" \
    --output="$work/o-more" > /dev/null 2>&1
  read -r wall rss < "$work/time"
  echo
  echo "RSS as dates grow (bin/speedup, async): $dates dates $(( $(col "bin/speedup fetch async (2 x 64)" 3 | sort -n | tail -1) / 1024 )) MB, $more dates $(( rss / 1024 )) MB ($wall s wall)"
fi
