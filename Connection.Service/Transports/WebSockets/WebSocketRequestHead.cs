using System.Buffers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// A connection's first request head, read by <see cref="WebSocketConnectionAccept"/> when it is a valid WebSocket
/// upgrade of <c>GET /connect/ws</c> over HTTP/1.1 (RFC 6455 §4.2.1, the checks ASP.NET Core's WebSocket middleware
/// makes) asking for no subprotocol or for ours. Anything else, or anything unusual (a body, a missing or repeated
/// <c>Host</c>, a folded line, a byte outside printable ASCII, a percent-encoded path), is <see cref="HeadStatus.NotOurs"/>:
/// Kestrel's parser and <see cref="WebSocketEndpoint"/> answer it as they always did.
/// </summary>
public sealed class WebSocketRequestHead
{
    private static readonly byte[] s_requestLineStart = "GET /connect/ws"u8.ToArray();
    private static readonly byte[] s_end = "\r\n\r\n"u8.ToArray();

    private WebSocketRequestHead(string path, string query, HeaderDictionary headers, int length, string key, int requestedProtocols)
    {
        Path = path;
        QueryString = query;
        Headers = headers;
        Length = length;
        Key = key;
        RequestedProtocols = requestedProtocols;
    }

    public enum HeadStatus
    {
        /// <summary>The bytes so far may still become an upgrade we take: read more.</summary>
        Incomplete,
        /// <summary>Leave the connection to Kestrel's HTTP pipeline.</summary>
        NotOurs,
        /// <summary>A complete, valid WebSocket upgrade of <c>/connect/ws</c>.</summary>
        Upgrade,
    }

    /// <summary>The path as sent (<c>/connect/ws</c> in any case).</summary>
    public string Path { get; }

    /// <summary>The query with its <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    public HeaderDictionary Headers { get; }

    /// <summary>Bytes of the head, its blank line included: what the 101 consumes from the connection.</summary>
    public int Length { get; }

    /// <summary><c>Sec-WebSocket-Key</c>, from which the 101's <c>Sec-WebSocket-Accept</c> is computed.</summary>
    public string Key { get; }

    /// <summary>How many subprotocols the client offered (ours among them when any).</summary>
    public int RequestedProtocols { get; }

    public static HeadStatus TryRead(ReadOnlySequence<byte> buffer, int maxBytes, out WebSocketRequestHead? head)
    {
        head = null;
        var length = (int)Math.Min(buffer.Length, maxBytes);
        var moreThanMax = buffer.Length > maxBytes;
        if (buffer.FirstSpan.Length >= length)
        {
            return TryRead(buffer.FirstSpan[..length], moreThanMax, out head);
        }
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            return TryRead(rented.AsSpan(0, length), moreThanMax, out head);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static HeadStatus TryRead(ReadOnlySpan<byte> bytes, bool moreThanMax, out WebSocketRequestHead? head)
    {
        head = null;
        var prefix = Math.Min(bytes.Length, s_requestLineStart.Length);
        var method = Math.Min(prefix, "GET ".Length);
        // "GET " exactly, the path in any case (the endpoint's branch compares it so).
        if (!bytes[..method].SequenceEqual(s_requestLineStart.AsSpan(0, method))
            || !Ascii.EqualsIgnoreCase(bytes[..prefix], s_requestLineStart.AsSpan(0, prefix)))
        {
            return HeadStatus.NotOurs;
        }
        var end = bytes.IndexOf(s_end);
        if (end < 0)
        {
            return moreThanMax ? HeadStatus.NotOurs : HeadStatus.Incomplete;
        }
        var text = bytes[..(end + 2)];
        foreach (var b in text)
        {
            if (b is (< 0x20 and not (byte)'\t' and not (byte)'\r' and not (byte)'\n') or >= 0x7F)
            {
                return HeadStatus.NotOurs;
            }
        }
        var lineEnd = text.IndexOf("\r\n"u8);
        if (ParseRequestLine(text[..lineEnd]) is not var (path, query))
        {
            return HeadStatus.NotOurs;
        }
        var headers = new HeaderDictionary();
        var rest = text[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOf("\r\n"u8);
            if (!TryAddHeader(rest[..next], headers))
            {
                return HeadStatus.NotOurs;
            }
            rest = rest[(next + 2)..];
        }
        if (!IsUpgrade(headers, out var key, out var requested))
        {
            return HeadStatus.NotOurs;
        }
        head = new WebSocketRequestHead(path, query, headers, end + s_end.Length, key, requested);
        return HeadStatus.Upgrade;
    }

    private static (string Path, string Query)? ParseRequestLine(ReadOnlySpan<byte> line)
    {
        // GET SP target SP HTTP/1.1
        if (!line.EndsWith(" HTTP/1.1"u8))
        {
            return null;
        }
        var target = line["GET ".Length..^" HTTP/1.1".Length];
        var question = target.IndexOf((byte)'?');
        var path = question < 0 ? target : target[..question];
        if (path.Length != s_requestLineStart.Length - "GET ".Length || target.IndexOf((byte)' ') >= 0)
        {
            return null;
        }
        return (Encoding.ASCII.GetString(path), question < 0 ? "" : Encoding.ASCII.GetString(target[question..]));
    }

    private static bool TryAddHeader(ReadOnlySpan<byte> line, HeaderDictionary headers)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }
        foreach (var b in line[..colon])
        {
            // A token (RFC 9110 §5.6.2); a space before the colon or a folded line is not ours to judge.
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~".Contains((char)b)))
            {
                return false;
            }
        }
        var name = Encoding.ASCII.GetString(line[..colon]);
        var value = Encoding.ASCII.GetString(line[(colon + 1)..].Trim(" \t"u8));
        headers[name] = StringValues.Concat(headers[name], value);
        return true;
    }

    private static bool IsUpgrade(IHeaderDictionary headers, out string key, out int requested)
    {
        key = headers.SecWebSocketKey.ToString();
        requested = 0;
        if (headers.Host.Count != 1 || headers.ContainsKey("Content-Length") || headers.ContainsKey("Transfer-Encoding")
            || headers.SecWebSocketKey.Count != 1 || !IsValidKey(key)
            || headers.SecWebSocketVersion.ToString() != "13"
            || !string.Equals(headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase)
            || !ListContains(headers.Connection, "Upgrade"))
        {
            return false;
        }
        foreach (var values in headers.SecWebSocketProtocol)
        {
            requested += (values ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Length;
        }
        return requested == 0 || ListContains(headers.SecWebSocketProtocol, WebSocketEndpoint.SubProtocol, StringComparison.Ordinal);
    }

    private static bool ListContains(StringValues values, string item, StringComparison comparison = StringComparison.OrdinalIgnoreCase)
    {
        foreach (var value in values)
        {
            foreach (var entry in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (string.Equals(entry, item, comparison))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Base64 of 16 bytes (RFC 6455 §4.2.1 item 5).</summary>
    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[16];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }
}
