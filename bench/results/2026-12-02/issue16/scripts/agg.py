import json,sys,collections
d=json.load(open(sys.argv[1]))
frames=[f['name'] for f in d['shared']['frames']]
WAIT=('WaitHandle','Monitor.Wait','LowLevelLifoSemaphore','WaitOne','Thread.Sleep','SemaphoreSlim.Wait','ManualResetEventSlim.Wait','WaitForSocketEvents','LowLevelMonitor','WaitForSignal','UNMANAGED_CODE_TIME','BlockingCollection','WaitNative','Interop+Sys.Poll','Interop+Kernel','WaitCore','WaitForCompletion','Sleep')
incl=collections.Counter(); excl=collections.Counter(); total=0; busy=0
for p in d['profiles']:
    stack=[]; prev=None
    for e in p['events']:
        if prev is not None and stack:
            w=e['at']-prev
            total+=w
            leaf=frames[stack[-1]]
            if not any(x in leaf for x in WAIT):
                busy+=w; excl[leaf]+=w
                for n in set(frames[i] for i in stack): incl[n]+=w
        prev=e['at']
        if e['type']=='O': stack.append(e['frame'])
        else:
            if stack: stack.pop()
print('total',total,'busy',busy)
print('--- exclusive'); [print(f"{v/busy*100:5.1f}% {k[:170]}") for k,v in excl.most_common(int(sys.argv[2]))]
print('--- inclusive'); [print(f"{v/busy*100:5.1f}% {k[:170]}") for k,v in incl.most_common(int(sys.argv[3]))]
