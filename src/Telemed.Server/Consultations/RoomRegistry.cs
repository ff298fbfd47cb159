using System.Collections.Concurrent;
using System.Collections.Immutable;
using Telemed.Domain.Consultations;

namespace Telemed.Server.Consultations;

public sealed record RoomMember(Guid ConsultationId, Guid AccountId, ParticipantRole Role, string ConnectionId);

/// <summary>
/// Which connection is in which consultation room on this node, and who dropped out and may still come back.
/// A participant whose connection closes without hanging up gets a grace period to rejoin (page reload, network
/// switch); only when it runs out is the other side told they left.
/// </summary>
public sealed class RoomRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, RoomMember> byConnection = new();
    private readonly ConcurrentDictionary<(Guid Consultation, Guid Account), ImmutableArray<string>> byParticipant = new();
    private readonly ConcurrentDictionary<(Guid Consultation, Guid Account), ITimer> graceTimers = new();

    public static string Group(Guid consultationId) => $"room:{consultationId}";

    /// <summary>
    /// One participant's connections in one room, on every node: where signalling addressed to them goes. Joined with the
    /// room's group and left with it, so it never holds anyone outside the room.
    /// </summary>
    public static string MemberGroup(Guid consultationId, Guid accountId) => $"room:{consultationId}:member:{accountId}";

    public RoomMember? Member(string connectionId, Guid consultationId) =>
        byConnection.TryGetValue(connectionId, out var member) && member.ConsultationId == consultationId ? member : null;

    /// <summary>A participant's connections in a room, on this node.</summary>
    public ImmutableArray<string> Connections(Guid consultationId, Guid accountId) =>
        byParticipant.TryGetValue((consultationId, accountId), out var connections) ? connections : [];

    /// <summary>Records the connection in the room; true when it came back within someone's grace period.</summary>
    public bool Enter(RoomMember member)
    {
        lock (byParticipant)
        {
            if (byConnection.TryGetValue(member.ConnectionId, out var previous))
            {
                Unindex(previous);
            }
            byConnection[member.ConnectionId] = member;
            byParticipant.AddOrUpdate((member.ConsultationId, member.AccountId), [member.ConnectionId], (_, others) => others.Add(member.ConnectionId));
        }
        if (graceTimers.TryRemove((member.ConsultationId, member.AccountId), out var timer))
        {
            timer.Dispose();
            return true;
        }
        return false;
    }

    public RoomMember? Exit(string connectionId)
    {
        lock (byParticipant)
        {
            if (!byConnection.TryRemove(connectionId, out var member))
            {
                return null;
            }
            Unindex(member);
            return member;
        }
    }

    private void Unindex(RoomMember member)
    {
        var key = (member.ConsultationId, member.AccountId);
        var others = byParticipant[key].Remove(member.ConnectionId);
        if (others.IsEmpty)
        {
            byParticipant.TryRemove(key, out _);
        }
        else
        {
            byParticipant[key] = others;
        }
    }

    public bool StillConnected(Guid consultationId, Guid accountId) => byParticipant.ContainsKey((consultationId, accountId));

    /// <summary>Runs <paramref name="expired"/> after the grace period unless the participant re-enters first.</summary>
    public void StartGrace(RoomMember member, TimeSpan grace, Func<Task> expired)
    {
        var key = (member.ConsultationId, member.AccountId);
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            if (graceTimers.TryRemove(KeyValuePair.Create(key, timer!)))
            {
                timer!.Dispose();
                _ = expired();
            }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (graceTimers.TryGetValue(key, out var previous))
        {
            previous.Dispose();
        }
        graceTimers[key] = timer;
        timer.Change(grace, Timeout.InfiniteTimeSpan);
    }
}
