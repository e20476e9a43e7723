import os,sys,time,collections
pid=sys.argv[1]; secs=float(sys.argv[2])
def snap():
    d={}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s=open(f'/proc/{pid}/task/{t}/stat').read()
            name=open(f'/proc/{pid}/task/{t}/comm').read().strip()
            f=s[s.rindex(')')+2:].split()
            d[t]=(name,int(f[11])+int(f[12]))
            st=open(f'/proc/{pid}/task/{t}/status').read()
            vol=int([l for l in st.splitlines() if l.startswith('voluntary_ctxt')][0].split()[1])
            d[t]=(name,int(f[11])+int(f[12]),vol)
        except Exception: pass
    return d
a=snap(); time.sleep(secs); b=snap()
agg=collections.defaultdict(lambda:[0,0,0])
for t,(n,c,v) in b.items():
    c0=a.get(t,(n,0,0))
    agg[n][0]+=c-c0[1]; agg[n][1]+=v-c0[2]; agg[n][2]+=1
tot=sum(x[0] for x in agg.values())
print(f"total cpu ticks {tot} in {secs}s = {tot/100/secs:.2f} cores")
for n,(c,v,k) in sorted(agg.items(),key=lambda x:-x[1][0]):
    if c or v: print(f"{n:20s} threads={k:3d} cpu={c/100/secs:.3f} cores  voluntary_cs/s={v/secs:.0f}")
