using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Prescriptions;

/// <summary>
/// The prescription for its patient and doctor, with what pharmacies have handed out (per line, in prescription order):
/// the doctor's JWS (<see cref="KeyId"/> the doctor's key) and the facility's <see cref="Countersignature"/> of it (none
/// on a prescription from before doctors' keys, signed by the facility key alone).
/// </summary>
public sealed record PrescriptionView(
    Guid Id, PrescriptionStatus Status, string? RevocationReason, DateTimeOffset? RevokedAt, PrescriptionContent Content, string Jws, string KeyId,
    string VerificationUrl, IReadOnlyList<int> Dispensed, IReadOnlyList<PrescriptionDispensed> Dispensations, string? Countersignature);

public sealed record RevokeRequest(string? Reason);

public static class PrescriptionEndpoints
{
    public static void MapPrescriptions(this IEndpointRouteBuilder app)
    {
        var prescriptions = app.MapGroup("/api/prescriptions/{prescriptionId:guid}").WithTags("Prescriptions");
        prescriptions.MapGet("/", Get).WithSummary("A signed prescription with its status (its patient and its doctor).");
        prescriptions.MapPost("/revoke", Revoke).WithSummary("Its doctor revokes a prescription, with a reason the pharmacy sees.");
        app.MapGet("/.well-known/jwks.json", async (HttpContext http, PrescriptionKeys keys, IQuerySession db, CancellationToken cancellationToken) =>
        {
            var jwks = keys.Jwks();
            var all = jwks["keys"]!.AsArray();
            foreach (var doctorKey in await DoctorKeys.Published(db, cancellationToken))
            {
                all.Add(doctorKey);
            }
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Json(jwks, contentType: "application/jwk-set+json");
        }).AllowAnonymous().RequireRateLimiting(Security.PublicKeysLimit).WithTags("Prescriptions")
            .WithSummary("The public keys prescriptions are signed with, old ones too: the facility keys, and every doctor's keys (each with the doctor's HPR id in \"hpr\", a revoked one with \"revoked_at\").");
        // Public as the JWKS is, for the same readers: the pharmacy page and `telemed verify` of anyone holding a paper
        // prescription, offline later. It names random ids only, meaningless without the paper that carries one.
        app.MapGet("/api/prescriptions/revocations", Revocations)
            .AllowAnonymous().RequireRateLimiting(Security.PublicKeysLimit).WithTags("Prescriptions")
            .WithSummary("The signed list (compact JWS, typ telemed-revocations) of revoked prescriptions still within their validity, for offline verifiers.");
        app.MapPost("/api/admin/prescription-keys", RotateKey)
            .RequireAuthorization(Roles.Admin).WithTags("Admin").WithSummary("Rotate the prescription signing key; older keys stay published.");
        app.MapPrescriptionDocuments();
        app.MapDoctorKeys();
    }

    /// <summary>Revocations are rare, so the list is read from their events on each request (cached by clients for a minute).</summary>
    private static async Task<IResult> Revocations(HttpContext http, IQuerySession db, PrescriptionKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var revoked = (await db.Events.QueryRawEventDataOnly<PrescriptionRevoked>().ToListAsync(cancellationToken)).Select(r => r.PrescriptionId).Distinct().ToList();
        var signed = revoked.Count == 0 ? []
            : await db.Events.QueryRawEventDataOnly<PrescriptionSigned>().Where(s => s.PrescriptionId.IsOneOf(revoked)).ToListAsync(cancellationToken);
        var list = RevocationList.Of(signed.Select(s => (s.PrescriptionId, s.Content.ValidUntil)), time.GetUtcNow());
        http.Response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Text(keys.Sign(list), "application/jose");
    }

    private static IResult RotateKey(PrescriptionKeys keys)
    {
        try
        {
            return TypedResults.Ok(new { KeyId = keys.Rotate() });
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return TypedResults.Problem(
                "The prescription key directory is read-only on this node (keys come from a mounted secret): add the new key to the secret and restart, see docs/deploy.md.",
                statusCode: StatusCodes.Status409Conflict, title: "Keys are managed outside the server");
        }
    }

    /// <summary>The prescription if the caller may read it; otherwise the refusal to send (refusals are audited).</summary>
    public static async Task<(Prescription? Prescription, IResult? Refusal)> Readable(
        Guid prescriptionId, ClaimsPrincipal user, IQuerySession db, AuditTrail audit, string action, CancellationToken cancellationToken)
    {
        var prescription = await Load(db, prescriptionId, cancellationToken);
        if (prescription is null)
        {
            return (null, Problems.NotFound("There is no such prescription."));
        }
        var caller = user.AccountId();
        if (caller != prescription.Content.Patient.Id && caller != prescription.Content.Doctor.Id)
        {
            await audit.Refused(caller, $"prescription/{prescriptionId}", action, cancellationToken);
            return (null, Problems.Forbidden("Only the prescription's patient and its doctor may see it."));
        }
        return (prescription, null);
    }

    public static async Task<Prescription?> Load(IQuerySession db, Guid prescriptionId, CancellationToken cancellationToken)
    {
        var events = await db.Events.FetchStreamAsync(prescriptionId, token: cancellationToken);
        return events.Count == 0 ? null : events.Select(e => (IPrescriptionEvent)e.Data).Aggregate((Prescription?)null, Prescription.Evolve);
    }

    private static async Task<IResult> Get(
        Guid prescriptionId, ClaimsPrincipal user, IQuerySession db, AuditTrail audit, Microsoft.Extensions.Options.IOptions<PrescriptionOptions> options,
        CancellationToken cancellationToken)
    {
        var (prescription, refusal) = await Readable(prescriptionId, user, db, audit, "read prescription", cancellationToken);
        return refusal ?? TypedResults.Ok(View(prescription!, options.Value));
    }

    private static PrescriptionView View(Prescription p, PrescriptionOptions options) =>
        new(p.Id, p.Status, p.RevocationReason, p.RevokedAt, p.Content, p.Jws, p.KeyId, options.VerificationUrl(p.Id), p.Dispensed, p.Dispensations, p.Countersignature);

    private static async Task<IResult> Revoke(
        Guid prescriptionId, RevokeRequest request, ClaimsPrincipal user, IDocumentStore store, AuditTrail audit, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<PrescriptionOptions> options, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var prescription = await Load(session, prescriptionId, cancellationToken);
        if (prescription is null)
        {
            return Problems.NotFound("There is no such prescription.");
        }
        var decision = PrescriptionDecisions.Revoke(prescription, user.AccountId(), request.Reason, time.GetUtcNow());
        if (!decision.IsSuccess)
        {
            if (decision.Error.Code == "NotTheDoctor")
            {
                await audit.Refused(user.AccountId(), $"prescription/{prescriptionId}", "revoke prescription", cancellationToken);
                return Problems.Forbidden(decision.Error.Message);
            }
            return Problems.Invalid("reason", decision.Error.Message);
        }
        var after = decision.Value.Aggregate(prescription, Prescription.Evolve);
        if (decision.Value.Count > 0)
        {
            session.Events.Append(prescriptionId, after.Version, [.. decision.Value]);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (EventStreamUnexpectedMaxEventIdException)
            {
                return Problems.Conflict("The prescription changed at the same moment (dispensed or revoked); reload it and try again.");
            }
        }
        return TypedResults.Ok(View(after, options.Value));
    }
}
