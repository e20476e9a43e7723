namespace RealtimeAspire.Testing;

/// <summary>The last lines a resource wrote (its console, as the dashboard shows it), for assertions and failure reports.</summary>
public sealed class LogBuffer(int capacity = 20_000)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_gate)
        {
            return [.. _lines.Skip(Math.Max(0, _lines.Count - count))];
        }
    }
}
