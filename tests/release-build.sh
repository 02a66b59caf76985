#!/usr/bin/env bash
# Builds every Lambda function as `sam build` does (cargo lambda, release profile, arm64) and prints
# each one's stripped size and zip size; fails if one is over 8 MB stripped (the size goal of
# docs/decisions.md#release-builds-are-optimised-for-size).
#
# One cargo invocation builds every binary of dewy-functions, so the dependencies compile once and
# the functions link in parallel. Needs cargo-lambda and zig on PATH (tests/run puts its virtualenv
# there). The functions land in <target dir>/lambda/<function>/bootstrap, the target dir being
# cargo's (CARGO_TARGET_DIR or ./target). The size settings live in Cargo.toml's [profile.release].
set -euo pipefail
cd "$(dirname "$0")/.."

limit_mb=8
target=aarch64-unknown-linux-gnu

# cargo-lambda would install the target through rustup's auto-install, which a CI machine may turn
# off (RUSTUP_AUTO_INSTALL=0); asking for it here fails early, with rustup's own message.
rustup target add "$target"

# The target dir, then the function names: every binary of dewy-functions.
mapfile -t layout < <(cargo metadata --format-version 1 --no-deps --locked | python3 -c '
import json, sys
metadata = json.load(sys.stdin)
print(metadata["target_directory"])
package = next(p for p in metadata["packages"] if p["name"] == "dewy-functions")
print(" ".join(t["name"] for t in package["targets"] if "bin" in t["kind"]))')
lambda_dir="${layout[0]}/lambda"
read -ra functions <<<"${layout[1]}"

started=$(date +%s)
cargo lambda build --release --arm64 --locked --package dewy-functions --lambda-dir "$lambda_dir"
elapsed=$(($(date +%s) - started))

printf '\nrelease build (arm64, %d functions): %dm%02ds on %d cores\n\n' \
  "${#functions[@]}" $((elapsed / 60)) $((elapsed % 60)) "$(nproc)"
python3 tests/lambda_sizes.py "$lambda_dir" "$limit_mb" "${functions[@]}"
