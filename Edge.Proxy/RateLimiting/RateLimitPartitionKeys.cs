using System.Net;
using System.Net.Sockets;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>Which bucket a request falls into, per scope.</summary>
public static class RateLimitPartitionKeys
{
    /// <summary><c>user:{sub}</c> when the request carries a JWT with a subject, else the IP key.</summary>
    public static string User(HttpContext context) =>
        JwtSubject.Read(JwtSubject.TokenOf(context.Request)) is { } subject ? "user:" + subject : Ip(context);

    /// <summary>
    /// <c>ip:{address}</c>; IPv4-mapped IPv6 as IPv4, and IPv6 by its /64 prefix, since one host commonly holds a
    /// whole /64 and could otherwise mint a fresh bucket per address.
    /// </summary>
    public static string Ip(HttpContext context) => "ip:" + Normalize(context.Connection.RemoteIpAddress);

    public static string Normalize(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
