using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;

namespace Telemed.Server.Identity;

public sealed record RegisterPatientRequest(
    string? Name,
    DateOnly? DateOfBirth,
    int? YearOfBirth,
    string? Sex,
    string? Mobile,
    string? Code,
    string? AbhaNumber,
    string? AbhaAddress,
    string? Language = null,
    string? Email = null);

public sealed record PatientRegistration(PatientView Patient, TokenResponse Tokens);

/// <summary>Patients as the sign-in and registration flows find them.</summary>
public static class PatientAccounts
{
    public const string NotRegisteredCode = "NotRegistered";
    public const string AlreadyRegisteredCode = "AlreadyRegistered";

    /// <summary>The patient who signs in with this number (not the dependants it also holds).</summary>
    public static Task<PatientAccount?> WithMobile(IQuerySession session, MobileNumber mobile, CancellationToken cancellationToken) =>
        session.Query<PatientAccount>().SingleOrDefaultAsync(p => p.Mobile == mobile.Value && p.GuardianId == null, cancellationToken);

    /// <summary>The answer to a right code for a number nobody registered: the code stays usable to register with.</summary>
    public static ProblemHttpResult NotRegistered() => TypedResults.Problem(
        "No patient is registered with this mobile number. Register with the same code: POST /api/patients.",
        statusCode: StatusCodes.Status404NotFound, title: "Not registered", extensions: new Dictionary<string, object?> { ["code"] = NotRegisteredCode });

    public static ProblemHttpResult AlreadyRegistered() => TypedResults.Problem(
        "A patient is already registered with this mobile number. Sign in with the same code: POST /api/auth/otp/verify.",
        statusCode: StatusCodes.Status409Conflict, title: "Already registered", extensions: new Dictionary<string, object?> { ["code"] = AlreadyRegisteredCode });
}

public static class PatientEndpoints
{
    public static void MapPatients(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/patients", Register)
            .AllowAnonymous()
            .RequireRateLimiting(Security.SignInLimit)
            .WithTags("Patients")
            .WithSummary("Register as a patient with the one-time code sent to your mobile; signs you in. A registered number gets 409 only once the code is right.");
        app.MapGet("/api/me", Me).WithTags("Accounts").WithSummary("The signed-in account.");
        app.MapGet("/api/doctors", Doctors).WithTags("Accounts").WithSummary("Active doctors, for finding an OPD.");
        app.MapGet("/api/facilities", Facilities).WithTags("Accounts").WithSummary("Registered health facilities.");
    }

