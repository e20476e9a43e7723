using Microsoft.AspNetCore.Http.HttpResults;
using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Dashboard;

/// <summary>
/// The dashboard's HTTP API: resource state, console logs, and stop/start/restart of a resource
/// (all its replicas) or of one instance. The dashboard UI and the reliability suite build on it.
/// </summary>
public static class ResourcesApi
{
    public static RouteGroupBuilder MapResourcesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => TypedResults.Redirect("/api/resources"));
        var api = endpoints.MapGroup("/api/resources");
        api.MapGet("/", List);
        api.MapGet("/{name}", Get);
        api.MapGet("/{name}/logs", Logs);
        api.MapPost("/{name}/{command}", Command);
        return api;
    }

    private static Ok<ResourceSnapshot[]> List(ResourceOrchestrator orchestrator) =>
        TypedResults.Ok(orchestrator.Instances.Select(ResourceSnapshot.From).ToArray());

    private static Results<Ok<ResourceSnapshot[]>, NotFound> Get(string name, ResourceOrchestrator orchestrator) =>
        orchestrator.Find(name) is { Count: > 0 } found
            ? TypedResults.Ok(found.Select(ResourceSnapshot.From).ToArray())
            : TypedResults.NotFound();

    private static Results<Ok<string[]>, NotFound> Logs(string name, ResourceOrchestrator orchestrator, int tail = 200) =>
        orchestrator.Find(name) is { Count: > 0 } found
            ? TypedResults.Ok(found.SelectMany(i => i.Logs.Tail(tail).Select(line => $"[{i.Name}] {line}")).ToArray())
            : TypedResults.NotFound();

    private static Results<Accepted, NotFound, ProblemHttpResult> Command(string name, string command, ResourceOrchestrator orchestrator)
    {
        var found = orchestrator.Find(name);
        if (found.Count == 0)
        {
            return TypedResults.NotFound();
        }
        Action<ResourceInstance>? apply = command switch
        {
            "stop" => i => i.Stop(),
            "start" => i => i.Start(),
            "restart" => i => i.Restart(),
            _ => null,
        };
        if (apply is null)
        {
            return TypedResults.Problem($"Unknown command '{command}': use stop, start or restart.", statusCode: StatusCodes.Status400BadRequest);
        }
        foreach (var instance in found)
        {
            apply(instance);
        }
        return TypedResults.Accepted((string?)null);
    }
}
