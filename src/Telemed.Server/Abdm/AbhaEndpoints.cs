using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Abdm;

public sealed record VerifyAbhaRequest(string? AbhaNumber, string? AbhaAddress, string? OtpVia);

public sealed record CreateAbhaRequest(string? Aadhaar, bool? Consent);

public sealed record OtpRequest(string? Otp);

public sealed record ChooseAddressRequest(string? Address);

/// <summary>The ABHA addresses ABDM offers a new ABHA (full addresses, free to take when offered).</summary>
public sealed record AddressSuggestions(IReadOnlyList<string> Addresses);

/// <summary>
/// A patient's ABHA (milestone M1): verify one they hold with an OTP and link it with its verified profile, or create
/// one from their Aadhaar with an OTP (their registered mobile as its communication mobile), and download its card.
/// </summary>
public static class AbhaEndpoints
{
    public static void MapAbha(this IEndpointRouteBuilder app)
    {
        var abha = app.MapGroup("/api/me/abha").WithTags("ABHA").RequireAuthorization(Roles.Patient);
        abha.MapGet("", Status).WithSummary("Your ABHA: the one you declared (unverified) and the one you proved through ABDM.");
        abha.MapPost("/verify", Verify).WithSummary("Verify an ABHA number or address: ABDM sends an OTP to its mobile (or UIDAI to its Aadhaar-linked mobile).");
        abha.MapPost("/create", Create).WithSummary("Create an ABHA from your Aadhaar: UIDAI sends an OTP to the Aadhaar-linked mobile. Needs your consent.");
        abha.MapPost("/journeys/{journeyId:guid}/otp", EnterOtp).WithSummary("The OTP of a verification or creation: links the ABHA, or asks for the mobile's OTP next.");
        abha.MapPost("/journeys/{journeyId:guid}/mobile-otp", EnterMobileOtp).WithSummary("The OTP sent to your mobile to make it the new ABHA's communication mobile.");
        abha.MapGet("/journeys/{journeyId:guid}/addresses", SuggestAddresses).WithSummary("ABHA addresses ABDM suggests for the ABHA this creation made.");
        abha.MapPost("/journeys/{journeyId:guid}/address", ChooseAddress).WithSummary("Choose the new ABHA's address (a suggested one or your own): it becomes its preferred address.");
        abha.MapGet("/journeys/{journeyId:guid}/card", Card).WithSummary("The ABHA card (an image), while the verification or creation that linked it lasts.");
    }

    private static async Task<IResult> Status(ClaimsPrincipal user, IQuerySession session, IOptions<AbdmOptions> options, CancellationToken cancellationToken)
    {
        var patient = await session.LoadAsync<PatientAccount>(user.AccountId(), cancellationToken);
        return patient is null
            ? Problems.NotFound("Your patient record no longer exists.")
            : TypedResults.Ok(await AbhaStatusOf(session, patient, options.Value, cancellationToken));
    }

    public static async Task<AbhaStatus> AbhaStatusOf(IQuerySession session, PatientAccount patient, AbdmOptions options, CancellationToken cancellationToken)
    {
        var verified = await session.LoadAsync<PatientAbha>(patient.Id, cancellationToken);
        var linking = await LinkTokens.State(session, patient.Id, options, cancellationToken);
        var declared = patient.AbhaNumber is null && patient.AbhaAddress is null ? null : new DeclaredAbha(patient.AbhaNumber, patient.AbhaAddress);
        return new AbhaStatus(options.Configured, declared, verified is null ? null : new VerifiedAbha(
            verified.Profile.Number, verified.Profile.Address, verified.Profile.Name, verified.Profile.YearOfBirth, verified.Profile.Sex,
            verified.Proof, verified.VerifiedAt, linking));
    }

