#!/usr/bin/env bash
# Time and peak memory of the release binary on the synthetic 10,000-site server of
# ../shared/bench/make_server.py (a 31.7 MB applicationHost.config). Prints one line a run.
# Usage: benches/large-file.sh [SITES] [RUNS]      (defaults: 10000 sites, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
sites=${1:-10000}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/sessctl
python3 ../shared/bench/make_server.py "$work/srv" --sites "$sites" > /dev/null
ah="$work/srv/Windows/System32/inetsrv/config/applicationHost.config"
size=$(stat -c %s "$ah")
echo "applicationHost.config: $size bytes ($sites sites)"
measure() {
  local label=$1; shift
  for i in $(seq "$runs"); do
    /usr/bin/time -f "$label: %e s, peak %M KB" "$@" > /dev/null 2>"$work/err" || true
    tail -n 1 "$work/err"
  done
}
loc="site$(printf %05d $((sites / 2))).example/api"
measure "list (file scope)" "$bin" list config --file "$ah" /section:sessionState
measure "list <location $loc>" "$bin" list config "$loc" --file "$ah" /section:sessionState
i=0
for i in $(seq "$runs"); do
  /usr/bin/time -f "set <location $loc> timeout: %e s, peak %M KB" \
    "$bin" set config "$loc" --file "$ah" /section:sessionState /timeout:$((40 + i)) --force > /dev/null 2>"$work/err" || true
  tail -n 1 "$work/err"
done
measure "set --dry-run (diff printed)" "$bin" set config "$loc" --file "$ah" /section:sessionState /timeout:39 --force --dry-run
if command -v xmllint > /dev/null; then
  measure "xmllint --noout (reference)" xmllint --noout "$ah"
fi
