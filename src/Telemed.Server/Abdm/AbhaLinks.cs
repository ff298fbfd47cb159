using Marten;
using Npgsql;
using Telemed.Domain;
using Telemed.Domain.Abdm;
using Telemed.Server.Identity;

namespace Telemed.Server.Abdm;

/// <summary>
/// Links a proved ABHA to a patient: decided by <see cref="AbhaLinking"/>, kept in the patient's <see cref="PatientAbha"/>
/// (which a unique index keeps to one patient per ABHA, even for two patients proving the same ABHA at once). Another
/// patient's mere declaration of the same ABHA is withdrawn. The caller saves the session, then journals what happened
/// on the patients' streams (<see cref="AbhaLinked.Journal"/>): those streams are appended by every read of their records
/// too, and such a race must not undo a link the patient just proved.
/// </summary>
public static class AbhaLinks
{
    public static async Task<Result<AbhaLinked, AbhaRefusal>> Link(
        IDocumentSession session, PatientAccount patient, AbhaProfile profile, AbhaProof proof, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = await session.LoadAsync<PatientAbha>(patient.Id, cancellationToken);
        var holders = await session.Query<PatientAbha>().Where(a => a.Profile.Number == profile.Number).Select(a => a.Id).ToListAsync(cancellationToken);
        Guid? holder = holders.Count > 0 ? holders[0] : null;
        var decision = AbhaLinking.Link(current, new AbhaHolderFacts(patient.Id, patient.Sex, patient.YearOfBirth), profile, proof, holder, now);
        if (!decision.IsSuccess)
        {
            return decision.Error;
        }
        session.Store(PatientAbha.Evolve(current, decision.Value));
        var withdrawals = new List<AbhaDeclarationWithdrawn>();
        var declaredElsewhere = await session.Query<PatientAccount>()
            .Where(p => p.Id != patient.Id && (p.AbhaNumber == profile.Number || (profile.Address != null && p.AbhaAddress == profile.Address)))
            .ToListAsync(cancellationToken);
        foreach (var other in declaredElsewhere)
        {
            var withdrawn = other with
            {
                AbhaNumber = other.AbhaNumber == profile.Number ? null : other.AbhaNumber,
                AbhaAddress = other.AbhaAddress == profile.Address ? null : other.AbhaAddress,
            };
            session.Store(withdrawn);
            withdrawals.Add(new AbhaDeclarationWithdrawn(other.Id, profile.Number, patient.Id, now));
        }
        return new AbhaLinked(decision.Value, withdrawals);
    }

    /// <summary>A save that lost the race for an ABHA to another patient (the unique index on the verified number).</summary>
    public static bool LostRace(Exception e) =>
        e.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
        && unique.ConstraintName?.Contains("abha", StringComparison.OrdinalIgnoreCase) == true;

    public static AbhaRefusal TakenMeanwhile(AbhaProfile profile) =>
        new(AbhaRefusalCode.LinkedToAnotherPatient, $"ABHA {profile.Number} was linked to another patient's record a moment ago, so it was not linked to yours.");
}

/// <summary>What a link did, to journal on the patients' streams once the link is saved.</summary>
public sealed record AbhaLinked(AbhaVerified Verified, IReadOnlyList<AbhaDeclarationWithdrawn> Withdrawn)
{
    public Task Journal(IDocumentStore store, CancellationToken cancellationToken) => Infrastructure.Journal.Save(store, journal =>
    {
        journal.Events.Append(Verified.PatientId, Verified);
        foreach (var withdrawn in Withdrawn)
        {
            journal.Events.Append(withdrawn.PatientId, withdrawn);
        }
    }, cancellationToken);
}
