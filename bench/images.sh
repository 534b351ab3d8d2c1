#!/usr/bin/env bash
# Benchmark of the image workload: `images` in each mode against the talk's Pillow methods and libvips'
# vipsthumbnail, side by side in one run, on the same generated corpus.
#
# Usage: bench/images.sh [IMAGES=1000] [REPEATS=3] [BIG=0]
#   BIG > 0 also resizes a corpus of BIG images with -Xmx512m and reports its peak RSS.
# Needs: the jar (mvn -B -q package -DskipTests); for the baselines:
#   apt-get install -y python3-pil python3-numpy libvips-tools
# Prints a Markdown table of whole-process wall times (medians over REPEATS, /usr/bin/time), user and system
# CPU and peak RSS. Outputs go under $TMPDIR (default /tmp): TMPDIR=/dev/shm leaves the disk's cost of creating
# files out, for all methods alike.
# Runs are interleaved round by round so drift hits every method alike.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/lib.sh"
count=${1:-1000}; repeats=${2:-3}; big=${3:-0}
jar=$root/jobs/target/speedup.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
corpus=$root/target/bench-corpus/n$count
if [ ! -f "$corpus/.complete" ]; then
  java -jar "$jar" make-images --output="$corpus" --count="$count" --seed=42 >&2
  touch "$corpus/.complete"
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# Every method reads chest_xray/ itself: the talk's script chokes on the archive's __MACOSX/._* files
# (our job skips them), so they are left out for all alike.
data=$corpus/chest_xray
echo "corpus: $corpus ($count images, $(du -sh "$corpus/chest_xray" | cut -f1)), $repeats repeats, $(nproc) cores, $(java -version 2>&1 | head -1)"

# Warm-up: the launcher's class-data archive, and the page cache for every method alike.
"$root/bin/speedup" images --input="$data" --output="$work/warm" >/dev/null 2>&1

declare -A cmds
order=()
add() { order+=("$1"); cmds[$1]=$2; }
if /usr/bin/python3 -c 'import PIL, numpy' 2>/dev/null; then
  add "pillow loop (talk)" "/usr/bin/python3 $talk/talk_resize.py loop $data 1 $work/py-seq"
  add "pillow pool, 2 processes (talk)" "/usr/bin/python3 $talk/talk_resize.py processes $data 2 $work/py-pool"
else
  echo "(pillow baselines skipped: apt-get install -y python3-pil python3-numpy)"
fi
if command -v vipsthumbnail >/dev/null; then
  add "vipsthumbnail, 2 processes" "vips_thumbnails $data $work/vips 2"
else
  echo "(vips baseline skipped: apt-get install -y libvips-tools)"
fi
j="$root/bin/speedup images --maxFailures=100% --input=$data"
add "java sequential (1 thread)" "$j @$root/run-configs/sequential.args --output=$work/j-seq"
add "java threads (2 threads)" "$j @$root/run-configs/threads.args --targetParallelism=2 --output=$work/j-t2"
add "java threads (2), plain java -jar" "java -jar $jar images --maxFailures=100% --input=$data @$root/run-configs/threads.args --targetParallelism=2 --output=$work/j-plain"

# Every method starts from an empty output folder, so each creates its thousand files alike.
declare -A output=(["pillow loop (talk)"]=py-seq ["pillow pool, 2 processes (talk)"]=py-pool ["vipsthumbnail, 2 processes"]=vips
  ["java sequential (1 thread)"]=j-seq ["java threads (2 threads)"]=j-t2 ["java threads (2), plain java -jar"]=j-plain)
before_each() { rm -rf "${work:?}/${output[$1]:?}"; }
after_each() { record_made "$1"; }
run_rounds
for d in j-t2 j-plain; do
  diff -rq "$work/j-seq/images" "$work/$d/images" >/dev/null && cmp -s "$work/j-seq/manifest.csv" "$work/$d/manifest.csv" \
    || { echo "OUTPUT DIFFERS: $d" >&2; exit 1; }
done

ref() { stats "$1" | cut -d' ' -f1; }
echo
table "$count"
t2=$(ref "java threads (2 threads)"); seq=$(ref "java sequential (1 thread)")
echo
echo "java threads(2) vs java sequential: $(awk -v a="$seq" -v b="$t2" 'BEGIN {printf "%.2fx", a/b}')"
grep -q '^pillow pool' "$work/results" && echo "java threads(2) vs pillow pool(2): $(awk -v a="$(ref 'pillow pool, 2 processes (talk)')" -v b="$t2" 'BEGIN {printf "%.2fx", a/b}')"
grep -q '^vipsthumbnail' "$work/results" && echo "java threads(2) vs vipsthumbnail(2): $(awk -v a="$(ref 'vipsthumbnail, 2 processes')" -v b="$t2" 'BEGIN {printf "%.2fx", a/b}')"
made_line "$count"

echo
echo "Decoding alone, one core (shipped shrink-on-load path vs ImageIO's full decode, same files, same downscale):"
images_jvm
taskset -c 0 env "${images_env[@]}" java "${images_flags[@]}" -cp "$jar" dev.speedup.jobs.bench.DecodeBench "$data" 300 5
echo "The same, on 2 threads against 1 (JVM settings as bin/speedup gives images):"
env "${images_env[@]}" java "${images_flags[@]}" -cp "$jar" dev.speedup.jobs.bench.DecodeBench "$data" 300 7 2

if [ "$big" -gt 0 ]; then
  bigc=$root/target/bench-corpus/n$big
  if [ ! -f "$bigc/.complete" ]; then
    java -jar "$jar" make-images --output="$bigc" --count="$big" --seed=42 >&2
    touch "$bigc/.complete"
  fi
  JAVA_OPTS=-Xmx512m /usr/bin/time -f "%e %M" -o "$work/time" "$root/bin/speedup" images --input="$bigc/chest_xray" --npy \
    @"$root/run-configs/threads.args" --targetParallelism=2 --output="$work/big" > "$work/out" 2>&1 || { tail -5 "$work/out" >&2; exit 1; }
  read -r wall rss < "$work/time"
  echo
  echo "$big images with -Xmx512m (threads, 2, --npy): completed in ${wall} s, peak RSS $((rss / 1024)) MB; $(grep -o '[0-9]* succeeded' "$work/out"), $(grep -o '[0-9]* failed' "$work/out" | head -1)"
fi
