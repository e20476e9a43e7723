using System.Buffers.Text;

namespace RealtimeAspire.Contracts.Wire;

/// <summary>
/// The payload of a channel's pub/sub topic (<see cref="RedisKeys.Topic"/>): a short ASCII header, then the frame,
/// <c>{seq} {publishedAtMs} {kind}\n{frame JSON}</c>, so a replica learns position, age and kind without parsing JSON.
/// <c>seq</c> is 0 for frames outside the channel's order (ephemeral messages, typing, presence). Written by
/// <see cref="Create"/> (Connection.Service, Presence.Service) and by the publish script from <see cref="LuaPrefix"/>;
/// read by <see cref="TryParse"/>.
/// </summary>
public static class FanoutHeader
{
    public const byte Message = (byte)'m';
    public const byte Typing = (byte)'t';
    public const byte Presence = (byte)'p';
    public const byte Control = (byte)'c';

    private const byte Separator = (byte)' ';
    private const byte End = (byte)'\n';

    /// <summary>Two numbers of up to 20 digits, two separators, the kind and the end.</summary>
    private const int MaxHeaderBytes = 44;

    public static byte[] Create(long seq, long publishedAtMs, byte kind, ReadOnlySpan<byte> frame)
    {
        Span<byte> header = stackalloc byte[MaxHeaderBytes];
        Utf8Formatter.TryFormat(seq, header, out var length);
        header[length++] = Separator;
        Utf8Formatter.TryFormat(publishedAtMs, header[length..], out var written);
        length += written;
        header[length++] = Separator;
        header[length++] = kind;
        header[length++] = End;
        var payload = new byte[length + frame.Length];
        header[..length].CopyTo(payload);
        frame.CopyTo(payload.AsSpan(length));
        return payload;
    }

    /// <summary>
    /// The header as a Lua expression, for a script that learns the sequence number only as it runs:
    /// <c>seq .. ' ' .. ARGV[5] .. ' m\n'</c> for <c>LuaPrefix("seq", "ARGV[5]", Message)</c>.
    /// </summary>
    public static string LuaPrefix(string seqExpression, string publishedAtExpression, byte kind) =>
        $"{seqExpression} .. '{(char)Separator}' .. {publishedAtExpression} .. '{(char)Separator}{(char)kind}{LuaEnd}'";

    /// <summary><see cref="End"/> as a Lua string escape.</summary>
    private const string LuaEnd = "\\n";

    /// <summary>Reads the header; <paramref name="frameStart"/> is where the frame begins. False when the header is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out long seq, out long publishedAtMs, out byte kind, out int frameStart)
    {
        publishedAtMs = 0;
        kind = 0;
        frameStart = 0;
        var newline = payload.IndexOf(End);
        if (newline < 5
            || !Utf8Parser.TryParse(payload, out seq, out var seqLength) || payload[seqLength] != Separator
            || !Utf8Parser.TryParse(payload[(seqLength + 1)..], out publishedAtMs, out var tsLength))
        {
            seq = 0;
            return false;
        }
        var kindAt = seqLength + 1 + tsLength + 1;
        if (kindAt + 1 != newline)
        {
            return false;
        }
        kind = payload[kindAt];
        frameStart = newline + 1;
        return true;
    }
}
