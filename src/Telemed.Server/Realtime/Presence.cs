using System.Collections.Concurrent;

namespace Telemed.Server.Realtime;

/// <summary>
/// Who has the app open right now (any hub connection), and which queue tokens each patient is watching.
/// In-memory on this node; with several nodes it moves to Redis (scale-out issue).
/// </summary>
public sealed class Presence
{
    private readonly ConcurrentDictionary<Guid, int> connections = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, int>> watching = new();

    public bool IsOnline(Guid accountId) => connections.TryGetValue(accountId, out var count) && count > 0;

    /// <summary>True when this connection brought the account online.</summary>
    public bool Connected(Guid accountId) => connections.AddOrUpdate(accountId, 1, (_, count) => count + 1) == 1;

    /// <summary>True when the account's last connection closed.</summary>
    public bool Disconnected(Guid accountId)
    {
        if (connections.AddOrUpdate(accountId, 0, (_, count) => Math.Max(0, count - 1)) != 0)
        {
            return false;
        }
        connections.TryRemove(KeyValuePair.Create(accountId, 0));
        return true;
    }

    public void Watching(Guid patientId, Guid sessionId, int token) =>
        watching.GetOrAdd(patientId, _ => new ConcurrentDictionary<Guid, int>())[sessionId] = token;

    public IReadOnlyList<KeyValuePair<Guid, int>> TokensWatchedBy(Guid patientId) =>
        watching.TryGetValue(patientId, out var tokens) ? tokens.ToList() : [];
}
