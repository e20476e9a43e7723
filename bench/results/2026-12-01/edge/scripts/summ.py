import json,glob,os,sys,re,statistics
d=sys.argv[1]
rows={}
for f in sorted(glob.glob(d+'/*-r*.json')):
    v,r=re.match(r'(.*)-r(\d+)\.json',os.path.basename(f)).groups()
    j=json.load(open(f)); run=j['runs'][0]
    rows.setdefault(v,[]).append((int(r),run['latency']['p50Ms'],run['latency']['p99Ms'],run['latency']['p999Ms'],run['deliveries']['lost'],run.get('edgeCpuMicrosPerFrame'),j['startedAt'][11:19]))
for v,rs in rows.items():
    rs.sort()
    cpu=[x[5] for x in rs if x[5] is not None]
    print(f"{v:7s} " + " | ".join(f"r{r} {t} p50 {p50:.0f} p99 {p99:.0f} p99.9 {p999:.0f} lost {l} cpu {c}" for r,p50,p99,p999,l,c,t in rs) + (f"  || median cpu {statistics.median(cpu)}  median p99 {statistics.median([x[2] for x in rs]):.0f}" if cpu else f"  || median p99 {statistics.median([x[2] for x in rs]):.0f}"))
