#!/bin/sh
# Build src/toolkit/report/plotly/plotly.min.js and its manifest.json (`make plotly-bundle`).
# Needs node and npm (and the npm registry) only here; the built bundle is committed, so a report
# is made on any machine without them. npm ci installs exactly the versions in package-lock.json
# into a scratch folder (WORK, default build/plotly-bundle, ignored by git); no install scripts run.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(dirname "$HERE")
ROOT=$(cd "$OUT/../../../.." && pwd)
WORK=${WORK:-$ROOT/build/plotly-bundle}
mkdir -p "$WORK"
cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/build.mjs" "$WORK/"
cd "$WORK"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node build.mjs "$OUT"
