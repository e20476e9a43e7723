import json,sys,statistics as st,os
for d in sys.argv[1:]:
    print('=====',d)
    for f in ('fanout-direct','fanout-edge','capacity'):
        p=os.path.join(d,f+'.json')
        if not os.path.exists(p): continue
        j=json.load(open(p)); by={}
        for r in j['runs']:
            by.setdefault(r['target'],[]).append(r)
        for t,rs in by.items():
            p99=[r['latency']['p99Ms'] for r in rs]; p50=[r['latency']['p50Ms'] for r in rs]; dps=[r['deliveriesPerSecond'] for r in rs]
            ack=[r['publishAck']['p99Ms'] for r in rs if r.get('publishAck')]; cpu=[r.get('edgeCpuMicrosPerFrame') for r in rs if r.get('edgeCpuMicrosPerFrame')]
            lost=sum(r['deliveries']['lost'] for r in rs); dup=sum(r['deliveries']['duplicates'] for r in rs)
            print(f"{f:14s} {t:18s} p99 {[round(x) for x in p99]} med {st.median(p99):.0f} | p50 med {st.median(p50):.1f} | dps {dps} med {st.median(dps):.0f} | ack p99 {[round(x) for x in ack]} | cpu {cpu} | lost {lost} dup {dup}")
