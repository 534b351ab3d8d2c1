# Shared by start and stop (sourced). cluster_pids RUN_DIR STATE_DIR: the live PIDs recorded in RUN_DIR
# whose command line is a Flink process logging under STATE_DIR, so a reused PID is never mistaken for ours.
cluster_pids() {
  local f pid found=""
  for f in "$1"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-Dlog.file=$2/log/"; then
      found="$found $pid"
    fi
  done
  echo "$found"
}
