#!/bin/sh
# Run each libFuzzer harness for SECONDS, starting from its seeds; fail on any finding.
# Usage: run-fuzzers.sh SECONDS HARNESS...
set -eu
seconds=$1
shift
srcdir=$(dirname "$0")
status=0
for harness in "$@"; do
    name=$(basename "$harness")
    corpus="fuzz/corpus-$name"
    mkdir -p "$corpus"
    seeds=""
    [ -d "$srcdir/seeds/$name" ] && seeds="$srcdir/seeds/$name"
    echo "fuzz: $name for ${seconds}s"
    if ! "./$harness" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="fuzz/$name-" \
        "$corpus" $seeds >"fuzz/$name.log" 2>&1; then
        echo "fuzz: $name FOUND A CRASH; see fuzz/$name.log:"
        tail -n 40 "fuzz/$name.log"
        status=1
    else
        grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "fuzz/$name.log" | tail -n 1
    fi
done
exit $status
