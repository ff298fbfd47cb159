using System.Text.Json;
using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

/// <summary>Given events / When a decision / Then events or a refusal.</summary>
public abstract class QueueSpec
{
    protected static readonly Guid SessionId = Guid.Parse("11111111-0000-0000-0000-000000000001");
    protected static readonly Guid FacilityId = Guid.Parse("11111111-0000-0000-0000-000000000002");
    protected static readonly Guid DoctorA = Guid.Parse("22222222-0000-0000-0000-00000000000a");
    protected static readonly Guid DoctorB = Guid.Parse("22222222-0000-0000-0000-00000000000b");
    protected static readonly Guid Stranger = Guid.Parse("22222222-0000-0000-0000-00000000000f");
    protected static readonly Guid Patient1 = Guid.Parse("33333333-0000-0000-0000-000000000001");
    protected static readonly Guid Patient2 = Guid.Parse("33333333-0000-0000-0000-000000000002");
    protected static readonly Guid Patient3 = Guid.Parse("33333333-0000-0000-0000-000000000003");
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
    protected static readonly PatientSummary Summary = new("P", 40, "female");
    protected static readonly Func<Guid, bool> Online = _ => true;
    protected static readonly Guid Consultation = Guid.Parse("55555555-0000-0000-0000-000000000001");

    protected static SessionOpened Opened(int capacity = 10, int noShowAfter = 3, int slotMinutes = 10) =>
        new(SessionId, FacilityId, [DoctorA, DoctorB], Now.AddMinutes(-30), Now.AddHours(3), 0, capacity, "General Medicine", slotMinutes, noShowAfter, DoctorA, Now.AddMinutes(-30));

    protected static PatientCheckedIn CheckedIn(int token, Guid patient, int minutesAgo = 20) =>
        new(SessionId, token, patient, Summary, null, [], Now.AddMinutes(-minutesAgo));

    protected static OpdSession Given(params IQueueEvent[] events) => events.Aggregate((OpdSession?)null, OpdSession.Evolve)!;

    protected static void Then(Result<IReadOnlyList<IQueueEvent>, QueueError> result, params IQueueEvent[] expected)
    {
        result.IsSuccess.ShouldBeTrue(result.IsSuccess ? null : $"refused: {result.Error.Message}");
        Json(result.Value).ShouldBe(Json(expected));
    }

    protected static void Refused(Result<IReadOnlyList<IQueueEvent>, QueueError> result, QueueErrorCode code)
    {
        result.IsSuccess.ShouldBeFalse();
        result.Error.Code.ShouldBe(code);
        result.Error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    private static string Json(IEnumerable<IQueueEvent> events) =>
        JsonSerializer.Serialize(events.Select(e => (object)e).ToList());
}
