namespace RealtimeAspire.AppHost.Topology;

public static class DrainCommandExtensions
{
    private static readonly HttpClient s_client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// A dashboard action on a Connection.Service replica: start its graceful drain (<c>POST /admin/drain</c> on the
    /// replica's own address; the edge does not route it). Clients are told to reconnect and land on the others.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDrainCommand(this IResourceBuilder<ProjectResource> builder)
    {
        var endpoint = builder.GetEndpoint("http");
        return builder.WithCommand("drain", "Drain", async context =>
            {
                using var response = await s_client.PostAsync(new Uri(new Uri(endpoint.Url), "/admin/drain"), content: null, context.CancellationToken);
                return response.IsSuccessStatusCode
                    ? CommandResults.Success()
                    : CommandResults.Failure($"The replica answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }, new CommandOptions
            {
                Description = "Tells every client to reconnect elsewhere, then closes the rest when the drain window ends.",
                ConfirmationMessage = "Drain this replica? Its clients move to the other replicas.",
                IconName = "ArrowExit",
                UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }
}
