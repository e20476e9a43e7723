#!/usr/bin/env bash
# sitting16.sh TREE OUTDIR [rounds] [duration]: one AppHost from TREE (Release, already built), every #16 scenario, then stop.
set -uo pipefail
tree=$1; out=$2; rounds=${3:-5}; dur=${4:-15}
mkdir -p "$out"
data=/tmp/sit-data-$(basename "$tree")
rm -rf "$data"
cd "$tree/AppHost"
export Edge__RateLimiting__Enabled=false
export Channels__Namespaces__feed__PublishRatePerSecond=100000 Channels__Namespaces__feed__PublishBurst=100000
export Channels__Namespaces__chat__PublishRatePerSecond=100000 Channels__Namespaces__chat__PublishBurst=100000
export Connections__Limits__FramesPerSecond=100000 Connections__Limits__FrameBurst=100000
DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://localhost:18988 ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18989 \
  ASPIRE_ALLOW_UNSECURED_TRANSPORT=true setsid dotnet run -c Release --no-build --no-launch-profile -- \
  --Edge:Port=5177 --Realtime:DataPath=$data > "$out/apphost.log" 2>&1 &
for i in $(seq 1 180); do
  curl -fs http://localhost:5177/health >/dev/null 2>&1 && [ -f "$data/resources.json" ] && break
  sleep 1
done
echo "$(date +%T) apphost up ($(git -C "$tree" rev-parse --short HEAD)) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/steps.txt"
cd /work/main
B="dotnet ${BENCH_DLL:-/work/main/bench/RealtimeAspire.Bench/bin/Release/net10.0/RealtimeAspire.Bench.dll}"
common="--data-path $data --edge http://localhost:5177"
step() { # name args...
  local name=$1; shift
  $B "$@" --out "$out/$name.json" $common > "$out/$name.txt" 2>&1
  echo "$(date +%T) $name rc=$? load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/steps.txt"
}
only=${ONLY:-fanout-direct,fanout-edge,fanout-nginx,capacity,chat,connections,presence,presence10k}
want() { [[ ",$only," == *",$1,"* ]]; }
want fanout-direct && step fanout-direct fanout --subscribers 1000 --rate 20 --duration $dur --via direct --rounds $rounds
want fanout-edge   && step fanout-edge   fanout --subscribers 1000 --rate 20 --duration $dur --via edge  --rounds $rounds --reference off --signalr off
want fanout-nginx  && step fanout-nginx  fanout --subscribers 1000 --rate 20 --duration $dur --via nginx --rounds $rounds --reference off --signalr off
want capacity      && step capacity      fanout --subscribers 4000 --rate 100 --duration $dur --via direct --drain 10 --rounds $rounds
want chat          && step chat          chat --rooms 500 --members 10 --rate 500 --duration $dur --rounds $rounds
for c in $(seq 1 ${CONN_RUNS:-2}); do
  want connections && step connections-$c connections --connections 10000 --transports ${CONN_TRANSPORTS:-websocket,sse,longpoll} --via direct --fresh-replica on
done
want presence      && step presence-2000 presence --members 2000 --rounds $rounds
want presence10k   && step presence-10000 presence --members 10000 --rounds ${P10K_ROUNDS:-$rounds}
pkill -INT -f "Realtime:DataPath=$data"
for i in $(seq 1 60); do pgrep -f "Realtime:DataPath=$data" >/dev/null || break; sleep 1; done
pkill -9 -f "$data" 2>/dev/null
echo "$(date +%T) stopped" | tee -a "$out/steps.txt"
