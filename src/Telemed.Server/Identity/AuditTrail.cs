using Marten;

namespace Telemed.Server.Identity;

/// <summary>Records refused attempts on the caller's own account stream: the audit lives in the event store, never in logs.</summary>
public sealed class AuditTrail(IDocumentStore store, TimeProvider time)
{
    public async Task Refused(Guid callerId, string resource, string action, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Events.Append(callerId, new AccessRefused(callerId, resource, action, time.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
    }
}
