using System.Security.Claims;
using Marten;
using Telemed.Domain.Queue;

namespace Telemed.Server.Queue;

/// <summary>
/// Another feature's record of what a queue command did (a consultation started, a fee refunded), written in the
/// command's own transaction so both are saved or neither. A refusal stops the command: nothing of it is saved.
/// </summary>
public interface IQueueLedger
{
    Task<QueueError?> Record(
        IDocumentSession session, OpdSession before, OpdSession after, IReadOnlyList<IQueueEvent> events, CancellationToken cancellationToken);
}

/// <summary>The fee of a paid session. The queue asks only for sessions that charge one; a free check-in never leaves the queue.</summary>
public interface ICheckInFees
{
    /// <summary>Whether this server can take payments at all (a paid session cannot be opened otherwise).</summary>
    bool Enabled { get; }

    /// <summary>Checks the patient in and holds their place until the fee is paid, or finds the hold a repeated check-in made.</summary>
    Task<CheckInOutcome> CheckIn(
        ClaimsPrincipal user, OpdSession state, CheckIn command, long? expectedVersion, Action<IDocumentSession, OpdSession> alsoOnChange,
        CancellationToken cancellationToken);
}

/// <summary>What a check-in did, and for a paid session the payment as the patient's app needs it to pay (none when it failed).</summary>
public sealed record CheckInOutcome(QueueOutcome Outcome, object? Payment);
