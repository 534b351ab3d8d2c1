#!/usr/bin/env bash
# The HTTP clients alone, side by side (issue 17 asks which client to use, by measurement): the JDK's client
# (what HttpFetch uses) and Jetty 12's, each fetching the same documents from nginx (static_api in lib.sh:
# the stand-in's documents, 50 ms per answer) with the same requests in flight, reading every body chunk by
# chunk and parsing nothing (bench/HttpClientBench.java), under the JVM settings bin/speedup gives `fetch`.
# curl's parallel mode over the same URLs gives the floor: what moving these bytes costs outside a JVM.
# Prints per method the median whole-process wall, the transfer's own seconds (first request to last body),
# CPU seconds and peak RSS.
#
# Usage: bench/http-clients.sh [DATES=400] [REPEATS=5] [IN_FLIGHT=128]
# Needs: the jar (mvn -B -q package -DskipTests); apt-get install -y nginx libnginx-mod-http-echo curl.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dates=${1:-400}; repeats=${2:-5}; inflight=${3:-128}
jar=$root/jobs/target/speedup.jar
. "$root/bench/lib.sh"
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $fixture 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
fixture=
static_api "$dates" # sets api

# Jetty's client at the version of the stand-in's Jetty server, resolved from the registry like any dependency.
jetty=$(sed -n 's:.*<jetty.version>\(.*\)</jetty.version>.*:\1:p' "$root/pom.xml")
mkdir -p "$work/harness"
cat > "$work/harness/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>http-clients</artifactId><version>0</version>
  <dependencies>
    <dependency><groupId>org.eclipse.jetty</groupId><artifactId>jetty-client</artifactId><version>$jetty</version></dependency>
  </dependencies>
</project>
POM
mvn -B -q -f "$work/harness/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/harness/cp.txt" > "$work/mvn.log" 2>&1 \
  || { cat "$work/mvn.log" >&2; exit 1; }
cp="$(cat "$work/harness/cp.txt"):$work/harness"
javac -d "$work/harness" -cp "$cp" "$root/bench/HttpClientBench.java"
speedup_jvm fetch
for i in $(seq 0 $(( dates - 1 ))); do
  printf 'url = "%s?date=%s"\noutput = "/dev/null"\n' "$api" "$(date -u -d "2020-06-01 + $i days" +%F)"
done > "$work/curl.cfg"
echo "nginx $(nginx -v 2>&1 | cut -d/ -f2) at $api (50 ms per answer), $dates documents, $inflight in flight, $repeats repeats, $(nproc) cores, $(java -version 2>&1 | head -1), jetty-client $jetty, JVM settings of bin/speedup fetch: ${jvm_flags[*]}"

declare -A cmds; order=()
add() { order+=("$1"); cmds[$1]=$2; }
add "curl --parallel (the floor)" "curl -sf --parallel --parallel-max $inflight -K $work/curl.cfg"
for client in jdk jetty; do
  add "$client client" "env ${jvm_env[*]:-} java ${jvm_flags[*]} -cp $cp HttpClientBench $client $api $dates $inflight"
done

for r in $(seq 1 "$repeats"); do
  for name in "${order[@]}"; do
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" bash -c "${cmds[$name]}" > "$work/out" 2>&1 \
      || { echo "FAILED: $name" >&2; tail -5 "$work/out" >&2; exit 1; }
    read -r wall rss user sys < "$work/time"
    line=$(grep -m1 'bodies=' "$work/out" || true)
    if [ -n "$line" ]; then
      [[ $line == *" failed=0 "* ]] || { echo "FAILED requests: $line" >&2; exit 1; }
      transfer=$(sed 's/.* seconds=\([0-9.]*\).*/\1/' <<< "$line"); bytes=$(sed 's/.* bytes=\([0-9]*\).*/\1/' <<< "$line")
    else
      transfer=$wall; bytes=$(du -cb "$work"/docs/*.json | tail -1 | cut -f1)
    fi
    echo "$name|$wall|$rss|$(awk -v u="$user" -v s="$sys" 'BEGIN {print u+s}')|$transfer|$bytes" >> "$work/results"
    printf '  round %d  %-28s %6.2f s wall, transfer %s s\n' "$r" "$name" "$wall" "$transfer" >&2
  done
done

col() { grep -F "$1|" "$work/results" | cut -d'|' -f"$2"; }
echo
echo "| method | median wall s (whole process) | transfer s (median) | CPU s (median, whole process) | peak RSS MB | MB/s in the transfer |"
echo "|---|---|---|---|---|---|"
for name in "${order[@]}"; do
  w=$(col "$name" 2 | median); t=$(col "$name" 5 | median); c=$(col "$name" 4 | median)
  rss=$(( $(col "$name" 3 | sort -n | tail -1) / 1024 )); b=$(col "$name" 6 | sort -n | tail -1)
  printf '| %s | %.2f | %.2f | %.2f | %d | %.0f |\n' "$name" "$w" "$t" "$c" "$rss" "$(awk -v b="$b" -v t="$t" 'BEGIN {print b/1e6/t}')"
done
