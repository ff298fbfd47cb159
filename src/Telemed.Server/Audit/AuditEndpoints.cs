using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain;
using Telemed.Domain.Audit;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Audit;

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, int? NextOffset);

public sealed record AuditEntryView(Guid AccountId, string Action, string Resource, AuditOutcome Outcome, string? From, DateTimeOffset At)
{
    public static AuditEntryView Of(AuditEntry entry) => new(entry.AccountId, entry.Action, entry.Resource, entry.Outcome, entry.From, entry.At);
}

/// <summary>Admins search the audit trail: who did what to which record, when, from where, and whether it was allowed.</summary>
public static class AuditEndpoints
{
    public static WebApplication MapAudit(this WebApplication app)
    {
        app.MapGet("/api/admin/audit", Search).WithTags("Admin").RequireAuthorization(Roles.Admin)
            .WithSummary("Audit trail, newest first; filter by accountId, resource and action (prefixes), outcome, from/to; page with offset and limit (≤ 500).");
        return app;
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> Search(
        string? accountId, string? resource, string? action, string? outcome, string? from, string? to, string? offset, string? limit,
        IQuerySession session, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (AuditQuery.Parse(accountId, resource, action, outcome, from, to, offset, limit, errors) is not { } query)
        {
            return Problems.Invalid(errors);
        }
        var entries = session.Query<AuditEntry>().AsQueryable();
        if (query.AccountId is { } account)
        {
            entries = entries.Where(e => e.AccountId == account);
        }
        if (query.ResourcePrefix is { } prefix)
        {
            entries = entries.Where(e => e.Resource.StartsWith(prefix));
        }
        if (query.Action is { } act)
        {
            entries = entries.Where(e => e.Action.StartsWith(act));
        }
        if (query.Outcome is { } result)
        {
            entries = entries.Where(e => e.Outcome == result);
        }
        if (query.From is { } start)
        {
            entries = entries.Where(e => e.At >= start);
        }
        if (query.To is { } end)
        {
            entries = entries.Where(e => e.At <= end);
        }
        // One more than asked for tells whether another page follows.
        var page = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(query.Offset).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > query.Limit;
        return TypedResults.Ok(new AuditPage([.. page.Take(query.Limit).Select(AuditEntryView.Of)], more ? query.Offset + query.Limit : null));
    }
}
