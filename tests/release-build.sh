#!/usr/bin/env bash
# Builds the Lambda functions' one artifact as `sam build` does (cargo lambda, release profile,
# arm64, the binary `dewy` that every function of template.yaml is deployed from) and prints its
# stripped size and zip size; fails if it is over 8 MB stripped (the size goal of
# docs/decisions.md#release-builds-are-optimised-for-size).
#
# Needs cargo-lambda and zig on PATH (tests/run puts its virtualenv there). The artifact lands in
# <target dir>/lambda/dewy/bootstrap, the target dir being cargo's (CARGO_TARGET_DIR or ./target).
# The size settings live in Cargo.toml's [profile.release].
set -euo pipefail
cd "$(dirname "$0")/.."

limit_mb=8
target=aarch64-unknown-linux-gnu

# cargo-lambda would install the target through rustup's auto-install, which a CI machine may turn
# off (RUSTUP_AUTO_INSTALL=0); asking for it here fails early, with rustup's own message.
rustup target add "$target"

# The target dir.
target_dir=$(cargo metadata --format-version 1 --no-deps --locked \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
lambda_dir="$target_dir/lambda"

started=$(date +%s)
cargo lambda build --release --arm64 --locked --package dewy-functions --bin dewy --lambda-dir "$lambda_dir"
elapsed=$(($(date +%s) - started))

printf '\nrelease build (arm64, the artifact of every function): %dm%02ds on %d cores\n\n' \
  $((elapsed / 60)) $((elapsed % 60)) "$(nproc)"
python3 tests/lambda_sizes.py "$lambda_dir" "$limit_mb" dewy
