import sys
# cpu-groups.py FILE: cpu-series.py's samples summed by kind of process
kinds=[('Aspire.Dashboard','dashboard'),('RealtimeAspire.Bench','bench'),('ReferenceServer','reference'),('SignalRReference','signalr'),
       ('Connection.Service','replicas'),('Message.Service','message-svc'),('postgres','postgres'),('redis','redis'),('KafkaMock','kafka')]
for b in open(sys.argv[1]).read().split('--- ')[1:]:
    lines=b.strip().split('\n'); agg={}
    for l in lines[1:]:
        parts=l.strip().split(None,1)
        if len(parts)<2: continue
        k=next((n for s,n in kinds if s in parts[1]),'other'); agg[k]=agg.get(k,0)+float(parts[0])
    print(lines[0][:8], ' '.join(f"{k}={v:.2f}" for k,v in sorted(agg.items(),key=lambda x:-x[1])))
