#!/usr/bin/env bash
# Runs the test suite with the project's Node (set up by scripts/setup.sh), from any shell.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=env.sh
source scripts/env.sh
exec npm test -- "$@"
