using RealtimeAspire.KafkaMockBroker;

// Hosts librdkafka's in-memory mock cluster in a process of its own, so the AppHost can stop and restart it like
// any other resource. It keeps every message in memory: local development only.
var options = MockBrokerOptions.Parse(args);
using var host = MockCluster.Start(options);
await using var forwarder = options.ListenPort is { } port ? new BootstrapForwarder(port, host.BootstrapServers) : null;
forwarder?.Start();
Console.WriteLine($"{MockCluster.ReadyPrefix}{host.BootstrapServers}{(options.ListenPort is { } p ? $" (bootstrap on 127.0.0.1:{p})" : "")}");

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await stop.Task;
