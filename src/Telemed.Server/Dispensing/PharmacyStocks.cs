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

/// <summary>
/// A pharmacy's stock folded by the domain's own <see cref="PharmacyStock.Evolve"/>, stored with its events on the
/// pharmacy's stream: it starts, empty, when the pharmacy is registered.
/// </summary>
public sealed class PharmacyStockProjection : SingleStreamProjection<PharmacyStock, Guid>
{
    public override PharmacyStock Evolve(PharmacyStock? snapshot, Guid id, IEvent e) => e.Data switch
    {
        IStockEvent stock => PharmacyStock.Evolve(snapshot ?? PharmacyStock.Empty(id), stock),
        PharmacyRegistered => snapshot ?? PharmacyStock.Empty(id),
        _ => snapshot!,
    };
}

/// <summary>One batch as the pharmacy holds it, and whether it has expired (it is then never handed out).</summary>
public sealed record StockBatchView(string? Batch, DateOnly? ExpiresOn, int Quantity, bool Expired);

/// <summary>A medicine in stock: all its units, those that can be handed out today, its batches (earliest expiry first) and its low-stock threshold.</summary>
public sealed record StockLevelView(StockedMedicine Medicine, int Quantity, int Usable, IReadOnlyList<StockBatchView> Batches, int? Minimum);

/// <summary>What the pharmacy holds now, medicine by medicine.</summary>
public sealed record StockView(Guid PharmacyId, long Version, IReadOnlyList<StockLevelView> Medicines)
{
    public static StockView Of(PharmacyStock stock, DateOnly today) => new(stock.Id, stock.Version,
    [
        .. stock.Levels.Values.Where(level => level.Quantity != 0 || stock.Thresholds.ContainsKey(level.Medicine.Key())).Select(level => new StockLevelView(
            level.Medicine, level.Quantity, stock.Usable(level.Medicine, today),
            [.. stock.BatchesOf(level.Medicine).Select(b => new StockBatchView(b.Batch, b.ExpiresOn, b.Quantity, b.ExpiredOn(today)))],
            stock.Thresholds.GetValueOrDefault(level.Medicine.Key())?.Minimum)),
    ]);
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
        stock.MapPost("/adjustments", Adjust)
            .WithSummary("Pharmacist of a facility's pharmacy: correct one batch (change, reason damaged | expired | countCorrection, note; idempotent by adjustmentId).");
        stock.MapPut("/thresholds", SetThreshold)
            .WithSummary("Pharmacist of a facility's pharmacy: the least of a medicine to hold unexpired before it is listed as low (minimum 0 stops watching it).");
        stock.MapGet("/low", Low).WithSummary("Pharmacist of a facility's pharmacy: medicines below their threshold of unexpired units, the emptiest first.");
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

    private static Task<IResult> Get(ClaimsPrincipal user, IQuerySession db, TimeProvider time, CancellationToken cancellationToken) =>
        WithStock(user, db, time, StockView.Of, cancellationToken);

    private static Task<IResult> Low(ClaimsPrincipal user, IQuerySession db, TimeProvider time, CancellationToken cancellationToken) =>
        WithStock(user, db, time, StockRules.Low, cancellationToken);

    /// <summary>Answers with what <paramref name="view"/> makes of the caller's pharmacy's stock on today's India date, or why it keeps none.</summary>
    private static async Task<IResult> WithStock<T>(
        ClaimsPrincipal user, IQuerySession db, TimeProvider time, Func<PharmacyStock, DateOnly, T> view, CancellationToken cancellationToken)
    {
        var pharmacy = await PharmacyEndpoints.PharmacyOf(db, user, cancellationToken);
        if (NotKeepingStock(pharmacy) is { } refused)
        {
            return refused;
        }
        var stock = await db.LoadAsync<PharmacyStock>(pharmacy!.Id, cancellationToken) ?? PharmacyStock.Empty(pharmacy.Id);
        return TypedResults.Ok(view(stock, IndianTime.Day(time.GetUtcNow())));
    }

    private static Task<IResult> Receive(StockReceiptInput input, ClaimsPrincipal user, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken) =>
        Change(user, store, time, (stock, by, now, errors) => StockRules.Receive(stock, input, MedicineCatalogue.Seeded, by, now, errors), created: true, cancellationToken);

    private static Task<IResult> Adjust(StockAdjustmentInput input, ClaimsPrincipal user, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken) =>
        Change(user, store, time, (stock, by, now, errors) => StockRules.Adjust(stock, input, MedicineCatalogue.Seeded, by, now, errors), created: true, cancellationToken);

    private static Task<IResult> SetThreshold(
        LowStockThresholdInput input, ClaimsPrincipal user, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken) =>
        Change(user, store, time, (stock, by, now, errors) => StockRules.SetThreshold(stock, input, MedicineCatalogue.Seeded, by, now, errors), created: false, cancellationToken);

    /// <summary>
    /// Decides a change on the pharmacy's stock stream, fetched for exclusive writing, and appends it. The stream (the
    /// pharmacy's own) and its stock start when the pharmacy is registered, so there is no first write to race for. A
    /// change decided before (a retried receipt or adjustment id) answers the stock as it is.
    /// </summary>
    private static async Task<IResult> Change(
        ClaimsPrincipal user, IDocumentStore store, TimeProvider time, Func<PharmacyStock, Guid, DateTimeOffset, FieldErrors, IReadOnlyList<IStockEvent>?> decide,
        bool created, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var pharmacy = await PharmacyEndpoints.PharmacyOf(session, user, cancellationToken);
        if (NotKeepingStock(pharmacy) is { } refused)
        {
            return refused;
        }
        var stream = await session.Events.FetchForExclusiveWriting<PharmacyStock>(pharmacy!.Id, cancellationToken);
        var stock = stream.Aggregate ?? PharmacyStock.Empty(pharmacy.Id);
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        if (decide(stock, user.AccountId(), now, errors) is not { } events)
        {
            return Problems.Invalid(errors);
        }
        if (events.Count == 0)
        {
            return TypedResults.Ok(StockView.Of(stock, IndianTime.Day(now)));
        }
        stream.AppendMany([.. events.Cast<object>()]);
        await session.SaveChangesAsync(cancellationToken);
        var view = StockView.Of(events.Aggregate(stock, PharmacyStock.Evolve), IndianTime.Day(now));
        return created ? TypedResults.Created("/api/pharmacy/stock", view) : TypedResults.Ok(view);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? NotKeepingStock(Pharmacy? pharmacy) => pharmacy switch
    {
        null => PharmacyEndpoints.NotAttached(),
        _ when !KeepsStock(pharmacy) => Problems.Forbidden("Your pharmacy is not a facility's own pharmacy: Telemed keeps no stock for it, only what it dispensed."),
        _ => null,
    };
}
