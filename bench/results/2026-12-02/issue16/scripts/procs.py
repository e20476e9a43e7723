import json,os,sys,time
# procs.py DATA SECS BENCHPID: CPU (cores) of every AppHost resource process and the bench client over SECS seconds
data,secs,bench=sys.argv[1],float(sys.argv[2]),sys.argv[3]
res={r['name']:r['pid'] for r in json.load(open(f'{data}/resources.json')) if r.get('pid')}
res['bench-client']=int(bench)
def tree(pid):
    out=[pid]
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                if int(open(f'/proc/{p}/stat').read().rsplit(')',1)[1].split()[1])==pid: out+=tree(int(p))
            except Exception: pass
    return out
def cpu(pids):
    t=0
    for p in pids:
        try:
            f=open(f'/proc/{p}/stat').read().rsplit(')',1)[1].split(); t+=int(f[11])+int(f[12])
        except Exception: pass
    return t
trees={n:tree(p) for n,p in res.items()}
a={n:cpu(ps) for n,ps in trees.items()}; t0=time.time(); time.sleep(secs); dt=time.time()-t0
b={n:cpu(ps) for n,ps in trees.items()}
tot=0
for n in sorted(res,key=lambda n:-(b[n]-a[n])):
    c=(b[n]-a[n])/100/dt; tot+=c; print(f"{n:22s} {c:5.2f} cores")
print(f"{'sum':22s} {tot:5.2f} cores of {os.cpu_count()}")
