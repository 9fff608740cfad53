#!/usr/bin/env bash
# Clean release build of build-ours then build-sdk, one after the other, each from an empty
# target directory of its own. Prints wall and CPU (user+sys of cargo and every rustc/cc it
# ran) times and the number of crates compiled. Dependencies are fetched first so downloads
# are not timed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${BUILD_TIME_TARGET_ROOT:-$here/target/build-time}"
mkdir -p "$out"
for crate in build-ours build-sdk; do
    (cd "$here/$crate" && cargo fetch --quiet)
done
echo "crate,wall_s,user_s,sys_s,cpu_s,crates_compiled,loadavg_before"
for crate in build-ours build-sdk; do
    target="$out/$crate"
    rm -rf "$target"
    log="$out/$crate.log"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    TIMEFORMAT='%R %U %S'
    t="$( { time (cd "$here/$crate" && CARGO_TARGET_DIR="$target" cargo build --release --offline >"$log" 2>&1) ; } 2>&1 )"
    read -r wall user sys <<<"$t"
    cpu="$(echo "$user + $sys" | bc)"
    crates="$(grep -c '^ *Compiling ' "$log" || true)"
    echo "$crate,$wall,$user,$sys,$cpu,$crates,$load"
done
