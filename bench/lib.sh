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

# The reference baselines (the talk's Python methods, vipsthumbnail's wrapper) are not part of this project:
# BASELINES names their folder (default: the workspace's shared/bench beside the project). Checked up front,
# so a missing one says what to set instead of failing mid-run.
baselines() {
  local dir=${BASELINES:-$root/../shared/bench} f
  for f in "$@"; do
    [ -f "$dir/$f" ] || { echo "bench: baseline $f not found in $dir; set BASELINES=DIR (the folder holding $*)" >&2; exit 1; }
  done
  (cd "$dir" && pwd)
}
