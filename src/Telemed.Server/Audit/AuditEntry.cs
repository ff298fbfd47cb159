using Telemed.Domain.Abdm;
using Telemed.Domain.Audit;
using Telemed.Domain.Consultations;
using Telemed.Domain.Dispensing;
using Telemed.Domain.Identity;
using Telemed.Domain.Payments;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Records;
using Telemed.Domain.Spokes;
using Telemed.Server.Abdm;
using Telemed.Server.Devices;
using Telemed.Server.Dispensing;
using Telemed.Server.Identity;
using Telemed.Server.Records;
using Telemed.Server.Spokes;

namespace Telemed.Server.Audit;

/// <summary>
/// One audited act: who (account id), what (action on a resource named by ids only, never by content), when, from
/// which client address, and how it ended. Written in the same transaction as the event it indexes, so the append-only
/// event store stays the record and this document is only the way to search it.
/// </summary>
public sealed record AuditEntry(Guid Id, Guid EventId, Guid AccountId, string Action, string Resource, AuditOutcome Outcome, string? From, DateTimeOffset At)
{
    /// <summary>The audit entry an event stands for, or null for events that are not someone's act (queue moves, payments).</summary>
    public static AuditEntry? Of(Guid eventId, object @event, string? from) => Describe(@event) is { } act
        ? new AuditEntry(Infrastructure.Ids.New(), eventId, act.AccountId, act.Action, act.Resource, act.Outcome, from, act.At)
        : null;

    private sealed record Act(Guid AccountId, string Action, string Resource, AuditOutcome Outcome, DateTimeOffset At);

