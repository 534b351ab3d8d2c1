#!/usr/bin/env bash
# fetch --api=v2 against a server the project did not write: nginx serving the stand-in's v2 pages as static
# files, the page picked by ?date= and ?paginationToken= (rewrite), rate-limited by nginx's own limit_req
# (429 past RATE requests/s, no Retry-After: the client's backoff has to do). Checks that every page was
# followed by comparing station-days.csv with a v1 run of the same dates, and prints requests, pages,
# retries, 429s answered and wall time.
#
# Usage: [FETCH_FLAGS=--rateLimit=9] bench/fetch-v2-static.sh [DATES=30] [RATE=20]
# Needs: the jar (mvn -B -q package -DskipTests); apt-get install -y nginx curl python3.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dates=${1:-30}; rate=${2:-20}
jar=$root/jobs/target/speedup.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
command -v nginx >/dev/null || { echo "needs: apt-get install -y nginx" >&2; exit 1; }
work=$(mktemp -d); fixture=
trap 'kill $fixture 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

# The pages, written once by the stand-in and crawled by following each page's paginationToken.
java -jar "$jar" serve-fixtures --port=0 --latency=0ms --lifetime=1h > "$work/fixture.log" 2>&1 &
fixture=$!
for _ in $(seq 1 100); do grep -q '/v2/' "$work/fixture.log" 2>/dev/null && break; sleep 0.2; done
src=$(grep -m1 -o 'http://127.0.0.1:[0-9]*/v2/real-time/api/air-temperature' "$work/fixture.log")
mkdir -p "$work/docs"; chmod a+rx "$work" "$work/docs" # nginx workers run as another user
python3 - "$src" "$work/docs" "$dates" <<'PY'
import datetime, json, os, sys, urllib.parse, urllib.request
src, docs, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
pages = 0
for i in range(n):
    day = (datetime.date(2020, 6, 1) + datetime.timedelta(days=i)).isoformat()
    os.makedirs(os.path.join(docs, day)); os.chmod(os.path.join(docs, day), 0o755)
    token, name = None, "first"
    while True:
        url = src + "?date=" + day + ("" if token is None else "&paginationToken=" + urllib.parse.quote(token))
        body = urllib.request.urlopen(url).read()
        with open(os.path.join(docs, day, name + ".json"), "wb") as f:
            f.write(body)
        pages += 1
        token = json.loads(body)["data"].get("paginationToken")
        if not token:
            break
        name = token
print(f"crawled {pages} pages of {n} dates from the stand-in")
PY
kill $fixture; fixture=

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  log_format page '\$status';
  access_log $work/access.log page;
  limit_req_zone \$server_port zone=api:1m rate=${rate}r/s;
  limit_req_status 429;
  server {
    listen 127.0.0.1:$port;
    # At server level: the rewrite below moves the request to another location before limit_req's phase.
    limit_req zone=api burst=5 nodelay;
    location = /v2/real-time/api/air-temperature {
      if (\$arg_paginationToken = "") { rewrite ^ /docs/\$arg_date/first.json last; }
      rewrite ^ /docs/\$arg_date/\$arg_paginationToken.json last;
    }
    location /docs/ { internal; root $work; default_type application/json; }
  }
}
CONF
nginx -c "$work/nginx.conf"
api="http://127.0.0.1:$port/v2/real-time/api/air-temperature"
curl -sf -o /dev/null "$api?date=2020-06-01" || { cat "$work/nginx-error.log" >&2; exit 1; }
: > "$work/access.log"
echo "nginx $(nginx -v 2>&1 | cut -d/ -f2) at $api (limit_req ${rate} r/s, burst 5, 429), $dates dates, $(nproc) cores"

start=$(date +%s.%N)
set +e
"$root/bin/speedup" fetch @"$root/run-configs/async.args" --api=v2 --apiUrl="$api" --days="$dates" --maxAttempts=20 ${FETCH_FLAGS:-} \
  --output="$work/v2" > "$work/v2.out" 2> "$work/v2.err"
code=$?
set -e
wall=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
cat "$work/v2.out"
"$root/bin/speedup" fetch --api=v1 --days="$dates" --fixtureLatency=0ms --output="$work/v1" > /dev/null 2>&1
python3 - "$work" "$code" "$wall" <<'PY'
import json, sys, collections
work, code, wall = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = json.load(open(f"{work}/v2/summary.json"))
statuses = collections.Counter(l.strip() for l in open(f"{work}/access.log"))
same = open(f"{work}/v2/station-days.csv").read() == open(f"{work}/v1/station-days.csv").read()
print(f"exit {code}; wall {wall} s; {s['succeeded']}/{s['inputs']} dates; pages {s['pages']}; requests {s['requests']};"
      f" retries {s['retries']}; nginx answered {dict(statuses)}")
print("station-days.csv identical to the v1 run's: " + ("yes" if same else "NO"))
sys.exit(0 if same and code == 0 else 1)
PY
