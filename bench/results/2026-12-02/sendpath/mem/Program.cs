using System.Threading.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Protocol;
// Bytes held per idle queue after one frame (the welcome) went through it and the reader waits again: channel vs OutboundQueue
const int N = 20_000;
var frame = new OutboundFrame(FrameKind.Control, new byte[16]);
long Measure(Func<object> make) { var keep = new object[N]; GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect(); var before = GC.GetTotalMemory(true); for (var i = 0; i < N; i++) keep[i] = make(); var after = GC.GetTotalMemory(true); GC.KeepAlive(keep); return (after - before) / N; }
var pending = new List<object>();
Console.WriteLine("channel       B/idle queue: " + Measure(() => { var c = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait }); c.Writer.TryWrite(frame); c.Reader.TryRead(out _); pending.Add(c.Reader.WaitToReadAsync()); return c; }));
pending.Clear();
Console.WriteLine("OutboundQueue B/idle queue: " + Measure(() => { var q = new OutboundQueue(1024); q.TryEnqueue(frame); q.TryRead(out _); pending.Add(q.WaitToReadAsync()); return q; }));