    private static Act? Describe(object @event) => @event switch
    {
        SignedIn e => new(e.AccountId, $"sign in ({e.Method})", Account(e.AccountId), AuditOutcome.Success, e.At),
        SignInFailed e => new(e.AccountId, $"sign in ({e.Reason})", Account(e.AccountId), AuditOutcome.Failure, e.At),
        RefreshTokenReused e => new(e.AccountId, "reuse a refresh token", Account(e.AccountId), AuditOutcome.Refused, e.At),
        SignedOut e => new(e.AccountId, "sign out", Account(e.AccountId), AuditOutcome.Success, e.At),
        SignedOutIdle e => new(e.AccountId, "sign out (idle)", Account(e.AccountId), AuditOutcome.Success, e.At),
        SessionLifetimeEnded e => new(e.AccountId, "sign out (session lifetime)", Account(e.AccountId), AuditOutcome.Success, e.At),
        SignedOutEverywhere e => new(e.AccountId, "sign out everywhere", Account(e.AccountId), AuditOutcome.Success, e.At),
        AccessRefused e => new(e.AccountId, e.Action, e.Resource, AuditOutcome.Refused, e.At),
        AccessGranted e => new(e.AccountId, e.Action, e.Resource, AuditOutcome.Success, e.At),
        PatientRegistered e => new(e.PatientId, "register as patient", Account(e.PatientId), AuditOutcome.Success, e.At),
        StaffRegistered e => new(e.RegisteredBy ?? e.StaffId, $"register {Roles.Name(e.Role)}", Account(e.StaffId), AuditOutcome.Success, e.At),
        AccountDeactivated e => new(e.By, "deactivate account", Account(e.AccountId), AuditOutcome.Success, e.At),
        MfaEnrolled e => new(e.StaffId, "enrol MFA", Account(e.StaffId), AuditOutcome.Success, e.At),
        MfaDisabled e => new(e.StaffId, "turn MFA off", Account(e.StaffId), AuditOutcome.Success, e.At),
        MfaReset e => new(e.By, "reset MFA", Account(e.StaffId), AuditOutcome.Success, e.At),
        RecoveryCodesRenewed e => new(e.StaffId, "renew MFA recovery codes", Account(e.StaffId), AuditOutcome.Success, e.At),
        RecoveryCodeUsed e => new(e.StaffId, $"sign in with an MFA recovery code ({e.Left} left)", Account(e.StaffId), AuditOutcome.Success, e.At),
        FacilityRegistered e => new(e.By, "register facility", $"facility/{e.FacilityId}", AuditOutcome.Success, e.At),
        PharmacyRegistered e => new(e.By, "register pharmacy", $"pharmacy/{e.PharmacyId}", AuditOutcome.Success, e.At),
        RegistryCheckRecorded e => new(e.By, e.Check.Verified ? $"{Registry(e)} ID verified" : $"register with {Registry(e)} ID unverified ({e.Check.Status}): {e.Check.ProceedReason}",
            $"{(e.Check.Registry == Domain.Abdm.Registry.Hpr ? "account" : "facility")}/{e.SubjectId}", AuditOutcome.Success, e.At),
        AbhaVerified e => new(e.PatientId, $"link ABHA ({e.Proof})", Account(e.PatientId), AuditOutcome.Success, e.At),
        AbhaDeclarationWithdrawn e => new(e.ProvedBy, "withdraw another patient's ABHA declaration (ABHA proved)", Account(e.PatientId), AuditOutcome.Success, e.At),
        GatewayCallbackRefused e => new(Guid.Empty, $"ABDM gateway callback ({e.Reason})", $"abdm{e.Path}", AuditOutcome.Refused, e.At),
        RecordRead e => new(e.ReaderId, $"read health record ({e.Basis})", e.Resource, AuditOutcome.Success, e.At),
        RecordsShared e => new(Guid.Empty, $"send health record to HIU {e.HiuId} under ABDM consent {e.ConsentId} ({string.Join(", ", e.HiTypes)})",
            $"consultation/{e.ConsultationId}", AuditOutcome.Success, e.At),
        RecordsRead e => new(e.ReaderId, e.Reason is null ? e.Action : $"{e.Action} ({e.Basis})", e.Resource, AuditOutcome.Success, e.At),
        RecordConsentGranted e => new(e.PatientId, "grant record access", $"patient/{e.PatientId}/consent/{e.DoctorId}", AuditOutcome.Success, e.At),
        RecordConsentRevoked e => new(e.PatientId, "withdraw record access", $"patient/{e.PatientId}/consent/{e.DoctorId}", AuditOutcome.Success, e.At),
        ParticipantJoined e => new(e.AccountId, "join room", Consultation(e.ConsultationId), AuditOutcome.Success, e.At),
        VitalsRecorded e => new(e.By, "record vitals", ClinicalRecord(e.ConsultationId), AuditOutcome.Success, e.At),
        DeviceVitalsRecorded e => new(e.By, e.Observation.Device.DeviceId is null ? "record device reading (Bluetooth)" : "record device reading (kiosk device)",
            ClinicalRecord(e.ConsultationId), AuditOutcome.Success, e.At),
        DeviceRegistered e => new(e.By, "register device", $"device/{e.DeviceId}", AuditOutcome.Success, e.At),
        DeviceRevoked e => new(e.By, "revoke device", $"device/{e.DeviceId}", AuditOutcome.Success, e.At),
        NotesRecorded e => new(e.By, "record notes", ClinicalRecord(e.ConsultationId), AuditOutcome.Success, e.At),
        DiagnosisRecorded e => new(e.By, "record diagnosis", ClinicalRecord(e.ConsultationId), AuditOutcome.Success, e.At),
        AddendumRecorded e => new(e.By, "record addendum", ClinicalRecord(e.ConsultationId), AuditOutcome.Success, e.At),
        PrescriptionSigned e => new(e.Content.Doctor.Id, "sign prescription", Prescription(e.PrescriptionId), AuditOutcome.Success, e.At),
        PrescriptionRevoked e => new(e.By, "revoke prescription", Prescription(e.PrescriptionId), AuditOutcome.Success, e.At),
        PrescriptionChecked e => new(e.PharmacistId, $"verify prescription ({e.Verdict})", Prescription(e.PrescriptionId), AuditOutcome.Success, e.At),
        PrescriptionVerifiedPublicly e => new(Guid.Empty, $"public verification ({e.Verdict?.ToString() ?? "unknown"})", Prescription(e.PrescriptionId),
            e.Verdict is null ? AuditOutcome.Failure : AuditOutcome.Success, e.At),
        PrescriptionDispensed e => new(e.PharmacistId, "dispense", Prescription(e.PrescriptionId), AuditOutcome.Success, e.At),
        StockReceived e => new(e.By, "receive stock", $"pharmacy/{e.PharmacyId}/stock", AuditOutcome.Success, e.At),
        StockAdjusted e => new(e.By, $"adjust stock ({e.Reason})", $"pharmacy/{e.PharmacyId}/stock", AuditOutcome.Success, e.At),
        LowStockThresholdSet e => new(e.By, "set low-stock threshold", $"pharmacy/{e.PharmacyId}/stock", AuditOutcome.Success, e.At),
        EmergencyAccessOpened e => new(e.AdminId, "open emergency access", $"opd-session/{e.SessionId}", AuditOutcome.Success, e.At),
        SpokeLinked e => new(e.By, "link spoke to hub", $"facility/{e.SpokeId}/hub/{e.HubId}", AuditOutcome.Success, e.At),
        SpokeUnlinked e => new(e.By, "unlink spoke from hub", $"facility/{e.SpokeId}/hub/{e.HubId}", AuditOutcome.Success, e.At),
        RosterPublished e => new(e.DoctorId, "publish roster", $"roster/{e.RosterId}", AuditOutcome.Success, e.At),
        RosterWithdrawn e => new(e.By, "withdraw roster", $"roster/{e.RosterId}", AuditOutcome.Success, e.At),
        PatientBroughtIn e => new(e.HealthWorkerId, "bring in patient at spoke", $"patient/{e.PatientId}/spoke/{e.SpokeId}", AuditOutcome.Success, e.At),
        RefundRequested { By: { } by } e => new(by, "request refund", $"payment/{e.PaymentId}", AuditOutcome.Success, e.At),
        _ => null,
    };

    private static string Account(Guid id) => $"account/{id}";

    private static string Registry(RegistryCheckRecorded e) => e.Check.Registry.ToString().ToUpperInvariant();

    private static string Consultation(Guid id) => $"consultation/{id}";

    private static string ClinicalRecord(Guid id) => $"consultation/{id}/record";

    private static string Prescription(Guid id) => $"prescription/{id}";
}
