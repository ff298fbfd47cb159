using Marten;
using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

/// <summary>A patient's prescribing history, from the care contexts of their completed consultations.</summary>
public static class PrescribingHistories
{
    public static async Task<PrescribingHistory> Load(IQuerySession session, Guid patientId, Guid currentConsultationId, CancellationToken cancellationToken)
    {
        var completed = await session.Query<CareContext>()
            .Where(c => c.PatientId == patientId && c.Status == ConsultationStatus.Completed && c.Id != currentConsultationId)
            .ToListAsync(cancellationToken);
        var visits = new List<EarlierVisit>(completed.Count);
        foreach (var context in completed)
        {
            visits.Add(context.Medicines is null
                ? await FromStream(session, context, cancellationToken)
                : new EarlierVisit(context.Id, context.DoctorId, context.EndedAt ?? context.StartedAt, context.Diagnosis, context.Medicines));
        }
        return new PrescribingHistory(visits);
    }

    /// <summary>A care context stored before it kept its diagnosis and medicines: read from the consultation's events.</summary>
    private static async Task<EarlierVisit> FromStream(IQuerySession session, CareContext context, CancellationToken cancellationToken)
    {
        var consultation = await session.Events.AggregateStreamAsync<Consultation>(context.Id, token: cancellationToken);
        return new EarlierVisit(context.Id, context.DoctorId, context.EndedAt ?? context.StartedAt, consultation?.Record.Diagnosis,
            [.. consultation?.Record.Medicines.Select(m => m.Generic) ?? []]);
    }
}
