#!/usr/bin/env bash
# stall.sh TREE OUT VIA: fanout 1000x20/s 30 s on TREE's AppHost; counters + gc/threading trace of every replica
set -u
tree=$1; out=$2; via=${3:-direct}; mkdir -p $out
data=/tmp/stall-data-sendpath; rm -rf $data
cd $tree/AppHost
export Edge__RateLimiting__Enabled=false
export Channels__Namespaces__feed__PublishRatePerSecond=100000 Channels__Namespaces__feed__PublishBurst=100000
export Connections__Limits__FramesPerSecond=100000 Connections__Limits__FrameBurst=100000
DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://localhost:18978 ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18979 \
  ASPIRE_ALLOW_UNSECURED_TRANSPORT=true setsid dotnet run -c Release --no-build --no-launch-profile -- \
  --Edge:Port=5277 --Realtime:DataPath=$data > "$out/apphost.log" 2>&1 &
for i in $(seq 1 180); do curl -fs http://localhost:5277/health >/dev/null 2>&1 && [ -f "$data/resources.json" ] && break; sleep 1; done
B="dotnet /work/main/bench/RealtimeAspire.Bench/bin/Release/net10.0/RealtimeAspire.Bench.dll"
cd /work/main
$B fanout --subscribers 1000 --rate 20 --duration ${DUR:-30} --via $via --reference off --signalr off --data-path $data --edge http://localhost:5277 --out $out/fanout.json > $out/fanout.txt 2>&1 &
bp=$!
for i in $(seq 1 300); do grep -q primed $out/fanout.txt && break; sleep 0.5; done
for r in 0 1 2; do
  pid=$(python3 -c "import json;print([r for r in json.load(open('$data/resources.json')) if r['name']=='connection-service-$r'][0]['pid'])")
  ~/.dotnet/tools/dotnet-trace collect -p $pid --clrevents gc+threading --clreventlevel verbose --duration 00:00:00:25 -o $out/replica$r.nettrace > $out/trace$r.log 2>&1 &
  ~/.dotnet/tools/dotnet-counters collect -p $pid --refresh-interval 1 --counters System.Runtime --duration 00:00:00:25 -o $out/counters$r.csv >/dev/null 2>&1 &
done
wait $bp
sleep 2
for r in 0 1 2; do
  port=$(python3 -c "import json;rs=[r for r in json.load(open('$data/resources.json')) if r['name']=='connection-service-$r'][0];print(rs)" )
  echo "$port" >> $out/resources.txt
done
cp $data/resources.json $out/ 2>/dev/null
wait
pkill -INT -f "Realtime:DataPath=$data"
for i in $(seq 1 60); do pgrep -f "Realtime:DataPath=$data" >/dev/null || break; sleep 1; done
pkill -9 -f "$data" 2>/dev/null
echo done
