using Marten;
using Marten.Services;

namespace Telemed.Server.Audit;

/// <summary>
/// Indexes every audited event as it is saved, whichever session saves it, with the address of the client whose request
/// (or hub connection) caused it; background work has no client and records none.
/// </summary>
public sealed class AuditRecorder(IHttpContextAccessor http) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var events = session.PendingChanges.Streams().SelectMany(stream => stream.Events).ToList();
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }
        var from = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        var entries = events.Select(e => AuditEntry.Of(e.Id, e.Data, from)).OfType<AuditEntry>().ToList();
        if (entries.Count > 0)
        {
            session.Insert(entries.ToArray());
        }
        return Task.CompletedTask;
    }
}
