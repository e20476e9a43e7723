import os,sys,time
# cpu-series.py SECS STEP OUT: every STEP seconds for SECS, the CPU (cores) of the busiest processes, by command line
secs,step,out=float(sys.argv[1]),float(sys.argv[2]),sys.argv[3]
def snap():
    r={}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            f=open(f'/proc/{p}/stat').read().rsplit(')',1)[1].split()
            cmd=open(f'/proc/{p}/cmdline','rb').read().replace(b'\0',b' ').decode(errors='replace')[:110]
            r[p]=(int(f[11])+int(f[12]),cmd)
        except Exception: pass
    return r
with open(out,'w') as o:
    a=snap(); t0=time.time(); end=t0+secs
    while time.time()<end:
        time.sleep(step); b=snap(); now=time.time()
        rows=sorted(((b[p][0]-a[p][0])/100/step,b[p][1]) for p in b if p in a)[::-1][:14]
        o.write(f"--- {time.strftime('%H:%M:%S')} load {open('/proc/loadavg').read().split()[0]} total {sum(c for c,_ in rows):.2f} cores (top 14)\n")
        for c,cmd in rows:
            if c>0.01: o.write(f"{c:5.2f}  {cmd}\n")
        o.flush(); a=b
