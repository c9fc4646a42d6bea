#!/bin/sh
# Run every fuzz target for SECONDS each (default 300), one after the other, on the stable
# toolchain (RUSTC_BOOTSTRAP lets cargo-fuzz pass its -Z flags to stable rustc).
#
#   fuzz/run.sh 600                 # ten minutes per target
#   TARGETS="fmt diff" fuzz/run.sh 60
#   fuzz/run.sh 10 -runs=2000       # extra arguments go to libFuzzer
#   CORPUS=$(mktemp -d) fuzz/run.sh 5   # CI smoke: seeds only (a grown corpus is first
#                                       # replayed in full, whatever the time budget)
#
# New inputs go to fuzz/corpus/<target> (git-ignored), crashes to fuzz/artifacts/<target>,
# each target's log to fuzz/artifacts/logs/<target>.log. Exit status 1 when a target found
# a crash, a timeout or an out-of-memory input.
set -u
cd "$(dirname "$0")" || exit 2
secs=${1:-300}
[ $# -gt 0 ] && shift
targets=${TARGETS:-"parse check fmt emit_json emit_csv emit_html emit_xlsx diff mutate_specs growth"}
corpus=${CORPUS:-corpus}
export RUSTC_BOOTSTRAP=1
# No sanitizer: the crate has no unsafe code of its own, and ASan halves the executions.
cargo fuzz build -s none || exit 2
mkdir -p artifacts/logs
failed=0
for t in $targets; do
  seeds=seeds/text
  [ "$t" = mutate_specs ] && seeds=seeds/mutate
  mkdir -p "$corpus/$t"
  start=$(date +%s)
  cargo fuzz run -s none "$t" "$corpus/$t" "$seeds" -- \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
    -print_final_stats=1 "$@" >"artifacts/logs/$t.log" 2>&1
  status=$?
  took=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "artifacts/logs/$t.log")
  cov=$(grep -o 'cov: [0-9]*' "artifacts/logs/$t.log" | tail -1)
  echo "$t: exit $status, ${runs:-?} executions in ${took}s (build included), $cov, corpus $(ls "$corpus/$t" | wc -l) inputs"
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -E "panicked|ERROR: libFuzzer|Test unit written" "artifacts/logs/$t.log" | head -5
  fi
done
exit $failed
