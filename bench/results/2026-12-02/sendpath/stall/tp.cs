using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
// tp FILE: GC pauses (suspend->restart) with gen/reason, thread-pool adjustments, exceptions, per time since start
var source = new EventPipeEventSource(args[0]);
string T(double rel) => source.SessionStartTime.ToUniversalTime().AddMilliseconds(rel).ToString("HH:mm:ss.fff");
double suspendAt = -1; string gcInfo = "";
var clr = source.Clr;
clr.GCStart += e => gcInfo = $"gen{e.Depth} {e.Reason} {e.Type}";
clr.GCSuspendEEStart += e => suspendAt = e.TimeStampRelativeMSec;
clr.GCRestartEEStop += e => { if (suspendAt >= 0) { var p = e.TimeStampRelativeMSec - suspendAt; Console.WriteLine($"{T(suspendAt)} GC pause {p,7:F1} ms {gcInfo}"); suspendAt = -1; gcInfo=""; } };
clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e => { if (args.Length > 2) Console.WriteLine($"{T(e.TimeStampRelativeMSec)} TP adjust -> {e.NewWorkerThreadCount} reason {e.Reason}"); };
clr.ExceptionStart += e => Console.WriteLine($"{T(e.TimeStampRelativeMSec)} EXC {e.ExceptionType}: {e.ExceptionMessage}");
var large = new Dictionary<string,long>(); var small = new Dictionary<string,long>();
clr.GCAllocationTick += e => { var d = e.AllocationKind == GCAllocationKind.Large ? large : small; d[e.TypeName ?? "?"] = d.GetValueOrDefault(e.TypeName ?? "?") + 1; if (e.AllocationKind == GCAllocationKind.Large && args.Length > 1) Console.WriteLine($"{T(e.TimeStampRelativeMSec)} LOH {e.TypeName} {e.ObjectSize}"); };
Action done = () => {
  Console.WriteLine("-- large allocation ticks by type"); foreach (var kv in large.OrderByDescending(k => k.Value).Take(10)) Console.WriteLine($"  {kv.Value,6} {kv.Key}");
  Console.WriteLine("-- small allocation ticks (100 KB each) by type"); foreach (var kv in small.OrderByDescending(k => k.Value).Take(25)) Console.WriteLine($"  {kv.Value,6} {kv.Key}");
};
source.Process(); done();
