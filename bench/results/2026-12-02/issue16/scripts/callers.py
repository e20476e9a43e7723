import json,sys,collections
# callers.py SPEEDSCOPE PATTERN [depth]: inclusive CPU time under frames matching PATTERN, by the caller chain above them
d=json.load(open(sys.argv[1])); pat=sys.argv[2]; depth=int(sys.argv[3]) if len(sys.argv)>3 else 3
frames=[f['name'] for f in d['shared']['frames']]
WAIT=('WaitHandle','Monitor.Wait','LowLevelLifoSemaphore','WaitOne','Thread.Sleep','SemaphoreSlim.Wait','ManualResetEventSlim.Wait','WaitForSocketEvents','LowLevelMonitor','WaitForSignal','UNMANAGED_CODE_TIME','BlockingCollection','WaitNative','Interop+Sys.Poll','WaitCore','WaitForCompletion','Sleep')
c=collections.Counter(); busy=0
for p in d['profiles']:
    stack=[]; prev=None
    for e in p['events']:
        if prev is not None and stack:
            w=e['at']-prev; leaf=frames[stack[-1]]
            if not any(x in leaf for x in WAIT):
                busy+=w
                for i,f in enumerate(stack):
                    if pat in frames[f]:
                        chain=' < '.join(frames[stack[j]].split('!')[-1][:90] for j in range(i-1,max(i-1-depth,-1),-1))
                        c[chain]+=w; break
        prev=e['at']
        if e['type']=='O': stack.append(e['frame'])
        elif stack: stack.pop()
for k,v in c.most_common(12): print(f"{v/busy*100:5.1f}% {k}")
