using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Telemed.Domain;
using Telemed.Domain.Dispensing;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Dispensing;

/// <summary>A pharmacy's stock folded by the domain's own <see cref="PharmacyStock.Evolve"/>, stored with its events.</summary>
public sealed class PharmacyStockProjection : SingleStreamProjection<PharmacyStock, Guid>
{
    public override PharmacyStock Evolve(PharmacyStock? snapshot, Guid id, IEvent e) =>
        e.Data is IStockEvent stock ? PharmacyStock.Evolve(snapshot ?? PharmacyStock.Empty(id), stock) : snapshot!;
}

/// <summary>What the pharmacy holds now, medicine by medicine.</summary>
public sealed record StockView(Guid PharmacyId, long Version, IReadOnlyList<StockLine> Medicines)
{
    public static StockView Of(PharmacyStock stock) => new(stock.Id, stock.Version, [.. stock.Levels.Values]);
}

/// <summary>
/// A facility's own pharmacy (a spoke's, a hub's) dispenses from its stock, kept as events on a stream per pharmacy:
/// its pharmacists record what they receive, every dispense takes what it hands out, and a dispense the stock cannot
/// cover is refused. The stream is fetched for exclusive writing, so two dispenses at one pharmacy take turns and never
/// hand out the same last unit twice. A retail pharmacy (no facility) keeps its stock elsewhere: Telemed records only
/// what it dispensed.
/// </summary>
public static class PharmacyStocks
{
    public static bool KeepsStock(Pharmacy pharmacy) => pharmacy.FacilityId is not null;

    public static void MapPharmacyStock(this IEndpointRouteBuilder app)
    {
        var stock = app.MapGroup("/api/pharmacy/stock").WithTags("Pharmacy").RequireAuthorization(Roles.Pharmacist);
        stock.MapGet("/", Get).WithSummary("Pharmacist of a facility's pharmacy: the medicines in stock now.");
        stock.MapPost("/receipts", Receive)
            .WithSummary("Pharmacist of a facility's pharmacy: medicines received into stock (generic, strength, form, quantity, batch, expiry; idempotent by receiptId).");
    }

    /// <summary>
    /// Takes a dispense from the pharmacy's stock in the caller's transaction (appended when it saves), or says what the
    /// stock lacks. Locks the stock's stream until that transaction ends.
    /// </summary>
    internal static async Task<StockError?> Take(
        IDocumentSession session, Guid pharmacyId, PrescriptionDispensed dispensed, Prescription prescription, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForExclusiveWriting<PharmacyStock>(pharmacyId, cancellationToken);
        var taken = StockRules.Take(stream.Aggregate ?? PharmacyStock.Empty(pharmacyId), dispensed, prescription.Content.Medicines);
        if (!taken.IsSuccess)
        {
            return taken.Error;
        }
        stream.AppendOne(taken.Value);
        return null;
    }

    private static async Task<IResult> Get(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken)
    {
        var pharmacy = await PharmacyEndpoints.PharmacyOf(db, user, cancellationToken);
        if (NotKeepingStock(pharmacy) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok(StockView.Of(await db.LoadAsync<PharmacyStock>(pharmacy!.Id, cancellationToken) ?? PharmacyStock.Empty(pharmacy.Id)));
    }

    private static async Task<IResult> Receive(
        StockReceiptInput input, ClaimsPrincipal user, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        // A receipt id is the client's: a retry, or the loser of two first receipts racing to open the stream, finds its receipt recorded once.
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var pharmacy = await PharmacyEndpoints.PharmacyOf(session, user, cancellationToken);
            if (NotKeepingStock(pharmacy) is { } refused)
            {
                return refused;
            }
            var stream = await session.Events.FetchForExclusiveWriting<PharmacyStock>(pharmacy!.Id, cancellationToken);
            var stock = stream.Aggregate ?? PharmacyStock.Empty(pharmacy.Id);
            var errors = new FieldErrors();
            if (StockRules.Receive(stock, input, MedicineCatalogue.Seeded, user.AccountId(), time.GetUtcNow(), errors) is not { } received)
            {
                return Problems.Invalid(errors);
            }
            if (received.Count == 0)
            {
                return TypedResults.Ok(StockView.Of(stock));
            }
            stream.AppendMany([.. received.Cast<object>()]);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception e) when (e is Marten.Exceptions.ExistingStreamIdCollisionException or EventStreamUnexpectedMaxEventIdException && attempt < 3)
            {
                continue;
            }
            return TypedResults.Created("/api/pharmacy/stock", StockView.Of(received.Aggregate(stock, PharmacyStock.Evolve)));
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? NotKeepingStock(Pharmacy? pharmacy) => pharmacy switch
    {
        null => PharmacyEndpoints.NotAttached(),
        _ when !KeepsStock(pharmacy) => Problems.Forbidden("Your pharmacy is not a facility's own pharmacy: Telemed keeps no stock for it, only what it dispensed."),
        _ => null,
    };
}
