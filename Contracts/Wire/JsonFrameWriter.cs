using System.Buffers;
using System.Text.Json;

namespace RealtimeAspire.Contracts.Wire;

/// <summary>
/// Writes a small JSON document into an exact-size <c>byte[]</c> through one buffer and one
/// <see cref="Utf8JsonWriter"/> per thread, reused. A writer over a fresh <see cref="ArrayBufferWriter{T}"/> asks
/// for 4 KB at its first write, so every frame and Kafka envelope cost a 4 KB buffer, its growth and the copy:
/// ≈ 17 KB allocated per publish, measured (docs/benchmarks.md). Only the returned array is allocated now.
/// </summary>
public static class JsonFrameWriter
{
    /// <summary>A buffer grown past this by a large message is not kept for the next one.</summary>
    private const int MaxRetainedBytes = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// <paramref name="write"/> runs synchronously on this thread; validation is off, so it may leave the document
    /// open (the message frame ends after <c>"seq":</c>).
    /// </summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxRetainedBytes)
        {
            t_buffer = null;
            t_writer = null;
        }
        return bytes;
    }
}
