#!/usr/bin/env bash
# The performance benchmark (not a test): Rapport vs SurveyJS vs no widget, in headless Chromium.
# See bench/README.md. Arguments go to bench/run.mjs (e.g. --runs 3 for a quick look).
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bench/bench.sh" "$@"
