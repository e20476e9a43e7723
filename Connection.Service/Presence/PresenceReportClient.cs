using Microsoft.Extensions.Options;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>Presence.Service's report API (<c>POST /internal/presence/changes|refresh|release</c>).</summary>
public sealed class PresenceReportClient(HttpClient http, IOptions<AuthOptions> auth, ReplicaIdentity replica)
{
    private readonly string _key = PresenceReportKey.Derive(auth.Value.SigningKey);

    private sealed record Member(string Connection, string Channel, string User, string Name);

    private sealed record Change(string Op, string Connection, string Channel, string User, string Name);

    public Task SendChangesAsync(IReadOnlyList<PresenceOp> changes, CancellationToken cancellationToken) =>
        PostAsync("/internal/presence/changes", new
        {
            replica = replica.Name,
            changes = changes.Select(c => new Change(c.Join ? "join" : "leave", c.Member.Connection, c.Member.Channel, c.Member.User, c.Member.Name)),
        }, cancellationToken);

    public Task RefreshAsync(IReadOnlyList<LocalMember> members, CancellationToken cancellationToken) =>
        PostAsync("/internal/presence/refresh", new
        {
            replica = replica.Name,
            members = members.Select(m => new Member(m.Connection, m.Channel, m.User, m.Name)),
        }, cancellationToken);

    public Task ReleaseAsync(CancellationToken cancellationToken) =>
        PostAsync("/internal/presence/release", new { replica = replica.Name }, cancellationToken);

    private async Task PostAsync<T>(string path, T body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(PresenceReportKey.Header, _key);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
