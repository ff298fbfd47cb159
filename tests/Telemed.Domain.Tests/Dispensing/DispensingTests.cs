using Telemed.Domain.Consultations;
using Telemed.Domain.Dispensing;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Dispensing;

public class DispensingTests
{
    private static readonly Guid Id = Guid.Parse("77777777-0000-0000-0000-0000000000aa");
    private static readonly Guid Doctor = Guid.Parse("77777777-0000-0000-0000-00000000000d");
    private static readonly Guid Pharmacy = Guid.Parse("77777777-0000-0000-0000-0000000000f1");
    private static readonly Guid Pharmacist = Guid.Parse("77777777-0000-0000-0000-0000000000f2");
    private static readonly DateTimeOffset Issued = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    private static readonly PrescribedMedicine Paracetamol = new("paracetamol", "500 mg", "tablet", "1", "1-0-1", "oral", 3, 6, null, TpgGroup.O, MedicinePurpose.Start);
    private static readonly PrescribedMedicine Amoxicillin = new("amoxicillin", "500 mg", "capsule", "1", "TDS", "oral", 5, 15, null, TpgGroup.A, MedicinePurpose.Start);

    private static readonly Prescription Signed = Prescription.Evolve(null, new PrescriptionSigned(Id, new PrescriptionContent(
        Id, Guid.NewGuid(), Issued, new DateOnly(2026, 12, 25), ConsultKind.FirstConsult, ConsultationMedium.Video,
        new FacilityDetails(Guid.NewGuid(), "PHC", "IN2710000001"), new PrescriberDetails(Doctor, "Dr A", "MBBS", "KMC-1", "KMC", "71-1234-5678-9012"),
        new PatientDetails(Guid.NewGuid(), "Priya Sharma", 30, Sex.Female, null, null), null, new Diagnosis("Fever", null), [Paracetamol, Amoxicillin],
        null, null, null), "jws", "kid", Issued));

    private static Result<IReadOnlyList<IPrescriptionEvent>, PrescriptionError> Dispense(Prescription p, Guid requestId, params DispenseInput[] lines) =>
        Dispensation.Dispense(p, Dispensation.Check(p, true, Issued), requestId, Pharmacy, Pharmacist, lines, Issued);

    private static Prescription After(Prescription p, Result<IReadOnlyList<IPrescriptionEvent>, PrescriptionError> result) =>
        result.Value.Aggregate(p, Prescription.Evolve);

    [Fact]
    public void Partial_dispenses_add_up_to_the_prescribed_quantity_and_no_further()
    {
        var first = After(Signed, Dispense(Signed, Guid.NewGuid(), new DispenseInput(1, 5, null, "Mox", "B123")));
        first.Remaining(1).ShouldBe(10);
        var second = After(first, Dispense(first, Guid.NewGuid(), new DispenseInput(1, 10, "Amoxicillin", "Novamox", null), new DispenseInput(0, 6, null, null, null)));
        second.FullyDispensed.ShouldBeTrue();
        Dispensation.Check(second, true, Issued).ShouldBe(Verdict.FullyDispensed);
        Dispense(second, Guid.NewGuid(), new DispenseInput(0, 1, null, null, null)).Error.Code.ShouldBe("FullyDispensed");
    }

    [Fact]
    public void More_than_remains_is_refused_with_what_remains()
    {
        var refused = Dispense(Signed, Guid.NewGuid(), new DispenseInput(0, 7, null, null, null));
        refused.Error.Code.ShouldBe("NotDispensable");
        refused.Error.Message.ShouldContain("only 6 of 6 remain");
    }

    [Fact]
    public void A_retried_request_changes_nothing()
    {
        var requestId = Guid.NewGuid();
        var once = After(Signed, Dispense(Signed, requestId, new DispenseInput(0, 6, null, null, null)));
        Dispense(once, requestId, new DispenseInput(0, 6, null, null, null)).Value.ShouldBeEmpty();
        once.Dispensed[0].ShouldBe(6);
    }

    [Fact]
    public void Brand_may_be_substituted_but_not_the_generic() =>
        Dispense(Signed, Guid.NewGuid(), new DispenseInput(1, 5, "azithromycin", null, null)).Error.Message.ShouldContain("may not be substituted");

    [Theory]
    [InlineData(5, 1)]
    [InlineData(0, 0)]
    [InlineData(-1, 1)]
    public void Lines_must_exist_and_quantities_be_positive(int line, int quantity) =>
        Dispense(Signed, Guid.NewGuid(), new DispenseInput(line, quantity, null, null, null)).Error.Code.ShouldBe("NotDispensable");

    [Fact]
    public void Revoked_expired_or_badly_signed_prescriptions_are_not_dispensed()
    {
        var revoked = Prescription.Evolve(Signed, new PrescriptionRevoked(Id, Doctor, "wrong dose", Issued));
        Dispensation.Check(revoked, true, Issued).ShouldBe(Verdict.Revoked);
        Dispensation.Check(Signed, false, Issued).ShouldBe(Verdict.InvalidSignature);
        Dispensation.Dispense(revoked, Verdict.Revoked, Guid.NewGuid(), Pharmacy, Pharmacist, [new DispenseInput(0, 1, null, null, null)], Issued)
            .Error.Code.ShouldBe("Revoked");
    }

    [Fact]
    public void A_prescription_expires_after_its_valid_until_day_in_India()
    {
        // Valid until 25 December: still valid at 23:59 IST that day (18:29 UTC), expired a minute after midnight IST.
        Dispensation.Check(Signed, true, new DateTimeOffset(2026, 12, 25, 18, 29, 0, TimeSpan.Zero)).ShouldBe(Verdict.Valid);
        Dispensation.Check(Signed, true, new DateTimeOffset(2026, 12, 25, 18, 31, 0, TimeSpan.Zero)).ShouldBe(Verdict.Expired);
    }
}
