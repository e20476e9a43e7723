#!/usr/bin/env bash
set -u
. /tmp/edge-run/apphost.sh
OUT=/tmp/edge-run/profile; mkdir -p $OUT
DATA=/tmp/edge-bench-data
start_apphost $DATA 5388 $OUT/apphost.log || { stop_apphost; exit 1; }
EDGE=$(python3 -c "import json;print([r for r in json.load(open('$DATA/resources.json')) if r['name']=='edge'][0]['pid'])")
echo "edge pid $EDGE"; cat /proc/$EDGE/cmdline | tr '\0' ' '; echo
tr '\0' '\n' < /proc/$EDGE/environ > $OUT/edge.environ
B="dotnet $W/bench/RealtimeAspire.Bench/bin/Release/net10.0/RealtimeAspire.Bench.dll"
cd $W
$B fanout --subscribers 1000 --rate 20 --duration 30 --via edge --rounds 1 --reference off --signalr off --edge http://localhost:5388 --data-path $DATA --out $OUT/fanout-edge.json > $OUT/bench.log 2>&1 &
BP=$!
for i in $(seq 1 300); do grep -q primed $OUT/bench.log && break; sleep 1; done
sleep 4
python3 /tmp/edge-run/threads.py $EDGE 6 > $OUT/threads.txt 2>&1
~/.dotnet/tools/dotnet-trace collect -p $EDGE --profile dotnet-sampled-thread-time --duration 00:00:00:10 -o $OUT/edge.nettrace > $OUT/trace.log 2>&1
wait $BP
cat $OUT/bench.log
stop_apphost