    private static async Task<Results<Created<PatientRegistration>, ProblemHttpResult>> Register(
        RegisterPatientRequest request,
        HttpContext http,
        IDocumentSession session,
        OneTimeCodeService codes,
        Tokens tokens,
        PatientMessages messages,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        var name = errors.Require("name", PersonRules.Name(request.Name));
        var yearOfBirth = PersonRules.YearOfBirth(request.DateOfBirth, request.YearOfBirth, DateOnly.FromDateTime(now.UtcDateTime));
        if (!yearOfBirth.IsSuccess)
        {
            errors.Add(request.DateOfBirth is null ? "yearOfBirth" : "dateOfBirth", yearOfBirth.Error.Message);
        }
        var sex = errors.RequireValue("sex", PersonRules.ParseSex(request.Sex));
        var mobile = errors.Require("mobile", MobileNumber.Parse(request.Mobile));
        var code = errors.Require("code", OneTimeCodeService.ParseCode(request.Code));
        var abhaNumber = errors.Optional("abhaNumber", request.AbhaNumber, AbhaNumber.Parse);
        var abhaAddress = errors.Optional("abhaAddress", request.AbhaAddress, AbhaAddress.Parse);
        var language = errors.Optional("language", request.Language, MessageCatalogue.ParseLanguage) ?? MessageCatalogue.English;
        var email = errors.Optional("email", request.Email, PersonRules.Email);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        // The code first: until it is right, the answer must not tell whether the number is registered.
        var verification = await codes.Check(session, mobile!, code!, consume: false, cancellationToken);
        if (verification.Outcome != OtpOutcome.Verified)
        {
            await session.SaveChangesAsync(cancellationToken);
            return OneTimeCodeService.Refusal(verification);
        }
        if (await PatientAccounts.WithMobile(session, mobile!, cancellationToken) is not null)
        {
            return PatientAccounts.AlreadyRegistered();
        }
        if (await AbhaTaken(session, abhaNumber, abhaAddress, cancellationToken))
        {
            // One answer whichever identifier is taken and however, and the code is used up: with a code for their own
            // number a caller could otherwise try ABHA numbers one after another to learn whose are registered.
            await codes.Consume(session, mobile!, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            return Problems.Conflict("This ABHA number or address belongs to another patient, so it cannot be declared as yours. " +
                "Ask for a new code and register without it, or with your own.");
        }

        await codes.Consume(session, mobile!, cancellationToken);
        var patient = new PatientAccount(
            Ids.New(), name!, yearOfBirth.Value, request.DateOfBirth, sex!.Value, mobile!.Value, abhaNumber?.Value, abhaAddress?.Value, now, language, email);
        session.Insert(patient);
        session.Events.StartStream(patient.Id, new PatientRegistered(patient.Id, now));
        messages.Sms(session, PatientMessages.Of(patient, optOut: false), MessageCatalogue.Welcome, new Dictionary<string, string>());
        var issued = tokens.Issue(session, patient.Id, Role.Patient);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created("/api/me", new PatientRegistration(PatientView.Of(patient), RefreshCookie.Deliver(http, issued, acting: false)));
    }

    /// <summary>Whether an ABHA number or address is linked to a patient, verified through ABDM or declared at registration.</summary>
    private static async Task<bool> AbhaTaken(IQuerySession session, AbhaNumber? number, AbhaAddress? address, CancellationToken cancellationToken) =>
        (number is not null && (await session.Query<PatientAbha>().AnyAsync(a => a.Profile.Number == number.Value, cancellationToken)
            || await session.Query<PatientAccount>().AnyAsync(p => p.AbhaNumber == number.Value, cancellationToken)))
        || (address is not null && (await session.Query<PatientAbha>().AnyAsync(a => a.Profile.Address == address.Value, cancellationToken)
            || await session.Query<PatientAccount>().AnyAsync(p => p.AbhaAddress == address.Value, cancellationToken)));

    private static async Task<Results<Ok<PatientView>, Ok<StaffView>, ProblemHttpResult>> Me(
        ClaimsPrincipal user, IQuerySession session, CancellationToken cancellationToken)
    {
        var id = user.AccountId();
        if (user.IsInRole(Roles.Patient))
        {
            return await session.LoadAsync<PatientAccount>(id, cancellationToken) is { } patient
                ? TypedResults.Ok(PatientView.Of(patient))
                : Problems.NotFound("Your patient record no longer exists.");
        }
        return await session.LoadAsync<StaffAccount>(id, cancellationToken) is { } staff
            ? TypedResults.Ok(StaffView.Of(staff))
            : Problems.NotFound("Your staff account no longer exists.");
    }

    private static async Task<Ok<IReadOnlyList<DoctorListing>>> Doctors(IQuerySession session, CancellationToken cancellationToken)
    {
        var doctors = await session.Query<StaffAccount>()
            .Where(s => s.Role == Role.Doctor && s.Active)
            .OrderBy(s => s.Name)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DoctorListing>>(doctors.Select(DoctorListing.Of).ToList());
    }

    private static async Task<Ok<IReadOnlyList<Facility>>> Facilities(IQuerySession session, CancellationToken cancellationToken) =>
        TypedResults.Ok(await session.Query<Facility>().OrderBy(f => f.Name).ToListAsync(cancellationToken));
}
