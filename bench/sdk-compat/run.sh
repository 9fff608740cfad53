#!/usr/bin/env bash
# Builds the compatibility programs twice, against the generated `sso_admin` crate and against
# aws-sdk-ssoadmin (the `sdk` feature), and runs each build against a fresh emulator on a free
# loopback port. Prints both reports; they are recorded in docs/sdk-compat.md.
#
#   bench/sdk-compat/run.sh          # both builds
#   bench/sdk-compat/run.sh ours     # only the sso_admin build (what CI runs)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
flavors=("${@:-ours sdk}")
read -r -a flavors <<<"${flavors[*]}"

cargo build --quiet --manifest-path "$root/Cargo.toml" -p sso-admin-emulator
emulator="$root/target/debug/sso-admin-emulator"

run_flavor() {
    local flavor="$1" features=()
    [[ "$flavor" == sdk ]] && features=(--features sdk)
    echo "## $flavor"
    local start=$SECONDS
    cargo build --quiet --manifest-path "$here/Cargo.toml" "${features[@]}"
    cargo test --quiet --manifest-path "$here/Cargo.toml" "${features[@]}" 2>&1 | grep -E '^test result' || true
    echo "(build and unit test: $((SECONDS - start)) s)"
    local out
    out="$(mktemp)"
    "$emulator" --port 0 >"$out" 2>/dev/null &
    local pid=$!
    local url=""
    for _ in $(seq 1 100); do
        url="$(sed -n 's/^listening on //p' "$out" | head -n 1)"
        [[ -n "$url" ]] && break
        sleep 0.1
    done
    if [[ -z "$url" ]]; then
        kill "$pid" 2>/dev/null || true
        echo "the emulator did not start" >&2
        return 1
    fi
    local status=0
    "$here/target/debug/sdk-compat" "$url" || status=$?
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$out"
    return "$status"
}

for flavor in "${flavors[@]}"; do
    run_flavor "$flavor"
    echo
done
