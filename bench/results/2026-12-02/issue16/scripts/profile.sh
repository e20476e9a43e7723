#!/usr/bin/env bash
# profile.sh TREE OUT: chat and capacity on TREE's AppHost; per-process CPU and a sampled-thread-time trace of connection-service-0
set -u
tree=$1; out=$2; mkdir -p $out
data=/tmp/prof-data; rm -rf $data
cd $tree/AppHost
export Edge__RateLimiting__Enabled=false
export Channels__Namespaces__feed__PublishRatePerSecond=100000 Channels__Namespaces__feed__PublishBurst=100000
export Channels__Namespaces__chat__PublishRatePerSecond=100000 Channels__Namespaces__chat__PublishBurst=100000
export Connections__Limits__FramesPerSecond=100000 Connections__Limits__FrameBurst=100000
DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://localhost:18988 ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18989 \
  ASPIRE_ALLOW_UNSECURED_TRANSPORT=true setsid dotnet run -c Release --no-build --no-launch-profile -- \
  --Edge:Port=5177 --Realtime:DataPath=$data > "$out/apphost.log" 2>&1 &
for i in $(seq 1 180); do curl -fs http://localhost:5177/health >/dev/null 2>&1 && [ -f "$data/resources.json" ] && break; sleep 1; done
B="dotnet /work/main/bench/RealtimeAspire.Bench/bin/Release/net10.0/RealtimeAspire.Bench.dll"
cd /work/main
run() { # name args
  local name=$1; shift
  $B "$@" --reference off --signalr off --data-path $data --edge http://localhost:5177 --out $out/$name.json > $out/$name.txt 2>&1 &
  local bp=$!
  for i in $(seq 1 300); do grep -q primed $out/$name.txt && break; sleep 1; done
  sleep 5
  local rs=$(python3 -c "import json;print([r for r in json.load(open('$data/resources.json')) if r['name']=='connection-service-0'][0]['pid'])")
  python3 /tmp/prof/procs.py $data 8 $bp > $out/$name-procs.txt 2>&1
  ~/.dotnet/tools/dotnet-trace collect -p $rs --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o $out/$name-replica.nettrace > $out/$name-trace.log 2>&1
  ~/.dotnet/tools/dotnet-counters collect -p $rs --counters System.Runtime --duration 00:00:00:05 -o $out/$name-counters.csv >/dev/null 2>&1 || true
  wait $bp
}
run chat chat --rooms 500 --members 10 --rate 500 --duration 45
run capacity fanout --subscribers 4000 --rate 100 --duration 45 --via direct --drain 10
pkill -INT -f "Realtime:DataPath=$data"
for i in $(seq 1 60); do pgrep -f "Realtime:DataPath=$data" >/dev/null || break; sleep 1; done
pkill -9 -f "$data" 2>/dev/null
echo done
