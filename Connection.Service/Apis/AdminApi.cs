using RealtimeAspire.ConnectionService.Drain;

namespace RealtimeAspire.ConnectionService.Apis;

/// <summary>Operator endpoints. Not routed by the edge: reachable only on the replica's own address.</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin");
        admin.MapPost("/drain", StartDrain);
        return admin;
    }

    private static IResult StartDrain(DrainCoordinator drain)
    {
        // The drain outlives this request.
        _ = drain.DrainAsync(CancellationToken.None);
        return TypedResults.Accepted((string?)null);
    }
}
