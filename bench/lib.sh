# Shared by the benchmark scripts (sourced, not run).
# The caller fills `order` (names, in run order) and `cmds` (name -> command), and sets `repeats` and
# `work`; it may define `before_each` (run before every timed command, untimed, given the method's name) and
# `after_each` (run after it, given the name, with its output in $work/out: to check what the run did).

# Runs every command `repeats` times, interleaved round by round so drift hits every method alike,
# each timed as a whole process by /usr/bin/time; appends "name|wall seconds|peak RSS KB|user CPU s|system
# CPU s" to $work/results. System CPU is mostly the filesystem's: creating a thousand output files costs from
# 0.03 to 1 ms each on an ext4 VM, depending on the disk's state, so it is shown apart from user CPU.
run_rounds() {
  local r name wall rss user sys
  for r in $(seq 1 "$repeats"); do
    for name in "${order[@]}"; do
      if declare -F before_each >/dev/null; then before_each "$name"; fi
      /usr/bin/time -f "%e %M %U %S" -o "$work/time" bash -c "${cmds[$name]}" > "$work/out" 2>&1 \
        || { echo "FAILED: $name" >&2; tail -5 "$work/out" >&2; exit 1; }
      read -r wall rss user sys < "$work/time"
      if declare -F after_each >/dev/null; then after_each "$name"; fi
      echo "$name|$wall|$rss|$user|$sys" >> "$work/results"
      printf '  round %d  %-36s %6.2f s\n' "$r" "$name" "$wall" >&2
    done
  done
}

# For the image benches (their `output` map names each method's folder): how many thumbnails a method's run
# made, kept per method; made_line TOTAL prints them, so a baseline that skipped or failed files shows.
record_made() {
  echo "$1|$(find "${work:?}/${output[$1]:?}" -name '*.png' -type f 2>/dev/null | wc -l)" >> "$work/made"
}
made_line() {
  local name line=""
  for name in "${order[@]}"; do
    line+="${line:+; }$name: $(grep -F "$name|" "$work/made" | tail -1 | cut -d'|' -f2)"
  done
  echo "thumbnails made in the last round, of $1 inputs: $line"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# "median min max peakRssMB" of one method's runs.
stats() {
  local walls
  walls=$(grep -F "$1|" "$work/results" | cut -d'|' -f2)
  printf '%s %s %s %d\n' "$(echo "$walls" | median)" "$(echo "$walls" | sort -n | head -1)" \
    "$(echo "$walls" | sort -n | tail -1)" $(( $(grep -F "$1|" "$work/results" | cut -d'|' -f3 | sort -n | tail -1) / 1024 ))
}

# The median of one method's column $2 of $work/results (4: user CPU, 5: system CPU).
column_median() { grep -F "$1|" "$work/results" | cut -d'|' -f"$2" | median; }

# The Markdown table of every method's median, range and peak RSS, with throughput for $1 images.
table() {
  local name m lo hi rss
  echo "| method | median wall s (whole process) | min..max | user CPU s | system CPU s | peak RSS MB | images/s |"
  echo "|---|---|---|---|---|---|---|"
  for name in "${order[@]}"; do
    read -r m lo hi rss <<< "$(stats "$name")"
    printf '| %s | %.2f | %.2f..%.2f | %.2f | %.2f | %d | %.0f |\n' "$name" "$m" "$lo" "$hi" "$(column_median "$name" 4)" \
      "$(column_median "$name" 5)" "$rss" "$(awk -v n="$1" -v w="$m" 'BEGIN {print n/w}')"
  done
}

# The baselines, all in this repository: the talk's Python methods (the same scripts `compare` runs) and
# libvips' vipsthumbnail (Debian's libvips-tools), the fastest common thumbnailer.
talk=$root/jobs/src/main/resources/baselines

# vipsthumbnail over every image under IN, 64x64 PNGs into OUT (flat names), W processes, many files each.
# A process whose list held a file vipsthumbnail could not read exits 255, on which xargs returns at once and
# leaves the other processes running: each is wrapped so that xargs waits for all (the files it could not read
# are simply missing from OUT).
vips_thumbnails() {
  local in=$1 out=$2 w=$3 n
  mkdir -p "$out"
  n=$(find "$in" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.webp' \) | wc -l)
  find "$in" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.webp' \) -print0 |
    xargs -0 -n $(( (n + w - 1) / w )) -P "$w" sh -c 'vipsthumbnail --size "64x64!" -o "$0" "$@" || true' "$(realpath -m "$out")/%s.png"
}
export -f vips_thumbnails

# The JVM flags (jvm_flags) and environment (jvm_env) that bin/speedup gives COMMAND, for benches that run a
# class of the jar (or a harness) directly: asked of bin/speedup itself, so the rule lives in one script.
speedup_jvm() {
  local kind value
  jvm_flags=(); jvm_env=()
  while read -r kind value; do
    case $kind in
      flag) jvm_flags+=("$value") ;;
      env) jvm_env+=("$value") ;;
    esac
  done < <(SPEEDUP_PRINT_SETTINGS=1 "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin/speedup" "$1")
}

