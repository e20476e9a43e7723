import json,sys,statistics as st,os
# summ16.py DIR...: the #16 figures of each sitting half
def load(d,f):
    p=os.path.join(d,f)
    return json.load(open(p)) if os.path.exists(p) else None
def prod(d): return [r for r in d['runs'] if r['target'].startswith('product')]
def tgt(d,name): return [r for r in d['runs'] if r['target']==name]
def med(xs): return st.median(xs) if xs else float('nan')
def cmp(d,m):
    for c in d.get('comparisons',[]):
        if c['metric']==m: return c
    return None
for d in sys.argv[1:]:
    print(f"===== {d}")
    fd=load(d,'fanout-direct.json'); fe=load(d,'fanout-edge.json'); fn=load(d,'fanout-nginx.json')
    cap=load(d,'capacity.json'); chat=load(d,'chat.json')
    if chat:
        fp=[r['firstPublish'] for r in prod(chat) if 'firstPublish' in r]
        print("T1 first publish (chat, 500 fresh rooms/round) p50:", [round(x['p50Ms'],1) for x in fp], "p99:", [round(x['p99Ms'],1) for x in fp], "max:", [round(x['maxMs'],1) for x in fp], "median p99", round(med([x['p99Ms'] for x in fp]),1))
    if fd:
        dp=[r['latency']['p99Ms'] for r in prod(fd)]
        print("T2 direct p99 rounds", [round(x,1) for x in dp], "median", round(med(dp),1))
        for name,x in (('edge',fe),('nginx',fn)):
            if not x: continue
            p=[r['latency']['p99Ms'] for r in prod(x)]; c=[r.get('edgeCpuMicrosPerFrame') for r in prod(x)]
            print(f"   {name} p99 rounds", [round(v,1) for v in p], "median", round(med(p),1), f"÷direct {med(p)/med(dp):.2f}", "cpu µs/frame", c, "median", med([v for v in c if v]))
        if fe and fn:
            print(f"   edge cpu ÷ nginx {med([r['edgeCpuMicrosPerFrame'] for r in prod(fe)])/med([r['edgeCpuMicrosPerFrame'] for r in prod(fn)]):.2f}")
    for i in (1,2):
        c=load(d,f'connections-{i}.json')
        if not c: continue
        row={ (r['target'].split(' ')[0],r['transport']): round(r['bytesPerConnection']/1000,2) for r in c['runs']}
        print(f"T3 connections run {i} KB/conn:", row, "ws/raw", cmp(c,'websocket KB/conn')['ratio'], "ws/signalr", cmp(c,'websocket KB/conn vs signalr')['ratio'])
    if chat:
        print("T4 chat p99 product/ref/signalr medians:", [ (c['metric'],c['product'],c['reference'],c.get('ratio')) for c in chat['comparisons'] if c['metric'] in ('latency p99 ms','latency p99 ms vs signalr','deliveries/s','lost (sum)','duplicates (sum)')])
        ack=[r['publishAck']['p99Ms'] for r in prod(chat)]
        print("   chat ack p99 rounds", [round(x,1) for x in ack], "median", round(med(ack),1), "; delivery p99 rounds product", [round(r['latency']['p99Ms'],1) for r in prod(chat)], "reference", [round(r['latency']['p99Ms'],1) for r in tgt(chat,'reference')])
    if cap:
        print("T5 capacity deliveries/s product", [r['deliveriesPerSecond'] for r in prod(cap)], "reference", [r['deliveriesPerSecond'] for r in tgt(cap,'reference')], "signalr", [r['deliveriesPerSecond'] for r in tgt(cap,'signalr')])
        print("   ", [ (c['metric'],c['product'],c['reference'],c.get('ratio')) for c in cap['comparisons'] if c['metric'] in ('deliveries/s','deliveries/s vs signalr','latency p99 ms','latency p99 ms vs signalr','lost (sum)')])
    if fd:
        print("T6 fanout direct vs signalr:", [ (c['metric'],c['product'],c['reference'],c.get('ratio')) for c in fd['comparisons'] if 'signalr' in c['metric'] and c['metric'].split(' vs')[0] in ('deliveries/s','latency p99 ms')])
    for f in ('presence-2000.json','presence-10000.json'):
        p=load(d,f)
        if p: print("T7", f, json.dumps(p.get('medians'))[:900])
