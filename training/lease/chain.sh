#!/bin/bash
# On the lent machine, in its own session: train each stage in turn and pack it for the trip
# back. Usage: chain.sh DEADLINE STAGE... (DEADLINE: Unix time at which a stage stops and saves).
cd /tmp/repo || exit 1
export PYTHONPATH=/tmp/site:/tmp/repo SQUEEZE_DATA=/tmp/carry/data SQUEEZE_MINILM=/tmp/carry/minilm
export SQUEEZE_RUNS=/tmp/runs PYTHONUNBUFFERED=1 SQUEEZE_DEADLINE=$1
shift
for stage in "$@"; do
  python3 -m training "$stage" && python3 -m training.device_transfer pack "$stage" --to /tmp/packed \
    || { echo "CHAIN-DONE failed at $stage"; exit 1; }
done
echo "CHAIN-DONE ok"
