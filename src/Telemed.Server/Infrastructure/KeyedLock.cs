namespace Telemed.Server.Infrastructure;

/// <summary>
/// One turn at a time per key within this node. An entry lives only while someone holds or waits for its turn, so the
/// number of entries is bounded by the work in flight, not by how many keys the node has ever seen.
/// </summary>
public sealed class KeyedLock<TKey> where TKey : notnull
{
    private sealed class Entry : IDisposable
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public int Users;

        public void Dispose() => Turn.Dispose();
    }

    private readonly Dictionary<TKey, Entry> entries = [];

    /// <summary>Keys someone holds or waits for now.</summary>
    public int Count
    {
        get
        {
            lock (entries)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Waits for the key's turn; disposing the result ends it.</summary>
    public async Task<IDisposable> Acquire(TKey key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!))
            {
                entries[key] = entry = new Entry();
            }
            entry.Users++;
        }
        try
        {
            await entry.Turn.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }
        return new Turn(this, key, entry);
    }

    private void Leave(TKey key, Entry entry)
    {
        lock (entries)
        {
            if (--entry.Users == 0)
            {
                entries.Remove(key);
                entry.Dispose();
            }
        }
    }

    private sealed class Turn(KeyedLock<TKey> owner, TKey key, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                entry.Turn.Release();
                owner.Leave(key, entry);
            }
        }
    }
}
