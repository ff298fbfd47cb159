using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

/// <summary>A family member as the guardian enters them; <c>relation</c> is the guardian's to them ("I am their parent").</summary>
public sealed record DependantRequest(string? Name, DateOnly? DateOfBirth, int? YearOfBirth, string? Sex, string? Relation, string? Language = null);

/// <summary>
/// The family on one mobile number: the patient signed in with it registers and edits dependants, and takes a sign-in of
/// a dependant's to act for them (check in, join the call, read their records). Every endpoint answers only the guardian.
/// </summary>
public static class DependantEndpoints
{
    public static void MapDependants(this IEndpointRouteBuilder app, bool issuesTokens)
    {
        var family = app.MapGroup("/api/dependants").WithTags("Family").RequireAuthorization(Roles.Patient);
        family.MapGet("/", List).WithSummary("Guardian: my dependants.");
        family.MapPost("/", Add).WithSummary("Guardian: register a family member (a child, an elderly parent) on my number.");
        family.MapGet("/{dependantId:guid}", Get).WithSummary("Guardian: one of my dependants.");
        family.MapPut("/{dependantId:guid}", Update).WithSummary("Guardian: change a dependant's details.");
        if (issuesTokens)
        {
            family.MapPost("/{dependantId:guid}/session", Act)
                .WithSummary("Guardian: tokens of the dependant's account, held by me (act claim), to check them in, join their call and read their records.");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<PatientView>>, ProblemHttpResult>> List(
        ClaimsPrincipal user, IQuerySession session, CancellationToken cancellationToken)
    {
        if (ActingForSomeone(user) is { } refused)
        {
            return refused;
        }
        var guardianId = user.AccountId();
        var dependants = await session.Query<PatientAccount>().Where(p => p.GuardianId == guardianId).OrderBy(p => p.RegisteredAt).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PatientView>>([.. dependants.Select(PatientView.Of)]);
    }

    private static async Task<Results<Created<PatientView>, ProblemHttpResult>> Add(
        DependantRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ActingForSomeone(user) is { } refused)
        {
            return refused;
        }
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        if (Read(request, IndianTime.Day(now), errors) is not { } details)
        {
            return Problems.Invalid(errors);
        }
        var guardianId = user.AccountId();
        if (await session.LoadAsync<PatientAccount>(guardianId, cancellationToken) is not { } guardian)
        {
            return Problems.NotFound("Your patient record no longer exists.");
        }
        var dependantsSoFar = await session.Query<PatientAccount>().CountAsync(p => p.GuardianId == guardianId, cancellationToken);
        if (Family.RefuseNewDependant(guardian.GuardianId, guardian.YearOfBirth, guardian.DateOfBirth, dependantsSoFar, IndianTime.Day(now)) is { } refusal)
        {
            return Problems.Conflict(refusal.Message);
        }
        var dependant = new PatientAccount(Ids.New(), details.Name, details.YearOfBirth, details.DateOfBirth, details.Sex, guardian.Mobile, null, null, now,
            details.Language ?? guardian.Language, null, guardian.Id, details.Relation);
        session.Insert(dependant);
        session.Events.StartStream(dependant.Id, new DependantRegistered(dependant.Id, guardian.Id, now));
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/dependants/{dependant.Id}", PatientView.Of(dependant));
    }

    private static async Task<Results<Ok<PatientView>, ProblemHttpResult>> Get(
        Guid dependantId, ClaimsPrincipal user, IQuerySession session, AuditTrail audit, CancellationToken cancellationToken)
    {
        var found = await Dependant(dependantId, user, session, audit, "read dependant", cancellationToken);
        return found.IsSuccess ? TypedResults.Ok(PatientView.Of(found.Value)) : found.Error;
    }

    private static async Task<Results<Ok<PatientView>, ProblemHttpResult>> Update(
        Guid dependantId, DependantRequest request, ClaimsPrincipal user, IDocumentSession session, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await Dependant(dependantId, user, session, audit, "change dependant", cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }
        var dependant = found.Value;
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        if (Read(request, IndianTime.Day(now), errors) is not { } details)
        {
            return Problems.Invalid(errors);
        }
        var changed = dependant with
        {
            Name = details.Name,
            YearOfBirth = details.YearOfBirth,
            DateOfBirth = details.DateOfBirth,
            Sex = details.Sex,
            GuardianRelation = details.Relation,
            Language = details.Language ?? dependant.Language,
        };
        session.Store(changed);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, dependant.Id, cancellationToken, new DependantUpdated(dependant.Id, user.AccountId(), now));
        return TypedResults.Ok(PatientView.Of(changed));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Act(
        Guid dependantId, ClaimsPrincipal user, HttpContext http, IDocumentSession session, AuditTrail audit, Tokens tokens, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var found = await Dependant(dependantId, user, session, audit, "act for dependant", cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }
        var dependant = found.Value;
        // The dependant's sign-in belongs to the guardian's: signing out there, or everywhere, ends it too.
        var guardianId = user.AccountId();
        var issued = tokens.Issue(session, dependant.Id, Role.Patient, user.SessionId(), actorId: guardianId);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, dependant.Id, cancellationToken, new GuardianActing(dependant.Id, guardianId, user.SessionId() ?? Guid.Empty, time.GetUtcNow()));
        // The web client keeps it beside the guardian's own sign-in, which it goes back to.
        return TypedResults.Ok(RefreshCookie.Deliver(http, issued, acting: true));
    }

