using System.Security.Claims;
using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Telemed.Domain;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;

namespace Telemed.Server.Identity;

/// <summary>A facility to register; if the HFR does not verify its ID, <c>proceedUnverified</c> with a reason registers it anyway.</summary>
public sealed record RegisterFacilityRequest(string? HfrId, string? Name, string? District, string? State, bool? ProceedUnverified = null, string? UnverifiedReason = null);

public sealed record RegisterDoctorRequest(
    string? Name,
    string? Email,
    string? Password,
    string? HprId,
    string? Qualification,
    string? RegistrationNumber,
    string? StateCouncil,
    string? Specialty,
    IReadOnlyList<Guid>? FacilityIds,
    bool? ProceedUnverified = null,
    string? UnverifiedReason = null,
    string? Language = null);

public sealed record RegisterPharmacistRequest(
    string? Name, string? Email, string? Password, string? RegistrationNumber, string? StateCouncil, Guid? PharmacyId, string? Language = null);

public sealed record RegisterHealthOfficerRequest(string? Name, string? Email, string? Password, string? Language = null);

/// <summary><c>cadre</c>: communityHealthOfficer or anm; <c>facilityId</c>: the spoke they work at.</summary>
public sealed record RegisterHealthWorkerRequest(string? Name, string? Email, string? Password, string? Cadre, Guid? FacilityId, string? Language = null);

/// <summary><c>facilityId</c>: the facility whose own pharmacy this is (a spoke's prescriptions go to it); none for an independent pharmacy.</summary>
public sealed record RegisterPharmacyRequest(string? Name, string? LicenceNumber, string? District, string? State, Guid? FacilityId = null);

