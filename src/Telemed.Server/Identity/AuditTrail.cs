using Marten;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

/// <summary>Records refused attempts on the caller's own account stream: the audit lives in the event store, never in logs.</summary>
public sealed class AuditTrail(IDocumentStore store, TimeProvider time)
{
    public Task Refused(Guid callerId, string resource, string action, CancellationToken cancellationToken) =>
        Journal.Save(store, session => session.Events.Append(callerId, new AccessRefused(callerId, resource, action, time.GetUtcNow())), cancellationToken);

    public Task Granted(Guid callerId, string resource, string action, CancellationToken cancellationToken) =>
        Journal.Save(store, session => session.Events.Append(callerId, new AccessGranted(callerId, resource, action, time.GetUtcNow())), cancellationToken);
}
