using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// A Kestrel connection middleware that accepts a WebSocket below the HTTP pipeline, so that an idle socket keeps
/// no <c>HttpContext</c>, request state, headers, hosting span or pipeline state machines (docs/benchmarks.md,
/// "An idle WebSocket below bare Kestrel"). It takes only the success case, from a new connection's first request:
/// <list type="number">
/// <item>Peek at the request head without consuming it (at most <see cref="WebSocketAcceptOptions.MaxHeadBytes"/>,
/// for at most <see cref="WebSocketAcceptOptions.HeadTimeout"/>); anything but a valid upgrade of <c>/connect/ws</c>
/// asking for our subprotocol (<see cref="WebSocketRequestHead"/>) goes on to Kestrel with every byte still unread.</item>
/// <item>Judge it as the HTTP path would, on a request built from the head: forwarded host and scheme from trusted
/// peers (the forwarded-headers middleware's own code), the token (<see cref="ConnectionTokenValidator"/>), then
/// origin, drain and the per-user limit (<see cref="ConnectionAdmission.TryAdmitWithoutResponse"/>, which registers
/// the connection only when it admits it). Any refusal goes on to Kestrel, where <see cref="WebSocketEndpoint"/>
/// decides again and writes today's response.</item>
/// <item>Consume the head, write the 101, end a short connect span, and run the socket over the connection's
/// pipes (<see cref="TransportStream"/>) with <see cref="WebSocketSession"/>, as the endpoint does.</item>
/// </list>
/// A later request on the same connection (keep-alive), TLS and HTTP/2 never reach step 2.
/// </summary>
public sealed class WebSocketConnectionAccept(
    ConnectionDelegate next,
    IOptions<WebSocketAcceptOptions> options,
    ConnectionTokenValidator tokens,
    ConnectionAdmission admission,
    WebSocketSession session,
    ReplicaIdentity replica,
    IOptions<ForwardedHeadersOptions> forwarded,
    ILoggerFactory loggers)
{
    private static readonly byte[] s_acceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8.ToArray();

    private readonly WebSocketAcceptOptions _options = options.Value;
    private readonly ForwardedHeadersMiddleware _forwardedHeaders = new(_ => Task.CompletedTask, loggers, forwarded);

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        // Kept apart from the accept (its own state machine): only the socket and its connection live on here.
        if (await TryAcceptAsync(connection) is not var (socketConnection, socket, affinity))
        {
            await next(connection);
            return;
        }
        try
        {
            await session.RunAsync(socketConnection, socket, affinity);
        }
        finally
        {
            await admission.ReleaseAsync(socketConnection);
            // No completed close handshake: what is still buffered for the peer is dropped, not waited for.
            if (socket.State != WebSocketState.Closed)
            {
                connection.Abort();
            }
            socket.Dispose();
        }
    }

    private async Task<(WebSocketConnection, WebSocket, string?)?> TryAcceptAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var started = DateTimeOffset.UtcNow;
        if (await PeekHeadAsync(input) is not { } head)
        {
            return null;
        }
        var request = RequestOf(head, connection);
        var token = await tokens.ValidateAsync(request);
        if (token.User is not { } user)
        {
            return null;
        }
        var socketConnection = session.Create(user);
        if (!admission.TryAdmitWithoutResponse(request, socketConnection))
        {
            return null;
        }
        try
        {
            var read = await input.ReadAsync();
            input.AdvanceTo(read.Buffer.GetPosition(head.Length));
            var subProtocol = WebSocketSession.SubProtocolFor(head.RequestedProtocols);
            await connection.Transport.Output.WriteAsync(SwitchingProtocols(head.Key, subProtocol));
            var socket = WebSocket.CreateFromStream(new CloseReasonStream(new TransportStream(connection.Transport)), new WebSocketCreationOptions
            {
                IsServer = true,
                SubProtocol = subProtocol,
                KeepAliveInterval = session.KeepAliveInterval,
                KeepAliveTimeout = session.KeepAliveTimeout,
            });
            ConnectSpan(request, socketConnection.Id, started);
            return (socketConnection, socket, request.Headers[RealtimeHeaders.EdgeAffinity].FirstOrDefault());
        }
        catch
        {
            await admission.ReleaseAsync(socketConnection);
            throw;
        }
    }

    /// <summary>The head when it is an upgrade we take; either way nothing is consumed.</summary>
    private async Task<WebSocketRequestHead?> PeekHeadAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(_options.HeadTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            var buffer = result.Buffer;
            var status = WebSocketRequestHead.TryRead(buffer, _options.MaxHeadBytes, out var head);
            if (status == WebSocketRequestHead.HeadStatus.Incomplete && !result.IsCompleted && !result.IsCanceled)
            {
                // Examined to the end: the next read waits for more bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            input.AdvanceTo(buffer.Start);
            return head;
        }
    }

    /// <summary>A request as the HTTP path would see it, for the checks that take one; it does not outlive the accept.</summary>
    private HttpRequest RequestOf(WebSocketRequestHead head, ConnectionContext connection)
    {
        var context = new DefaultHttpContext();
        var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
        request.Protocol = "HTTP/1.1";
        request.Method = HttpMethods.Get;
        request.Scheme = "http";
        request.Path = head.Path;
        request.QueryString = head.QueryString;
        request.RawTarget = head.Path + head.QueryString;
        request.Headers = head.Headers;
        var remote = connection.RemoteEndPoint as IPEndPoint;
        var local = connection.LocalEndPoint as IPEndPoint;
        context.Features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = connection.ConnectionId,
            RemoteIpAddress = remote?.Address,
            RemotePort = remote?.Port ?? 0,
            LocalIpAddress = local?.Address,
            LocalPort = local?.Port ?? 0,
        });
        _forwardedHeaders.ApplyForwarders(context);
        return context.Request;
    }

    private byte[] SwitchingProtocols(string key, string? subProtocol)
    {
        var concatenated = new byte[key.Length + s_acceptGuid.Length];
        Encoding.ASCII.GetBytes(key, concatenated);
        s_acceptGuid.CopyTo(concatenated, key.Length);
        var accept = Convert.ToBase64String(SHA1.HashData(concatenated));
        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(accept).Append("\r\n");
        if (subProtocol is not null)
        {
            response.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        }
        response.Append(RealtimeHeaders.Replica).Append(": ").Append(replica.Name).Append("\r\n\r\n");
        return Encoding.ASCII.GetBytes(response.ToString());
    }

    /// <summary>
    /// The connect's span, as the HTTP path's ends at the upgrade (<see cref="UpgradedRequest"/>): same name and tags,
    /// the caller's trace context from <c>traceparent</c>, from the head's arrival to the 101.
    /// </summary>
    private static void ConnectSpan(HttpRequest request, string connectionId, DateTimeOffset started)
    {
        if (!ConnectionTelemetry.Source.HasListeners())
        {
            return;
        }
        DistributedContextPropagator.Current.ExtractTraceIdAndState(request.Headers, static (carrier, name, out value, out values) =>
        {
            values = null;
            value = ((IHeaderDictionary)carrier!)[name].FirstOrDefault();
        }, out var traceParent, out var traceState);
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        using var activity = ConnectionTelemetry.Source.StartActivity($"{HttpMethods.Get} {WebSocketEndpoint.Path}", ActivityKind.Server, parent, startTime: started);
        activity?.SetTag("http.request.method", HttpMethods.Get)
            .SetTag("url.scheme", request.Scheme)
            .SetTag("url.path", WebSocketEndpoint.Path.Value)
            .SetTag("http.route", WebSocketEndpoint.Path.Value)
            .SetTag("network.protocol.version", "1.1")
            .SetTag("http.response.status_code", StatusCodes.Status101SwitchingProtocols)
            .SetTag("realtime.connection.id", connectionId)
            .SetTag("realtime.accept.path", AcceptPaths.ConnectionMiddleware);
    }
}
