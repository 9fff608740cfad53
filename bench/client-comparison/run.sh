#!/usr/bin/env bash
# The whole client comparison: client CPU per call and calls per second (release build of
# client-bench), then the clean build times of build-ours and build-sdk. Results go to stdout
# as Markdown/CSV; copy them into docs/benchmarks-client.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
cargo build --release --bin client-bench
./target/release/client-bench "$@"
echo
./build-time.sh
