#!/bin/bash
# Every call of a lease: wait up to SECONDS for the chain, then put the packed parts of the
# stages named PREFIX* and the chain's log into $OUT, which comes back.
# Usage: bash /tmp/carry/watch.sh SECONDS [PREFIX]
T0=$(date +%s)
while [ $(( $(date +%s) - T0 )) -lt "$1" ] && ! grep -q CHAIN-DONE /tmp/runs/chain.log; do
  sleep 20
  tail -n 1 /tmp/runs/chain.log
done
cp /tmp/packed/"${2:-}"*.pt.gz.* "$OUT"/ 2>/dev/null
cp /tmp/runs/chain.log "$OUT"/
ls -la "$OUT"
grep -v "^\s*$" /tmp/runs/chain.log | grep -iv warn | tail -n 40
