# sourced: start_apphost DATA EDGEPORT LOG ; stop_apphost
W=/work/wt-edge
export Edge__RateLimiting__Enabled=false \
 Channels__Namespaces__feed__PublishRatePerSecond=100000 Channels__Namespaces__feed__PublishBurst=100000 \
 Channels__Namespaces__chat__PublishRatePerSecond=100000 Channels__Namespaces__chat__PublishBurst=100000 \
 Connections__Limits__FramesPerSecond=100000 Connections__Limits__FrameBurst=100000
start_apphost() {
  local data=$1 port=$2 log=$3
  rm -rf "$data"; mkdir -p "$data"
  ( cd $W && ASPNETCORE_URLS=http://localhost:19388 ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:19389 \
    exec setsid dotnet run -c Release --no-build --project AppHost -- --Edge:Port=$port --Realtime:DataPath=$data ) > "$log" 2>&1 &
  APPHOST_PID=$!
  echo "apphost pid $APPHOST_PID"
  for i in $(seq 1 180); do
    if [ -f "$data/resources.json" ] && python3 - "$data/resources.json" <<'PY'
import json,sys
rows=json.load(open(sys.argv[1]))
need=[r for r in rows if r['name'].startswith('connection-service-') or r['name'] in ('edge','message-service','presence-service')]
ok=len(need)>=6 and all(r.get('health')=='Healthy' and r.get('pid') for r in need)
sys.exit(0 if ok else 1)
PY
    then echo "healthy after $((i*2)) s"; return 0; fi
    sleep 2
  done
  echo "apphost not healthy"; return 1
}
stop_apphost() {
  kill -TERM $APPHOST_PID 2>/dev/null
  for i in $(seq 1 30); do kill -0 $APPHOST_PID 2>/dev/null || break; sleep 1; done
  kill -KILL -- -$APPHOST_PID 2>/dev/null
  sleep 5
}