    private static async Task<IResult> Verify(
        VerifyAbhaRequest request, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AbhaClient abha, IOptions<AbdmOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var number = errors.Optional("abhaNumber", request.AbhaNumber, AbhaNumber.Parse);
        var address = errors.Optional("abhaAddress", request.AbhaAddress, AbhaAddress.Parse);
        if (string.IsNullOrWhiteSpace(request.AbhaNumber) == string.IsNullOrWhiteSpace(request.AbhaAddress))
        {
            errors.Add("abhaNumber", "Give the ABHA number or the ABHA address (one of them).");
        }
        OtpVia? via = request.OtpVia?.Trim().ToLowerInvariant() switch
        {
            null or "" or "mobile" => OtpVia.Mobile,
            "aadhaar" => OtpVia.Aadhaar,
            _ => null,
        };
        if (via is null)
        {
            errors.Add("otpVia", "The OTP goes by mobile (to the ABHA's mobile) or aadhaar (to the Aadhaar-linked mobile).");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (!options.Value.Configured)
        {
            return AbdmProblems.NotConfigured();
        }
        return await Abdm(http, options.Value, async () => await Begin(
            session, user, number is null ? JourneyKind.VerifyAddress : JourneyKind.VerifyNumber, via!.Value,
            await abha.RequestLoginOtp(number, address, via.Value, cancellationToken), options.Value, time, cancellationToken));
    }

    private static async Task<IResult> Create(
        CreateAbhaRequest request, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AbhaClient abha, IOptions<AbdmOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var aadhaar = errors.Require("aadhaar", AadhaarNumber.Parse(request.Aadhaar));
        if (request.Consent != true)
        {
            errors.Add("consent", "Creating an ABHA needs your consent to share your Aadhaar details with ABDM (consent: true).");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (!options.Value.Configured)
        {
            return AbdmProblems.NotConfigured();
        }
        return await Abdm(http, options.Value, async () => await Begin(
            session, user, JourneyKind.Create, OtpVia.Aadhaar, await abha.RequestEnrolmentOtp(aadhaar!, cancellationToken), options.Value, time, cancellationToken));
    }

    /// <summary>A journey begins once ABDM has sent its OTP: kept with ABDM's transaction, for the OTP to continue.</summary>
    private static async Task<IResult> Begin(
        IDocumentSession session, ClaimsPrincipal user, JourneyKind kind, OtpVia via, OtpSent sent, AbdmOptions options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var journey = new AbhaJourney(Ids.New(), user.AccountId(), kind, via, sent, JourneyStep.Otp, time.GetUtcNow().AddMinutes(options.JourneyMinutes));
        session.Store(journey);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/me/abha/journeys/{journey.Id}", JourneyView.Of(journey));
    }

    private static async Task<IResult> EnterOtp(
        Guid journeyId, OtpRequest request, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AbhaClient abha, LinkTokens linkTokens,
        AuditTrail audit, IOptions<AbdmOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (journey, refusal) = await Open(journeyId, JourneyStep.Otp, user, session, audit, time, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (Otp(request.Otp) is not { } otp)
        {
            return Problems.Invalid("otp", "The OTP has 6 digits.");
        }
        var patient = await session.LoadAsync<PatientAccount>(journey!.PatientId, cancellationToken);
        if (patient is null)
        {
            return Problems.NotFound("Your patient record no longer exists.");
        }
        return await Abdm(http, options.Value, async () =>
        {
            AbhaProfile profile;
            AbhaProof proof;
            string userToken;
            var next = journey;
            if (journey.Kind == JourneyKind.Create)
            {
                var enrolment = await abha.EnrolByAadhaar(journey.Sent, otp, MobileNumber.Parse(patient.Mobile).Value, cancellationToken);
                (profile, proof, userToken) = (enrolment.Profile, AbhaProof.CreatedWithAadhaar, enrolment.UserToken);
                if (!enrolment.MobileLinked)
                {
                    next = journey with { Step = JourneyStep.MobileOtp, Sent = await abha.RequestMobileOtp(journey.Sent, MobileNumber.Parse(patient.Mobile).Value, cancellationToken) };
                }
            }
            else
            {
                var byNumber = journey.Kind == JourneyKind.VerifyNumber;
                var checkedOtp = await abha.VerifyLoginOtp(byNumber, journey.Sent, otp, cancellationToken);
                if (!checkedOtp.Verified)
                {
                    return AbdmProblems.WrongOtp();
                }
                userToken = checkedOtp.UserToken!;
                profile = await abha.Profile(byNumber, userToken, cancellationToken);
                proof = journey.Via == OtpVia.Aadhaar ? AbhaProof.AadhaarOtp : AbhaProof.MobileOtp;
            }
            return await LinkAndSave(session, patient, profile, proof, next with { UserToken = userToken }, linkTokens, options.Value, time, cancellationToken);
        });
    }

    private static async Task<IResult> EnterMobileOtp(
        Guid journeyId, OtpRequest request, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AbhaClient abha, AuditTrail audit,
        IOptions<AbdmOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (journey, refusal) = await Open(journeyId, JourneyStep.MobileOtp, user, session, audit, time, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (Otp(request.Otp) is not { } otp)
        {
            return Problems.Invalid("otp", "The OTP has 6 digits.");
        }
        return await Abdm(http, options.Value, async () =>
        {
            if (!(await abha.VerifyMobileOtp(journey!.Sent, otp, cancellationToken)).Verified)
            {
                return AbdmProblems.WrongOtp();
            }
            var linked = journey with { Step = JourneyStep.Linked };
            session.Store(linked);
            await session.SaveChangesAsync(cancellationToken);
            var patient = await session.LoadAsync<PatientAccount>(journey.PatientId, cancellationToken);
            return TypedResults.Ok(JourneyView.Of(linked, await AbhaStatusOf(session, patient!, options.Value, cancellationToken)));
        });
    }

    private static async Task<IResult> Card(
        Guid journeyId, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AbhaClient abha, AuditTrail audit, IOptions<AbdmOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (journey, refusal) = await Open(journeyId, JourneyStep.Linked, user, session, audit, time, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        return await Abdm(http, options.Value, async () =>
        {
            try
            {
                var (content, type) = await abha.Card(journey!.UserToken!, cancellationToken);
                return TypedResults.File(content, type, "abha-card.png");
            }
            catch (AbdmRefusedException e) when (e.Error.Status == StatusCodes.Status401Unauthorized)
            {
                return AbdmProblems.Gone("ABDM's permission to read this ABHA has run out. Verify the ABHA again to download its card.");
            }
        });
    }

    private static async Task<IResult> SuggestAddresses(
        Guid journeyId, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AbhaClient abha, AuditTrail audit, IOptions<AbdmOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (journey, refusal) = await OpenCreated(journeyId, user, session, audit, time, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        return await Abdm(http, options.Value, async () =>
        {
            var suffix = $"@{options.Value.CmId}";
            var handles = await abha.AddressSuggestions(journey!.Sent, cancellationToken);
            return TypedResults.Ok(new AddressSuggestions([.. handles.Select(h => AbhaAddress.Parse(h + suffix)).Where(a => a.IsSuccess).Select(a => a.Value.Value)]));
        });
    }

    private static async Task<IResult> ChooseAddress(
        Guid journeyId, ChooseAddressRequest request, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AbhaClient abha, LinkTokens linkTokens,
        AuditTrail audit, IOptions<AbdmOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (journey, refusal) = await OpenCreated(journeyId, user, session, audit, time, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var typed = request.Address?.Trim() ?? "";
        var handle = typed.Contains('@', StringComparison.Ordinal) ? typed[..typed.IndexOf('@', StringComparison.Ordinal)] : typed;
        var address = AbhaAddress.Parse($"{handle}@{options.Value.CmId}");
        if (!address.IsSuccess)
        {
            return Problems.Invalid("address", address.Error.Message);
        }
        var patient = await session.LoadAsync<PatientAccount>(journey!.PatientId, cancellationToken);
        var current = await session.LoadAsync<PatientAbha>(journey.PatientId, cancellationToken);
        if (patient is null || current is null)
        {
            return Problems.NotFound("Your record has no ABHA linked to give an address to.");
        }
        return await Abdm(http, options.Value, async () =>
        {
            var chosen = await abha.ChooseAddress(journey.Sent, address.Value.Value[..address.Value.Value.IndexOf('@', StringComparison.Ordinal)], cancellationToken);
            return await LinkAndSave(session, patient, current.Profile with { Address = chosen.Value }, current.Proof, journey, linkTokens, options.Value, time, cancellationToken);
        });
    }

    /// <summary>The caller's linked journey that created an ABHA: only a new ABHA has its address chosen here.</summary>
    private static async Task<(AbhaJourney? Journey, IResult? Refusal)> OpenCreated(
        Guid journeyId, ClaimsPrincipal user, IDocumentSession session, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var (journey, refusal) = await Open(journeyId, JourneyStep.Linked, user, session, audit, time, cancellationToken);
        return refusal is null && journey!.Kind != JourneyKind.Create
            ? (null, Problems.Conflict("An ABHA address is chosen for a new ABHA; this verification linked one that already has its addresses."))
            : (journey, refusal);
    }

    private static async Task<IResult> LinkAndSave(
        IDocumentSession session, PatientAccount patient, AbhaProfile profile, AbhaProof proof, AbhaJourney journey, LinkTokens linkTokens, AbdmOptions options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var linked = await AbhaLinks.Link(session, patient, profile, proof, time.GetUtcNow(), cancellationToken);
        if (!linked.IsSuccess)
        {
            session.Store(journey with { Step = JourneyStep.Ended, UserToken = null });
            await session.SaveChangesAsync(cancellationToken);
            return AbdmProblems.Refused(linked.Error);
        }
        var next = journey.Step == JourneyStep.MobileOtp ? journey : journey with { Step = JourneyStep.Linked };
        session.Store(next);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (AbhaLinks.LostRace(e))
        {
            return AbdmProblems.Refused(AbhaLinks.TakenMeanwhile(profile));
        }
        await linked.Value.Journal(session.DocumentStore, cancellationToken);
        linkTokens.RequestSoon(patient.Id, profile);
        return TypedResults.Ok(JourneyView.Of(next, await AbhaStatusOf(session, patient, options, cancellationToken)));
    }

    /// <summary>The caller's journey at the step expected; anyone else's is not found (and the attempt audited).</summary>
    private static async Task<(AbhaJourney? Journey, IResult? Refusal)> Open(
        Guid journeyId, JourneyStep step, ClaimsPrincipal user, IDocumentSession session, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var journey = await session.LoadAsync<AbhaJourney>(journeyId, cancellationToken);
        if (journey is null || journey.PatientId != user.AccountId())
        {
            if (journey is not null)
            {
                await audit.Refused(user.AccountId(), $"abha-journey/{journeyId}", "continue another patient's ABHA verification", cancellationToken);
            }
            return (null, Problems.NotFound("There is no such ABHA verification of yours."));
        }
        if (journey.ExpiresAt <= time.GetUtcNow())
        {
            if (journey.UserToken is not null)
            {
                session.Store(journey with { UserToken = null });
                await session.SaveChangesAsync(cancellationToken);
            }
            return (null, AbdmProblems.Gone("This ABHA verification has expired. Start again and a new OTP will be sent."));
        }
        if (journey.Step != step)
        {
            return (null, Problems.Conflict(journey.Step switch
            {
                JourneyStep.Linked => "This ABHA is already linked.",
                JourneyStep.Ended => "This ABHA verification has ended. Start again.",
                JourneyStep.MobileOtp => "The ABHA is created: enter the OTP sent to your mobile next.",
                _ => "Enter the OTP of this verification first.",
            }));
        }
        return (journey, null);
    }

    private static string? Otp(string? raw) => raw?.Trim() is { Length: 6 } otp && otp.All(char.IsAsciiDigit) ? otp : null;

    /// <summary>Runs ABDM calls, turning ABDM's refusals and silence into problems.</summary>
    private static async Task<IResult> Abdm(HttpContext http, AbdmOptions options, Func<Task<IResult>> calls)
    {
        try
        {
            return await calls();
        }
        catch (AbdmRefusedException e)
        {
            return AbdmProblems.Refused(e.Error);
        }
        catch (AbdmUnavailableException)
        {
            return AbdmProblems.Unavailable(http, options.Attempts);
        }
    }
}
