using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Create the demo facility and accounts on start (idempotent). run.sh turns this on; production leaves it off.</summary>
    public bool Seed { get; set; }

    [MinLength(10)]
    public string Password { get; set; } = "telemed-demo";

    /// <summary>
    /// The demo admin's authenticator secret (base32, 160 bits), published so that a person trying the demo can add it
    /// to an authenticator app and tests can compute its codes: admins sign in only with a second factor.
    /// </summary>
    [RegularExpression("^[A-Z2-7]{32}$")]
    public string AdminTotpSecret { get; set; } = DemoAdminTotpSecret;

    public const string DemoAdminTotpSecret = "TELEMEDDEMOADMINTOTPSECRET234567";
}

/// <summary>The demo cast signs in with a published password: never in Production.</summary>
public sealed class DemoOptionsValidation(IHostEnvironment environment) : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options) =>
        options.Seed && environment.IsProduction()
            ? ValidateOptionsResult.Fail("Demo:Seed creates accounts whose password is in the repository; it is refused in Production.")
            : ValidateOptionsResult.Success;
}

/// <summary>The demo cast: one admin, two doctors, one pharmacist, three patients, one facility. Fixed ids, so seeding twice changes nothing.</summary>
public sealed class DemoSeeder(IDocumentStore store, IPasswordHasher<StaffAccount> hasher, MfaSecrets mfa, IOptions<DemoOptions> options, TimeProvider time)
    : StartupTask
{
    public static readonly Guid FacilityId = new("0193a000-0000-7000-8000-000000000001");
    public static readonly Guid AdminId = new("0193a000-0000-7000-8000-000000000010");
    public static readonly Guid DoctorAshaId = new("0193a000-0000-7000-8000-000000000011");
    public static readonly Guid DoctorRahulId = new("0193a000-0000-7000-8000-000000000012");
    public static readonly Guid PharmacistId = new("0193a000-0000-7000-8000-000000000013");
    public static readonly Guid PharmacyId = new("0193a000-0000-7000-8000-000000000031");

    public static readonly IReadOnlyList<PatientAccount> Patients =
    [
        new(new Guid("0193a000-0000-7000-8000-000000000021"), "Priya Sharma", 1988, new DateOnly(1988, 6, 14), Sex.Female,
            "+919876543210", "91-1111-2222-3333", "priya.sharma@sbx", DateTimeOffset.UnixEpoch),
        new(new Guid("0193a000-0000-7000-8000-000000000022"), "Ramesh Kumar", 1956, null, Sex.Male,
            "+919812345678", "91-2222-3333-4444", "ramesh.kumar56@sbx", DateTimeOffset.UnixEpoch),
        new(new Guid("0193a000-0000-7000-8000-000000000023"), "Fatima Shaikh", 1995, new DateOnly(1995, 1, 30), Sex.Female,
            "+917012345678", "91-3333-4444-5555", "fatima.shaikh@sbx", DateTimeOffset.UnixEpoch),
    ];

    public override Task StartingAsync(CancellationToken cancellationToken) => options.Value.Seed ? Seed(cancellationToken) : Task.CompletedTask;

    private async Task Seed(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<StaffAccount>(AdminId, cancellationToken) is not null)
        {
            await EnrolAdmin(session, cancellationToken);
            return;
        }
        var now = time.GetUtcNow();
        session.Insert(new Facility(FacilityId, "IN2710000123", "Telemed District Hospital", "Pune", "Maharashtra", now));
        Staff(session, AdminId, Role.Admin, "Telemed Admin", "admin@telemed.local", null, null, now);
        mfa.Enrolled(session, AdminId, TotpCodes.FromBase32(options.Value.AdminTotpSecret));
        Staff(session, DoctorAshaId, Role.Doctor, "Dr. Asha Verma", "asha.verma@telemed.local",
            new DoctorDetails("71-1234-5678-9012", "MBBS, MD (General Medicine)", "MMC-2009-04512", "Maharashtra Medical Council", "General Medicine", [FacilityId]),
            null, now);
        Staff(session, DoctorRahulId, Role.Doctor, "Dr. Rahul Nair", "rahul.nair@telemed.local",
            new DoctorDetails("71-2345-6789-0123", "MBBS, DCH", "TCMC-51234", "Travancore-Cochin Medical Council", "Paediatrics", [FacilityId]),
            null, now);
        session.Insert(new Pharmacy(PharmacyId, "Jan Aushadhi Kendra, Shivajinagar", "MH-PZ1-20B-123456", "Pune", "Maharashtra", now));
        Staff(session, PharmacistId, Role.Pharmacist, "Meena Iyer", "meena.iyer@telemed.local",
            null, new PharmacistDetails("MSPC-123456", "Maharashtra State Pharmacy Council", PharmacyId), now);
        foreach (var patient in Patients)
        {
            session.Insert(patient with { RegisteredAt = now });
            session.Events.StartStream(patient.Id, new PatientRegistered(patient.Id, now));
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.DocumentAlreadyExistsException)
        {
            // Another node, starting at the same moment, seeded first.
        }
    }

    /// <summary>The demo admin has an authenticator whenever the demo starts: the published one, unless another was enrolled.</summary>
    private async Task EnrolAdmin(IDocumentSession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<StaffMfa>(AdminId, cancellationToken) is not null)
        {
            return;
        }
        mfa.Enrolled(session, AdminId, TotpCodes.FromBase32(options.Value.AdminTotpSecret));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is JasperFx.ConcurrencyException or JasperFx.DocumentAlreadyExistsException)
        {
            // Another node, starting at the same moment, enrolled it first.
        }
    }

    private void Staff(IDocumentSession session, Guid id, Role role, string name, string email, DoctorDetails? doctor, PharmacistDetails? pharmacist, DateTimeOffset now)
    {
        var account = new StaffAccount(id, role, name, email, "", doctor, pharmacist, now);
        session.Insert(account with { PasswordHash = hasher.HashPassword(account, options.Value.Password) });
        session.Events.StartStream(id, new StaffRegistered(id, role, null, now));
    }
}