    /// <summary>The caller's dependant with this id; a refusal (audited) for anyone who is not their guardian.</summary>
    private static async Task<Result<PatientAccount, ProblemHttpResult>> Dependant(
        Guid dependantId, ClaimsPrincipal user, IQuerySession session, AuditTrail audit, string action, CancellationToken cancellationToken)
    {
        if (ActingForSomeone(user) is { } acting)
        {
            return acting;
        }
        var dependant = await session.LoadAsync<PatientAccount>(dependantId, cancellationToken);
        if (dependant is null)
        {
            return Problems.NotFound("There is no such family member.");
        }
        if (!Family.IsGuardian(user.AccountId(), dependant.GuardianId))
        {
            await audit.Refused(user.AccountId(), $"dependant/{dependantId}", action, cancellationToken);
            return Problems.Forbidden("This person is not a dependant of yours.");
        }
        return dependant;
    }

    /// <summary>The family is managed from the guardian's own sign-in, not from one held for a dependant.</summary>
    private static ProblemHttpResult? ActingForSomeone(ClaimsPrincipal user) => user.ActingGuardianId() is null
        ? null
        : Problems.Forbidden("You are acting for a family member: switch back to your own profile to manage the family.");

    private sealed record Details(string Name, int YearOfBirth, DateOnly? DateOfBirth, Sex Sex, Relation Relation, string? Language);

    /// <summary>The details, or null with every problem recorded in <paramref name="errors"/>.</summary>
    private static Details? Read(DependantRequest request, DateOnly today, FieldErrors errors)
    {
        var name = errors.Require("name", PersonRules.Name(request.Name));
        var yearOfBirth = PersonRules.YearOfBirth(request.DateOfBirth, request.YearOfBirth, today);
        if (!yearOfBirth.IsSuccess)
        {
            errors.Add(request.DateOfBirth is null ? "yearOfBirth" : "dateOfBirth", yearOfBirth.Error.Message);
        }
        var sex = errors.RequireValue("sex", PersonRules.ParseSex(request.Sex));
        var relation = errors.RequireValue("relation", Family.ParseRelation(request.Relation));
        var language = errors.Optional("language", request.Language, MessageCatalogue.ParseLanguage);
        return errors.Any
            ? null
            : new Details(name!, yearOfBirth.Value, request.DateOfBirth, sex!.Value, relation!.Value, language);
    }
}