# The same for `images`, as images_flags and images_env.
images_jvm() {
  speedup_jvm images
  images_flags=("${jvm_flags[@]}"); images_env=("${jvm_env[@]}")
}

# The stand-in's first $1 v1 documents (from 2020-06-01), written once by the stand-in (no latency), then
# served as static files by nginx alone (Debian's nginx and libnginx-mod-http-echo), each answer held back
# 50 ms. Sets `api`; uses `jar` and `work`; the caller's EXIT trap kills $fixture and $work/nginx.pid.
static_api() {
  [ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || { echo "needs: apt-get install -y nginx libnginx-mod-http-echo curl" >&2; exit 1; }
  java -jar "$jar" serve-fixtures --port=0 --latency=0ms --lifetime=1h > "$work/fixture.log" 2>&1 &
  fixture=$!
  for _ in $(seq 1 100); do grep -q '^serving' "$work/fixture.log" 2>/dev/null && break; sleep 0.2; done
  src=$(grep -m1 -o 'http://127.0.0.1:[0-9]*/v1/environment/air-temperature' "$work/fixture.log")
  mkdir -p "$work/docs"; chmod a+rx "$work" "$work/docs" # nginx workers run as another user
  for i in $(seq 0 $(( $1 - 1 ))); do date -u -d "2020-06-01 + $i days" +%F; done \
    | xargs -P 2 -I{} curl -sf -o "$work/docs/{}.json" "$src?date={}"
  kill $fixture; fixture=
  # STATIC_GZIP=1: each document also kept gzip-compressed (level 6), sent as it is to clients that accept
  # gzip (nginx's gzip_static), as a CDN in front of an API sends them.
  if [ "${STATIC_GZIP:-}" = 1 ]; then
    find "$work/docs" -name '*.json' -print0 | xargs -0 -P 2 -n 100 gzip -6 -k -f
  fi

  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # STATIC_TLS=1: https, as the real API is served: TLS 1.2/1.3 with a certificate for 127.0.0.1 made here,
  # which the JVMs (JAVA_OPTS' trust store), Python (SSL_CERT_FILE) and curl trust; nothing else does.
  local scheme=http tls=
  if [ "${STATIC_TLS:-}" = 1 ]; then
    scheme=https
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
      -keyout "$work/tls-key.pem" -out "$work/tls-cert.pem" 2>/dev/null
    keytool -importcert -noprompt -alias bench -file "$work/tls-cert.pem" -keystore "$work/tls-trust.p12" \
      -storetype PKCS12 -storepass benchpass >/dev/null 2>&1
    export SSL_CERT_FILE=$work/tls-cert.pem CURL_CA_BUNDLE=$work/tls-cert.pem
    export JAVA_OPTS="${JAVA_OPTS:+$JAVA_OPTS }-Djavax.net.ssl.trustStore=$work/tls-trust.p12 -Djavax.net.ssl.trustStorePassword=benchpass"
    tls=" ssl; ssl_certificate $work/tls-cert.pem; ssl_certificate_key $work/tls-key.pem; ssl_protocols TLSv1.2 TLSv1.3"
  fi
  cat > "$work/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$port backlog=4096$tls;
    location = /v1/environment/air-temperature { echo_sleep 0.05; echo_exec /docs/\$arg_date.json; }
    location /docs/ { internal; root $work; default_type application/json;${STATIC_GZIP:+ gzip_static on;} }
  }
}
CONF
  nginx -c "$work/nginx.conf"
  api="$scheme://127.0.0.1:$port/v1/environment/air-temperature"
  curl -sf -o /dev/null "$api?date=2020-06-01" || { cat "$work/nginx-error.log" >&2; exit 1; }
}
