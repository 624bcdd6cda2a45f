#!/usr/bin/env bash
# Builds the console's wasm bundle and stylesheet into target/site/pkg.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
build_site
