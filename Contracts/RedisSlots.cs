namespace RealtimeAspire.Contracts;

/// <summary>
/// Redis Cluster's key → slot mapping (CRC16/XMODEM of the key's hash tag, modulo 16384), and for every slot a
/// short tag that hashes to it. A key that belongs with a channel's keys but cannot carry the channel's name (the
/// per-slot epoch) is named with its slot's tag, so one script can touch both on a cluster.
/// </summary>
public static class RedisSlots
{
    public const int Count = 16384;

    private static readonly Lazy<string[]> s_tags = new(BuildTags);

    /// <summary>The slot of <paramref name="key"/>: only the part inside the first non-empty <c>{…}</c> counts, as Redis hashes it.</summary>
    public static int Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hashed = key.AsSpan();
        var open = hashed.IndexOf('{');
        if (open >= 0)
        {
            var close = hashed[(open + 1)..].IndexOf('}');
            if (close > 0)
            {
                hashed = hashed.Slice(open + 1, close);
            }
        }
        return Crc16(hashed) % Count;
    }

    /// <summary>A short string whose hash is <paramref name="slot"/>: <c>{tag}</c> in a key puts the key in that slot.</summary>
    public static string Tag(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Count);
        return s_tags.Value[slot];
    }

    private static string[] BuildTags()
    {
        // Counting in base 36 fills all 16384 slots after a few hundred thousand hashes (a few milliseconds, once).
        var tags = new string[Count];
        var filled = 0;
        Span<char> buffer = stackalloc char[8];
        for (var n = 0; filled < Count; n++)
        {
            var length = 0;
            for (var v = n; length == 0 || v > 0; v /= 36)
            {
                buffer[length++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
            }
            var candidate = buffer[..length];
            var slot = Crc16(candidate) % Count;
            if (tags[slot] is null)
            {
                tags[slot] = new string(candidate);
                filled++;
            }
        }
        return tags;
    }

    // CRC16/XMODEM (polynomial 0x1021, initial 0) over the UTF-8 bytes, as the cluster specification defines it.
    private static int Crc16(ReadOnlySpan<char> text)
    {
        Span<byte> small = stackalloc byte[256];
        var count = System.Text.Encoding.UTF8.GetByteCount(text);
        var bytes = count <= small.Length ? small[..count] : new byte[count];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}
