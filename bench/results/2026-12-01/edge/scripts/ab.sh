#!/usr/bin/env bash
# The script of sitting 2 (docs/benchmarks.md, "A cheaper edge"), kept as it ran. Run through `heavy`.
# /tmp/edge-run/base-out: `git archive be16eb9` built with `dotnet build Edge.Proxy -c Release -p:BuildWebClients=false -o …`;
# new-out: a copy of Edge.Proxy/bin/Release/net10.0 of this branch; bench-out: a copy of the bench's bin (copies, so
# that building the worktree during the sitting does not change what runs).
set -u
. /tmp/edge-run/apphost.sh
OUT=${OUT:-/tmp/edge-run/ab}; mkdir -p $OUT
ROUNDS=${ROUNDS:-2}; DUR=${DUR:-20}
DATA=/tmp/edge-bench-data
start_apphost $DATA 5388 $OUT/apphost.log || { stop_apphost; exit 1; }
EDGE=$(python3 -c "import json;print([r for r in json.load(open('$DATA/resources.json')) if r['name']=='edge'][0]['pid'])")
declare -A PIDS PORTS
start_edge() { # name dll port extra-env...
  local name=$1 dll=$2 port=$3; shift 3
  local -a envs=(); while IFS= read -r -d '' kv; do case $kv in ASPNETCORE_URLS=*) ;; *) envs+=("$kv");; esac; done < /proc/$EDGE/environ
  ( cd $(dirname $dll) && exec env -i "${envs[@]}" ASPNETCORE_URLS=http://localhost:$port "$@" dotnet $dll ) > $OUT/edge-$name.log 2>&1 &
  PIDS[$name]=$!; PORTS[$name]=$port
  for i in $(seq 1 60); do curl -sf http://localhost:$port/health >/dev/null && { echo "edge $name pid ${PIDS[$name]} on $port up"; return 0; }; sleep 1; done
  echo "edge $name did not start"; tail -20 $OUT/edge-$name.log
}
NEW=/tmp/edge-run/new-out/Edge.Proxy.dll
start_edge A /tmp/edge-run/base-out/Edge.Proxy.dll 5391
start_edge B $NEW 5392
start_edge C $NEW 5393 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
B="dotnet /tmp/edge-run/bench-out/RealtimeAspire.Bench.dll"
cd $W
COMMON="--subscribers 1000 --rate 20 --duration $DUR --rounds 1 --reference off --signalr off --data-path $DATA"
run() { # variant round
  local v=$1 r=$2 log=$OUT/$1-r$2.log
  echo "=== $(date +%T) $v round $r (load $(cut -d' ' -f1 /proc/loadavg))"
  case $v in
    direct) $B fanout $COMMON --via direct --out $OUT/$v-r$r.json > $log 2>&1 ;;
    nginx)  $B fanout $COMMON --via nginx --out $OUT/$v-r$r.json > $log 2>&1 ;;
    *) $B fanout $COMMON --via edge --edge http://localhost:${PORTS[$v]} --edge-pid ${PIDS[$v]} --out $OUT/$v-r$r.json > $log 2>&1 &
       local bp=$!
       if [ $r = 1 ]; then for i in $(seq 1 120); do grep -q primed $log && break; sleep 1; done; sleep 3; python3 /tmp/edge-run/threads.py ${PIDS[$v]} 6 > $OUT/threads-$v.txt 2>&1; fi
       wait $bp ;;
  esac
  grep -E '^\| product' $log
}
ORDER1="direct A B C nginx"; ORDER2="nginx C B A direct"
# Warm every edge (JIT tiering, pools) before anything is measured.
for v in A B C; do $B fanout --subscribers 1000 --rate 20 --duration 8 --rounds 1 --reference off --signalr off --data-path $DATA --via edge --edge http://localhost:${PORTS[$v]} --edge-pid ${PIDS[$v]} > $OUT/warm-$v.log 2>&1; grep -E '^\| product' $OUT/warm-$v.log; done
for r in $(seq 1 $ROUNDS); do
  if [ $((r % 2)) = 1 ]; then o=$ORDER1; else o=$ORDER2; fi
  for v in $o; do run $v $r; done
done
for n in "${!PIDS[@]}"; do kill -TERM ${PIDS[$n]} 2>/dev/null; done
sleep 2
stop_apphost
echo done
