#!/usr/bin/env bash
# Compile time for the same API: the SSO Admin crate generated from the latest botocore
# (`cargo xtask botocore-service sso-admin`, which also builds, lints and tests it) against
# aws-sdk-ssoadmin (latest 1.x). For each: build everything in release, delete the crate's own
# artifacts (`cargo clean -p`), and time the release build of that crate alone, its
# dependencies already built. Also lines of the operation modules per operation. Prints a
# Markdown table; recorded in docs/benchmarks.md. Run it under `nice` on a shared machine:
#
#   nice -n 10 bench/compile-time/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
crates="$root/target/botocore-crates"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

echo "== generating SSO Admin from the latest botocore" >&2
(cd "$root" && cargo xtask botocore-service sso-admin >&2)
ours_ops=$(find "$crates/sso-admin/src/operation" -maxdepth 1 -name '*.rs' ! -name mod.rs | wc -l)
ours_lines=$(cat "$crates/sso-admin/src/operation/"*.rs | wc -l)

own_build() { # manifest package
    CARGO_TARGET_DIR="$3" cargo build --quiet --release --manifest-path "$1" -p "$2" >&2
    CARGO_TARGET_DIR="$3" cargo clean --quiet --release --manifest-path "$1" -p "$2" >&2
    local start end
    start=$(now)
    CARGO_TARGET_DIR="$3" cargo build --quiet --release --manifest-path "$1" -p "$2" >&2
    end=$(now)
    elapsed "$start" "$end"
}

echo "== timing sso-admin (generated)" >&2
ours_time=$(own_build "$crates/Cargo.toml" sso-admin "$root/target")
echo "== timing aws-sdk-ssoadmin" >&2
sdk_time=$(own_build "$here/sdk/Cargo.toml" aws-sdk-ssoadmin "$here/sdk/target")
sdk_version=$(cd "$here/sdk" && cargo metadata --format-version 1 --quiet |
    python3 -c 'import json,sys; m=json.load(sys.stdin); print(next(p["version"] for p in m["packages"] if p["name"]=="aws-sdk-ssoadmin"))')
sdk_src=$(cd "$here/sdk" && cargo metadata --format-version 1 --quiet |
    python3 -c 'import json,os,sys; m=json.load(sys.stdin); print(os.path.dirname(next(p["manifest_path"] for p in m["packages"] if p["name"]=="aws-sdk-ssoadmin")))')
sdk_ops=$(find "$sdk_src/src/operation" -mindepth 1 -maxdepth 1 -type d | wc -l)
sdk_lines=$(find "$sdk_src/src/operation" "$sdk_src/src/operation.rs" -name '*.rs' -print0 | xargs -0 cat | wc -l)

ratio=$(echo "scale=1; $sdk_time / $ours_time" | bc)
echo "| crate | operations | own release build (deps built) | operation-module lines | lines per operation |"
echo "|---|---|---|---|---|"
printf '| sso-admin (generated) | %d | %.1f s | %d | %d |\n' "$ours_ops" "$ours_time" "$ours_lines" $((ours_lines / ours_ops))
printf '| aws-sdk-ssoadmin %s | %d | %.1f s | %d | %d |\n' "$sdk_version" "$sdk_ops" "$sdk_time" "$sdk_lines" $((sdk_lines / sdk_ops))
echo
echo "generated crate builds ${ratio}x faster"