/// <summary>Admins register the people and places patients cannot vouch for: doctors, pharmacists, facilities.</summary>
public static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Roles.Admin);
        admin.MapPost("/facilities", RegisterFacility).WithSummary("Register a health facility (HFR ID, verified against the HFR or registered unverified with a reason).");
        admin.MapPost("/doctors", RegisterDoctor).WithSummary("Register a doctor (HPR ID verified against the HPR or registered unverified with a reason; a state council registration).");
        admin.MapPost("/pharmacies", RegisterPharmacy).WithSummary("Register a pharmacy (drug licence number).");
        admin.MapGet("/pharmacies", ListPharmacies).WithSummary("Registered pharmacies, by name (to choose a pharmacist's pharmacy).");
        admin.MapPost("/pharmacists", RegisterPharmacist).WithSummary("Register a pharmacist of a registered pharmacy.");
        admin.MapPost("/health-workers", RegisterHealthWorker).WithSummary("Register a health worker (community health officer or ANM) of a facility, their spoke.");
        admin.MapPost("/health-officers", RegisterHealthOfficer).WithSummary("Register a health officer (aggregate analytics only).");
        admin.MapGet("/staff", ListStaff).WithSummary("Staff accounts, optionally of one role.");
        admin.MapPost("/staff/{staffId:guid}/deactivate", Deactivate)
            .WithSummary("Switch a staff account off: no more sign-in or refresh, its sessions end and its live connections close.");
    }

    private static async Task<Results<Created<Facility>, ProblemHttpResult>> RegisterFacility(
        RegisterFacilityRequest request, ClaimsPrincipal user, IDocumentSession session, IRegistryLookup registries, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var hfrId = errors.Require("hfrId", HfrId.Parse(request.HfrId));
        var name = errors.Require("name", PersonRules.Text(request.Name, "Facility name", 150));
        var district = errors.Require("district", PersonRules.Text(request.District, "District", 80));
        var state = errors.Require("state", PersonRules.Text(request.State, "State", 80));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await session.Query<Facility>().AnyAsync(f => f.HfrId == hfrId!.Value, cancellationToken))
        {
            return Problems.Conflict($"A facility with HFR ID {hfrId} is already registered.");
        }
        var answer = RegistryRules.Compare(await registries.Facility(hfrId!.Value, cancellationToken), name!);
        var check = RegistryRules.Accept(Registry.Hfr, hfrId.Value, answer, request.ProceedUnverified == true, request.UnverifiedReason, time.GetUtcNow());
        if (!check.IsSuccess)
        {
            return Problems.Invalid("hfrId", check.Error.Message);
        }
        var facility = new Facility(Ids.New(), hfrId.Value, name!, district!, state!, time.GetUtcNow(), check.Value);
        session.Insert(facility);
        object[] registered = check.Value.Status == RegistryStatus.NotChecked
            ? [new FacilityRegistered(facility.Id, user.AccountId(), facility.RegisteredAt)]
            : [new FacilityRegistered(facility.Id, user.AccountId(), facility.RegisteredAt),
                new RegistryCheckRecorded(facility.Id, facility.HfrId, check.Value, user.AccountId(), facility.RegisteredAt)];
        session.Events.StartStream(facility.Id, registered);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/facilities/{facility.Id}", facility);
    }

    private static async Task<Results<Created<Pharmacy>, ProblemHttpResult>> RegisterPharmacy(
        RegisterPharmacyRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var name = errors.Require("name", PersonRules.Text(request.Name, "Pharmacy name", 150));
        var licence = errors.Require("licenceNumber", PersonRules.Text(request.LicenceNumber, "Drug licence number", 40));
        var district = errors.Require("district", PersonRules.Text(request.District, "District", 80));
        var state = errors.Require("state", PersonRules.Text(request.State, "State", 80));
        if (request.FacilityId is { } facilityId && await session.LoadAsync<Facility>(facilityId, cancellationToken) is null)
        {
            errors.Add("facilityId", "No facility is registered with this id.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await session.Query<Pharmacy>().AnyAsync(p => p.LicenceNumber == licence, cancellationToken))
        {
            return Problems.Conflict($"A pharmacy with drug licence {licence} is already registered.");
        }
        var pharmacy = new Pharmacy(Ids.New(), name!, licence!, district!, state!, time.GetUtcNow(), request.FacilityId);
        session.Insert(pharmacy);
        session.Events.StartStream(pharmacy.Id, new PharmacyRegistered(pharmacy.Id, user.AccountId(), pharmacy.RegisteredAt));
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/pharmacies/{pharmacy.Id}", pharmacy);
    }

    private static async Task<Results<Created<StaffView>, ProblemHttpResult>> RegisterDoctor(
        RegisterDoctorRequest request,
        ClaimsPrincipal user,
        IDocumentSession session,
        IPasswordHasher<StaffAccount> hasher,
        Messenger messenger,
        IRegistryLookup registries,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var credentials = StaffCredentials(request.Name, request.Email, request.Password, request.Language, errors);
        var hprId = errors.Require("hprId", HprId.Parse(request.HprId));
        var qualification = errors.Require("qualification", PersonRules.Text(request.Qualification, "Qualification", 120));
        var registration = errors.Require("registrationNumber", PersonRules.Text(request.RegistrationNumber, "Registration number", 40));
        var council = errors.Require("stateCouncil", PersonRules.Text(request.StateCouncil, "State medical council", 120));
        var specialty = errors.Optional("specialty", request.Specialty, raw => PersonRules.Text(raw, "Specialty", 80));
        var facilityIds = request.FacilityIds?.Distinct().ToList() ?? [];
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (facilityIds.Count > 0)
        {
            var known = await session.LoadManyAsync<Facility>(cancellationToken, facilityIds);
            if (known.Count != facilityIds.Count)
            {
                return Problems.Invalid("facilityIds", "One or more facilities are not registered.");
            }
        }
        if (await EmailTaken(session, credentials.Email, cancellationToken))
        {
            return Problems.Conflict("Another staff account already uses this email.");
        }
        if (await session.Query<StaffAccount>().AnyAsync(s => s.Doctor!.HprId == hprId!.Value, cancellationToken))
        {
            return Problems.Conflict($"A doctor with HPR ID {hprId} is already registered.");
        }
        var answer = RegistryRules.Compare(await registries.Professional(hprId!.Value, cancellationToken), credentials.Name);
        var check = RegistryRules.Accept(Registry.Hpr, hprId.Value, answer, request.ProceedUnverified == true, request.UnverifiedReason, time.GetUtcNow());
        if (!check.IsSuccess)
        {
            return Problems.Invalid("hprId", check.Error.Message);
        }
        var doctor = new DoctorDetails(hprId.Value, qualification!, registration!, council!, specialty, facilityIds, check.Value);
        return await Register(session, hasher, messenger, user, time, credentials, Role.Doctor, doctor, null, cancellationToken);
    }

    private static async Task<Results<Created<StaffView>, ProblemHttpResult>> RegisterPharmacist(
        RegisterPharmacistRequest request,
        ClaimsPrincipal user,
        IDocumentSession session,
        IPasswordHasher<StaffAccount> hasher,
        Messenger messenger,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var credentials = StaffCredentials(request.Name, request.Email, request.Password, request.Language, errors);
        var registration = errors.Require("registrationNumber", PersonRules.Text(request.RegistrationNumber, "Registration number", 40));
        var council = errors.Require("stateCouncil", PersonRules.Text(request.StateCouncil, "State pharmacy council", 120));
        if (request.PharmacyId is not { } pharmacyId || await session.LoadAsync<Pharmacy>(pharmacyId, cancellationToken) is null)
        {
            errors.Add("pharmacyId", "Name the registered pharmacy this pharmacist works for.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await EmailTaken(session, credentials.Email, cancellationToken))
        {
            return Problems.Conflict("Another staff account already uses this email.");
        }
        var pharmacist = new PharmacistDetails(registration!, council!, request.PharmacyId!.Value);
        return await Register(session, hasher, messenger, user, time, credentials, Role.Pharmacist, null, pharmacist, cancellationToken);
    }

    private static async Task<Results<Created<StaffView>, ProblemHttpResult>> RegisterHealthOfficer(
        RegisterHealthOfficerRequest request, ClaimsPrincipal user, IDocumentSession session, IPasswordHasher<StaffAccount> hasher, Messenger messenger,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var credentials = StaffCredentials(request.Name, request.Email, request.Password, request.Language, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await EmailTaken(session, credentials.Email, cancellationToken))
        {
            return Problems.Conflict("Another staff account already uses this email.");
        }
        return await Register(session, hasher, messenger, user, time, credentials, Role.HealthOfficer, null, null, cancellationToken);
    }

    private static async Task<Results<Created<StaffView>, ProblemHttpResult>> RegisterHealthWorker(
        RegisterHealthWorkerRequest request, ClaimsPrincipal user, IDocumentSession session, IPasswordHasher<StaffAccount> hasher, Messenger messenger,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var credentials = StaffCredentials(request.Name, request.Email, request.Password, request.Language, errors);
        var cadre = errors.RequireValue("cadre", Telemed.Domain.Spokes.HealthWorkerRules.ParseCadre(request.Cadre));
        if (request.FacilityId is not { } facilityId || await session.LoadAsync<Facility>(facilityId, cancellationToken) is null)
        {
            errors.Add("facilityId", "Name the registered facility (the spoke) this health worker works at.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await EmailTaken(session, credentials.Email, cancellationToken))
        {
            return Problems.Conflict("Another staff account already uses this email.");
        }
        return await Register(session, hasher, messenger, user, time, credentials, Role.HealthWorker, null, null, cancellationToken,
            new HealthWorkerDetails(cadre!.Value, request.FacilityId!.Value));
    }

    private static async Task<Ok<IReadOnlyList<Pharmacy>>> ListPharmacies(IQuerySession session, CancellationToken cancellationToken) =>
        TypedResults.Ok(await session.Query<Pharmacy>().OrderBy(p => p.Name).ToListAsync(cancellationToken));

    private static async Task<Ok<IReadOnlyList<StaffView>>> ListStaff(Role? role, IQuerySession session, CancellationToken cancellationToken)
    {
        var query = session.Query<StaffAccount>().AsQueryable();
        if (role is { } only)
        {
            query = query.Where(s => s.Role == only);
        }
        var staff = await query.OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<StaffView>>(staff.Select(StaffView.Of).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Deactivate(
        Guid staffId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var staff = await session.LoadAsync<StaffAccount>(staffId, cancellationToken);
        if (staff is null)
        {
            return Problems.NotFound("There is no such staff account.");
        }
        if (staff.Id == user.AccountId())
        {
            return Problems.Conflict("Admins cannot switch off their own account; ask another admin.");
        }
        if (!staff.Active)
        {
            return TypedResults.NoContent();
        }
        var now = time.GetUtcNow();
        session.Store(staff with { Active = false });
        await SignInEndpoints.RevokeAll(session, staff.Id, now, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, staff.Id, cancellationToken, new AccountDeactivated(staff.Id, user.AccountId(), now));
        return TypedResults.NoContent();
    }

    /// <summary>Without a password the account has none anyone knows until its holder chooses one through the e-mailed link.</summary>
    private sealed record Credentials(string Name, string Email, string? Password, string Language);

    private static Credentials StaffCredentials(string? name, string? email, string? password, string? language, FieldErrors errors) => new(
        errors.Require("name", PersonRules.Name(name)) ?? "",
        errors.Require("email", PersonRules.Email(email)) ?? "",
        errors.Optional("password", password, PersonRules.NewPassword),
        errors.Optional("language", language, MessageCatalogue.ParseLanguage) ?? MessageCatalogue.English);

    private static Task<bool> EmailTaken(IQuerySession session, string email, CancellationToken cancellationToken) =>
        session.Query<StaffAccount>().AnyAsync(s => s.Email == email, cancellationToken);

    private static async Task<Results<Created<StaffView>, ProblemHttpResult>> Register(
        IDocumentSession session,
        IPasswordHasher<StaffAccount> hasher,
        Messenger messenger,
        ClaimsPrincipal admin,
        TimeProvider time,
        Credentials credentials,
        Role role,
        DoctorDetails? doctor,
        PharmacistDetails? pharmacist,
        CancellationToken cancellationToken,
        HealthWorkerDetails? healthWorker = null)
    {
        var now = time.GetUtcNow();
        var account = new StaffAccount(Ids.New(), role, credentials.Name, credentials.Email, "", doctor, pharmacist, now, HealthWorker: healthWorker);
        var password = credentials.Password ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        account = account with { PasswordHash = hasher.HashPassword(account, password) };
        session.Insert(account);
        object[] registered = doctor?.Hpr is { Status: not RegistryStatus.NotChecked } check
            ? [new StaffRegistered(account.Id, role, admin.AccountId(), now), new RegistryCheckRecorded(account.Id, doctor.HprId, check, admin.AccountId(), now)]
            : [new StaffRegistered(account.Id, role, admin.AccountId(), now)];
        session.Events.StartStream(account.Id, registered);
        PasswordResets.SendFirstPassword(session, messenger, account, credentials.Language, now);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/admin/staff/{account.Id}", StaffView.Of(account));
    }
}
