# Shared by the benchmark scripts (sourced, not run).
# The caller fills `order` (names, in run order) and `cmds` (name -> command), and sets `repeats` and
# `work`; it may define `before_each` (run before every timed command, untimed).

# Runs every command `repeats` times, interleaved round by round so drift hits every method alike,
# each timed as a whole process by /usr/bin/time; appends "name|wall seconds|peak RSS KB" to $work/results.
run_rounds() {
  local r name wall rss
  for r in $(seq 1 "$repeats"); do
    for name in "${order[@]}"; do
      if declare -F before_each >/dev/null; then before_each; fi
      /usr/bin/time -f "%e %M" -o "$work/time" bash -c "${cmds[$name]}" > "$work/out" 2>&1 \
        || { echo "FAILED: $name" >&2; tail -5 "$work/out" >&2; exit 1; }
      read -r wall rss < "$work/time"
      echo "$name|$wall|$rss" >> "$work/results"
      printf '  round %d  %-36s %6.2f s\n' "$r" "$name" "$wall" >&2
    done
  done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# "median min max peakRssMB" of one method's runs.
stats() {
  local walls
  walls=$(grep -F "$1|" "$work/results" | cut -d'|' -f2)
  printf '%s %s %s %d\n' "$(echo "$walls" | median)" "$(echo "$walls" | sort -n | head -1)" \
    "$(echo "$walls" | sort -n | tail -1)" $(( $(grep -F "$1|" "$work/results" | cut -d'|' -f3 | sort -n | tail -1) / 1024 ))
}

# The Markdown table of every method's median, range and peak RSS, with throughput for $1 images.
table() {
  local name m lo hi rss
  echo "| method | median wall s (whole process) | min..max | peak RSS MB | images/s |"
  echo "|---|---|---|---|---|"
  for name in "${order[@]}"; do
    read -r m lo hi rss <<< "$(stats "$name")"
    printf '| %s | %.2f | %.2f..%.2f | %d | %.0f |\n' "$name" "$m" "$lo" "$hi" "$rss" "$(awk -v n="$1" -v w="$m" 'BEGIN {print n/w}')"
  done
}

# The baselines, all in this repository: the talk's Python methods (the same scripts `compare` runs) and
# libvips' vipsthumbnail (Debian's libvips-tools), the fastest common thumbnailer.
talk=$root/jobs/src/main/resources/baselines

# vipsthumbnail over every image under IN, 64x64 PNGs into OUT (flat names), W processes, many files each.
vips_thumbnails() {
  local in=$1 out=$2 w=$3 n
  mkdir -p "$out"
  n=$(find "$in" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.webp' \) | wc -l)
  find "$in" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.webp' \) -print0 |
    xargs -0 -n $(( (n + w - 1) / w )) -P "$w" vipsthumbnail --size '64x64!' -o "$(realpath -m "$out")/%s.png"
}
export -f vips_thumbnails

# The JVM flags (images_flags) and environment (images_env) that bin/speedup gives `images`, for benches that
# run a class of the jar directly: asked of bin/speedup itself, so the rule lives in one script.
images_jvm() {
  local kind value
  images_flags=(); images_env=()
  while read -r kind value; do
    case $kind in
      flag) images_flags+=("$value") ;;
      env) images_env+=("$value") ;;
    esac
  done < <(SPEEDUP_PRINT_SETTINGS=1 "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin/speedup" images)
}
