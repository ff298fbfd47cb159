using Telemed.Domain;
using Telemed.Domain.Queue;

namespace Telemed.Server.Queue;

/// <summary>
/// The queue commands REST and the hub share. Each names who may send it and which pure decision it runs;
/// <see cref="QueueService"/> does the loading, authorising, appending and pushing around it.
/// </summary>
public abstract record QueueCommand(string Action)
{
    /// <summary>Session doctors only (it assigns or concerns the calling doctor). Otherwise doctors and admins.</summary>
    public virtual bool DoctorOnly => false;

    public virtual bool PatientOnly => false;

    /// <summary>A spoke's health worker, for a patient they brought in (checked by the endpoint before it sends the command).</summary>
    public virtual bool HealthWorkerOnly => false;

    /// <summary>Only the server sends it (see <see cref="QueueService.ExecuteAsSystem"/>).</summary>
    public virtual bool SystemOnly => false;

    public virtual int? Token => null;

    /// <summary>What the command touches, as a refused attempt is audited.</summary>
    public virtual string Resource(Guid sessionId) => Token is { } token ? $"opd-session/{sessionId}/token/{token}" : $"opd-session/{sessionId}";

    public abstract Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now);
}

public sealed record PauseSession() : QueueCommand("pause")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Pause(session, caller, now);
}

public sealed record ResumeSession() : QueueCommand("resume")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Resume(session, caller, now);
}

public sealed record CloseSession() : QueueCommand("close")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Close(session, caller, now);
}

public sealed record CallNext() : QueueCommand("call next")
{
    public override bool DoctorOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.CallNext(session, caller, isOnline, now);
}

public abstract record TokenCommand(int TokenNumber, string Action) : QueueCommand(Action)
{
    public override int? Token => TokenNumber;
}

public sealed record CallToken(int TokenNumber) : TokenCommand(TokenNumber, "call")
{
    public override bool DoctorOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.CallToken(session, TokenNumber, caller, isOnline, now);
}

public sealed record SkipToken(int TokenNumber) : TokenCommand(TokenNumber, "skip")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Skip(session, TokenNumber, caller, now);
}

public sealed record MarkNoShow(int TokenNumber) : TokenCommand(TokenNumber, "mark no-show")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.MarkNoShow(session, TokenNumber, caller, now);
}

public sealed record RecallToken(int TokenNumber) : TokenCommand(TokenNumber, "recall")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Recall(session, TokenNumber, caller, now);
}

/// <summary>The consultation id is chosen once, so a retried decision starts the same consultation.</summary>
public sealed record StartConsultation(int TokenNumber) : TokenCommand(TokenNumber, "start consultation")
{
    public Guid ConsultationId { get; } = Telemed.Server.Infrastructure.Ids.New();

    public override bool DoctorOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.StartConsultation(session, TokenNumber, caller, ConsultationId, now);
}

public sealed record CompleteConsultation(int TokenNumber) : TokenCommand(TokenNumber, "complete")
{
    public override bool DoctorOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Complete(session, TokenNumber, caller, now);
}

public sealed record MarkLeft(int TokenNumber) : TokenCommand(TokenNumber, "mark as left")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.MarkLeft(session, TokenNumber, caller, now);
}

public sealed record PrioritiseToken(int TokenNumber, Priority Priority) : TokenCommand(TokenNumber, "prioritise")
{
    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Prioritise(session, TokenNumber, Priority, caller, now);
}

public sealed record CancelToken(int TokenNumber) : TokenCommand(TokenNumber, "cancel")
{
    public override bool PatientOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.Cancel(session, TokenNumber, caller, now);
}

public sealed record CheckIn(
    Guid PatientId, PatientSummary Patient, string? Complaint, IReadOnlyList<AttachmentRef> Attachments, Guid? PaymentId = null,
    AccompanyingAdult? AccompaniedBy = null)
    : QueueCommand("check in")
{
    public override bool PatientOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.CheckIn(session, PatientId, Patient, Complaint, Attachments, now, PaymentId, AccompaniedBy);
}

public sealed record MarkNotHeld(int TokenNumber, string? Reason) : TokenCommand(TokenNumber, "mark as not held")
{
    public override bool DoctorOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.MarkNotHeld(session, TokenNumber, caller, Reason, now);
}

public sealed record MarkPaid(int TokenNumber, Guid PaymentId) : TokenCommand(TokenNumber, "mark paid")
{
    public override bool SystemOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.MarkPaid(session, TokenNumber, PaymentId, now);
}

public sealed record ExpirePaymentHolds(TimeSpan Hold) : QueueCommand("expire payment holds")
{
    public override bool SystemOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        QueueDecisions.ExpireHolds(session, Hold, now);
}
