using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Messages;

/// <summary>A patient's choice about messages, keyed by their account id. Absent means they get everything.</summary>
public sealed record MessagePreferences(Guid Id, bool OptOut, DateTimeOffset UpdatedAt);

public sealed record MessagePreferencesView(bool OptOut);

public sealed record MessagePreferencesRequest(bool? OptOut);

/// <summary>
/// Who a patient's messages go to: their mobile (a dependant's is the family's), e-mail if given, the devices subscribed
/// to web push, language, and whether they opted out.
/// </summary>
public sealed record Addressee(Guid PatientId, string Name, string Mobile, string? Email, string Language, bool OptOut, IReadOnlyList<Guid> Devices);

/// <summary>
/// Queues messages to patients in the caller's unit of work: fills in Telemed's address, writes each in the patient's
/// language, and records a non-essential message to a patient who opted out as suppressed instead of sending it.
/// A message that does not compose here is a bug in its caller (every value comes from Telemed itself), so it throws.
/// </summary>
public sealed class PatientMessages(Messenger messenger, IOptions<MessageOptions> options)
{
    public static async Task<IReadOnlyDictionary<Guid, Addressee>> Addressees(IQuerySession session, IReadOnlyCollection<Guid> patientIds, CancellationToken cancellationToken)
    {
        if (patientIds.Count == 0)
        {
            return new Dictionary<Guid, Addressee>();
        }
        // One round trip: this runs inside queue commands, which hold their session's write lock.
        var ids = patientIds.ToArray();
        var batch = session.CreateBatchQuery();
        var loadedPatients = batch.LoadMany<PatientAccount>().ById(ids);
        var loadedPreferences = batch.LoadMany<MessagePreferences>().ById(ids);
        var loadedDevices = batch.Query<DeviceSubscription>().Where(d => d.PatientId.In(ids)).ToList();
        await batch.Execute(cancellationToken);
        var preferences = (await loadedPreferences).ToDictionary(p => p.Id);
        var devices = (await loadedDevices).ToLookup(d => d.PatientId, d => d.Id);
        return (await loadedPatients).ToDictionary(p => p.Id, p => Of(p, preferences.TryGetValue(p.Id, out var chosen) && chosen.OptOut) with { Devices = [.. devices[p.Id]] });
    }

    public static async Task<Addressee?> Addressee(IQuerySession session, Guid patientId, CancellationToken cancellationToken) =>
        (await Addressees(session, [patientId], cancellationToken)).GetValueOrDefault(patientId);

    public static Addressee Of(PatientAccount patient, bool optOut) => new(patient.Id, patient.Name, patient.Mobile, patient.Email, patient.Language, optOut, []);

    /// <summary>
    /// An SMS, and the same text by web push to each device the patient subscribed (heard with the tab closed). Returns
    /// the ids of the messages queued, for a caller that may have to withdraw them.
    /// </summary>
    public IReadOnlyList<Guid> Sms(IDocumentSession session, Addressee to, MessageTemplate template, IReadOnlyDictionary<string, string> variables,
        DateTimeOffset? dueAt = null, DateTimeOffset? expiresAt = null) =>
    [
        Queue(session, to, to.Mobile, template, variables, dueAt, expiresAt),
        .. to.Devices.Select(device => Queue(session, to, device.ToString("N"), template, variables, dueAt, expiresAt, MessageChannel.Push)),
    ];

    /// <summary>Withdraws queued messages not yet handed over (a reminder of something cancelled): they lapse unsent.</summary>
    public static async Task Withdraw(IDocumentSession session, IEnumerable<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var id in messageIds)
        {
            if (await MessageDispatcher.LoadLocked(session, id, cancellationToken) is { State: DeliveryState.Pending } pending)
            {
                session.Update(pending with { State = DeliveryState.Lapsed, LastAttemptAt = now });
            }
        }
    }

    /// <summary>An e-mail, when the patient gave an address (otherwise nothing).</summary>
    public void Email(IDocumentSession session, Addressee to, MessageTemplate template, IReadOnlyDictionary<string, string> variables)
    {
        if (to.Email is { } email)
        {
            _ = Queue(session, to, email, template, variables, null, null);
        }
    }

    private Guid Queue(IDocumentSession session, Addressee to, string address, MessageTemplate template, IReadOnlyDictionary<string, string> variables,
        DateTimeOffset? dueAt, DateTimeOffset? expiresAt, MessageChannel? channel = null)
    {
        var filled = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        if (template.Variables.Any(v => v.Name == "site"))
        {
            filled["site"] = options.Value.Site;
        }
        var queued = messenger.Queue(session, template, address, to.Language, filled, dueAt: dueAt, expiresAt: expiresAt, optedOut: to.OptOut, channel: channel);
        return queued.IsSuccess ? queued.Value : throw new InvalidOperationException($"Message {template.Id} does not compose: {queued.Error.Message}");
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me/message-preferences").WithTags("Messages").RequireAuthorization(Roles.Patient);
        me.MapGet("/", Get).WithSummary("Patient: whether I opted out of messages that are not essential (codes, \"you are next\" and the doctor's call always come).");
        me.MapPut("/", Put).WithSummary("Patient: opt out of (or back into) messages that are not essential.");
    }

    private static async Task<Ok<MessagePreferencesView>> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken cancellationToken) =>
        TypedResults.Ok(new MessagePreferencesView((await session.LoadAsync<MessagePreferences>(user.AccountId(), cancellationToken))?.OptOut ?? false));

    private static async Task<Results<Ok<MessagePreferencesView>, ProblemHttpResult>> Put(
        MessagePreferencesRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.OptOut is not { } optOut)
        {
            return Problems.Invalid("optOut", "Say whether to opt out: true or false.");
        }
        session.Store(new MessagePreferences(user.AccountId(), optOut, time.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new MessagePreferencesView(optOut));
    }
}
