using Telemed.Domain.Records;

namespace Telemed.Domain.Tests.Records;

public class RecordAccessTests
{
    private static readonly Guid Patient = Guid.NewGuid();
    private static readonly Guid Doctor = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_patient_reads_their_own_records() => RecordAccess.Basis(Patient, Patient, null, false, null, Now).ShouldBe(RecordAccessBasis.Self);

    [Fact]
    public void A_doctor_reads_them_while_the_patient_is_in_their_consultation() =>
        RecordAccess.Basis(Doctor, Patient, null, true, null, Now).ShouldBe(RecordAccessBasis.InConsultation);

    [Fact]
    public void The_doctor_who_wrote_a_record_reads_that_record() =>
        RecordAccess.Basis(Doctor, Patient, Doctor, false, null, Now).ShouldBe(RecordAccessBasis.Author);

    [Fact]
    public void A_doctor_without_consultation_or_consent_does_not() => RecordAccess.Basis(Doctor, Patient, null, false, null, Now).ShouldBeNull();

    [Fact]
    public void Consent_lets_that_doctor_read_until_it_ends_or_is_revoked()
    {
        var consent = RecordAccess.Grant(Patient, Doctor, 7, Now).Value;
        RecordAccess.Basis(Doctor, Patient, null, false, consent, Now.AddDays(6)).ShouldBe(RecordAccessBasis.Consent);
        RecordAccess.Basis(Doctor, Patient, null, false, consent, Now.AddDays(7)).ShouldBeNull();
        RecordAccess.Basis(Doctor, Patient, null, false, consent with { RevokedAt = Now }, Now.AddHours(1)).ShouldBeNull();
        RecordAccess.Basis(Guid.NewGuid(), Patient, null, false, consent, Now).ShouldBeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(91)]
    [InlineData(null)]
    public void Consent_lasts_one_to_ninety_days(int? days) => RecordAccess.Grant(Patient, Doctor, days, Now).IsSuccess.ShouldBeFalse();

    [Fact]
    public void A_guardian_reads_their_dependants_records_and_no_one_elses()
    {
        var guardian = Guid.NewGuid();
        RecordAccess.Basis(guardian, Patient, null, false, null, Now, guardianOfPatient: guardian).ShouldBe(RecordAccessBasis.Guardian);
        RecordAccess.Basis(guardian, Patient, null, false, null, Now, guardianOfPatient: Guid.NewGuid()).ShouldBeNull();
        RecordAccess.Basis(guardian, Patient, null, false, null, Now).ShouldBeNull();
        RecordAccess.Basis(Patient, guardian, null, false, null, Now, guardianOfPatient: null).ShouldBeNull("a dependant does not read their guardian's records");
    }
}
