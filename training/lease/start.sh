#!/bin/bash
# First call of a lease: unpack carry/, copy the code out of the synced tree (later calls re-sync
# it), then start chain.sh in a session of its own, so that it outlives this call.
# Usage: bash training/lease/start.sh SECONDS STAGE...  (SECONDS: the chain's deadline from now)
T0=$(date +%s)
mkdir -p /tmp/carry /tmp/runs /tmp/packed /tmp/repo
cp -r carry/minilm carry/data training/lease/*.sh /tmp/carry/
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site carry/whl/*.whl || exit 1
tar --exclude=./carry -cf - . | tar -xf - -C /tmp/repo
nvidia-smi -L
deadline=$(( T0 + $1 ))
shift
setsid nohup bash /tmp/carry/chain.sh "$deadline" "$@" > /tmp/runs/chain.log 2>&1 < /dev/null &
sleep 5
