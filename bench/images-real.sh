#!/usr/bin/env bash
# The image workload on real-world files (photos and wallpapers, JPEG/PNG/WebP) against libvips'
# vipsthumbnail and Pillow's draft() + box resize, each with 2 processes, in one run on the same files.
# Also: peak RSS of `images` with 8 threads and -Xmx384m on the same files.
#
# Usage: bench/images-real.sh DIR [REPEATS=5]
#   DIR: the images. The README's set: apt-get install -y gnome-backgrounds plasma-workspace-wallpapers desktop-base,
#   then every distinct file over 20 KB under /usr/share/{backgrounds,wallpapers,desktop-base,pixmaps} copied into DIR.
# Needs: the jar (mvn -B -q package -DskipTests); apt-get install -y libvips-tools python3-pil python3-numpy
# Prints a Markdown table of whole-process wall times (medians over REPEATS, /usr/bin/time), user and system
# CPU and peak RSS. Outputs go under $TMPDIR (default /tmp): TMPDIR=/dev/shm leaves the disk's cost of creating
# files out, for all methods alike,
# then what each format costs the decoders alone on one thread (FormatBench).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/lib.sh"
data=$(realpath "${1:?usage: bench/images-real.sh DIR [REPEATS]}"); repeats=${2:-5}
jar=$root/jobs/target/speedup.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
count=$(find "$data" -type f \( -iname '*.jpeg' -o -iname '*.jpg' -o -iname '*.png' -o -iname '*.webp' \) | wc -l)
echo "files: $data ($count images: $(find "$data" -type f | sed 's/.*\.//' | tr 'A-Z' 'a-z' | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')$(du -sh "$data" | cut -f1)), $repeats repeats, $(nproc) cores, $(java -version 2>&1 | head -1)"

"$root/bin/speedup" images --input="$data" --output="$work/warm" >/dev/null 2>&1 # the class-data archive, the page cache

declare -A cmds
order=()
add() { order+=("$1"); cmds[$1]=$2; }
add "vipsthumbnail, 2 processes" "vips_thumbnails $data $work/vips 2"
add "pillow draft, pool of 2" "/usr/bin/python3 $talk/talk_resize.py draft $data 2 $work/py-draft"
add "java threads (2 threads)" "$root/bin/speedup images --maxFailures=100% --input=$data @$root/run-configs/threads.args --targetParallelism=2 --output=$work/j-t2"
add "java threads (2), plain java -jar" "java -jar $jar images --maxFailures=100% --input=$data @$root/run-configs/threads.args --targetParallelism=2 --output=$work/j-plain"
# Every method starts from an empty output folder, so each creates its files alike.
declare -A output=(["vipsthumbnail, 2 processes"]=vips ["pillow draft, pool of 2"]=py-draft
  ["java threads (2 threads)"]=j-t2 ["java threads (2), plain java -jar"]=j-plain)
before_each() { rm -rf "${work:?}/${output[$1]:?}"; }
after_each() { record_made "$1"; }
run_rounds

ref() { stats "$1" | cut -d' ' -f1; }
echo
table "$count"
t2=$(ref "java threads (2 threads)")
echo
echo "java threads(2) vs vipsthumbnail(2): $(awk -v a="$(ref 'vipsthumbnail, 2 processes')" -v b="$t2" 'BEGIN {printf "%.2fx", a/b}') (target: >= 1.00x)"
echo "java threads(2) vs pillow draft(2): $(awk -v a="$(ref 'pillow draft, pool of 2')" -v b="$t2" 'BEGIN {printf "%.2fx", a/b}') (target: > 1.00x)"
made_line "$count"
grep -h 'succeeded' "$work/out" | tail -1 || true

JAVA_OPTS=-Xmx384m /usr/bin/time -f "%e %M" -o "$work/time" "$root/bin/speedup" images --input="$data" \
  @"$root/run-configs/threads.args" --targetParallelism=8 --output="$work/small-heap" > "$work/out" 2>&1 || { tail -5 "$work/out" >&2; exit 1; }
read -r wall rss < "$work/time"
echo "8 threads, -Xmx384m: ${wall} s, peak RSS $((rss / 1024)) MB (target: <= 512 MB); $(grep -o '[0-9]* succeeded' "$work/out" | tail -1), $(grep -o '[0-9]* failed' "$work/out" | tail -1)"

# What each format costs the decoders alone, one thread, with the settings bin/speedup gives `images`.
images_jvm
env "${images_env[@]}" java "${images_flags[@]}" -cp "$jar" dev.speedup.jobs.bench.FormatBench "$data" "$repeats"
