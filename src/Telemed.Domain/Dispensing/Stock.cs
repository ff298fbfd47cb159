using System.Collections.Immutable;
using System.Globalization;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Dispensing;

/// <summary>An event on a pharmacy's stock stream (one per pharmacy, its id the pharmacy's).</summary>
public interface IStockEvent
{
    Guid PharmacyId { get; }

    DateTimeOffset At { get; }
}

/// <summary>A medicine as a pharmacy stocks it and a prescription line names it: the catalogue's generic, a strength and a form.</summary>
public sealed record StockedMedicine(string Generic, string Strength, string Form)
{
    /// <summary>One key for "500 mg" and "500mg", "Tablet" and "tablet".</summary>
    public string Key() => string.Join('|', Generic.ToLowerInvariant(), string.Concat(Strength.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant(),
        Form.ToLowerInvariant());

    public override string ToString() => $"{Generic} {Strength} {Form}";

    public static StockedMedicine Of(PrescribedMedicine medicine) => new(medicine.Generic, medicine.Strength, medicine.Form);
}

/// <summary>Medicines a pharmacist took into stock: one receipt (a delivery line), its batch and expiry as the pack states them.</summary>
public sealed record StockReceived(
    Guid PharmacyId, Guid ReceiptId, StockedMedicine Medicine, int Quantity, string? Batch, DateOnly? ExpiresOn, Guid By, DateTimeOffset At) : IStockEvent;

/// <summary>Medicines handed out against a prescription, taken from stock in the same transaction as the dispense itself.</summary>
public sealed record StockDispensed(Guid PharmacyId, Guid PrescriptionId, Guid RequestId, IReadOnlyList<StockLine> Lines, Guid By, DateTimeOffset At) : IStockEvent;

public sealed record StockLine(StockedMedicine Medicine, int Quantity);

/// <summary>A receipt as the pharmacist sends it.</summary>
public sealed record StockReceiptInput(Guid? ReceiptId, string? Generic, string? Strength, string? Form, int? Quantity, string? Batch, DateOnly? ExpiresOn);

public sealed record StockError(string Code, string Message, IReadOnlyList<StockLine> OnHand);

/// <summary>What one pharmacy holds, per medicine; built only from its events.</summary>
public sealed record PharmacyStock(Guid Id, long Version, ImmutableSortedDictionary<string, StockLine> Levels, ImmutableHashSet<Guid> Receipts)
{
    public static PharmacyStock Empty(Guid pharmacyId) => new(pharmacyId, 0, ImmutableSortedDictionary<string, StockLine>.Empty, []);

    public int OnHand(StockedMedicine medicine) => Levels.TryGetValue(medicine.Key(), out var level) ? level.Quantity : 0;

    public static PharmacyStock Evolve(PharmacyStock? state, IStockEvent @event)
    {
        var stock = state ?? Empty(@event.PharmacyId);
        var next = @event switch
        {
            StockReceived e => stock.Add(e.Medicine, e.Quantity) with { Receipts = stock.Receipts.Add(e.ReceiptId) },
            StockDispensed e => e.Lines.Aggregate(stock, (s, line) => s.Add(line.Medicine, -line.Quantity)),
            _ => throw new InvalidOperationException($"Unknown stock event {@event.GetType().Name}."),
        };
        return next with { Version = stock.Version + 1 };
    }

    private PharmacyStock Add(StockedMedicine medicine, int quantity) => this with
    {
        // The first receipt's spelling names the medicine from then on.
        Levels = Levels.SetItem(medicine.Key(), new StockLine(Levels.TryGetValue(medicine.Key(), out var level) ? level.Medicine : medicine, OnHand(medicine) + quantity)),
    };
}

/// <summary>
/// A facility's own pharmacy dispenses from its stock: receipts add to it, dispenses take from it, and nothing is handed
/// out that the stock does not hold.
/// </summary>
public static class StockRules
{
    public const int MaxReceiptQuantity = 100_000;

    /// <summary>A receipt, checked field by field; a receipt id seen before is a retry and changes nothing.</summary>
    public static IReadOnlyList<IStockEvent>? Receive(
        PharmacyStock stock, StockReceiptInput input, MedicineCatalogue catalogue, Guid by, DateTimeOffset now, FieldErrors errors)
    {
        if (input.ReceiptId is not { } receiptId || receiptId == Guid.Empty)
        {
            errors.Add("receiptId", "Send a client-chosen receiptId so a retried receipt is counted once.");
        }
        var medicine = catalogue.Find(input.Generic);
        if (medicine is null)
        {
            errors.Add("generic", string.IsNullOrWhiteSpace(input.Generic)
                ? "A generic name is required."
                : $"'{input.Generic}' is not in the medicine catalogue; stock it by its generic name.");
        }
        var form = input.Form?.Trim().ToLowerInvariant();
        if (medicine is not null && (form is null || !medicine.Forms.Contains(form)))
        {
            errors.Add("form", $"Form must be one of: {string.Join(", ", medicine.Forms)}.");
        }
        var strength = input.Strength?.Trim();
        if (string.IsNullOrEmpty(strength) || strength.Length > 50)
        {
            errors.Add("strength", "The strength is required, at most 50 characters (e.g. 500 mg).");
        }
        if (input.Quantity is not (>= 1 and <= MaxReceiptQuantity))
        {
            errors.Add("quantity", string.Create(CultureInfo.InvariantCulture, $"The quantity received is 1 to {MaxReceiptQuantity}."));
        }
        var batch = string.IsNullOrWhiteSpace(input.Batch) ? null : input.Batch.Trim();
        if (batch?.Length > 50)
        {
            errors.Add("batch", "The batch is at most 50 characters.");
        }
        if (input.ExpiresOn is { } expiry && expiry <= IndianTime.Day(now))
        {
            errors.Add("expiresOn", "This batch has expired: expired medicines are not taken into stock.");
        }
        if (errors.Any)
        {
            return null;
        }
        return stock.Receipts.Contains(input.ReceiptId!.Value)
            ? []
            : [new StockReceived(stock.Id, input.ReceiptId.Value, new StockedMedicine(medicine!.Generic, strength!, form!), input.Quantity!.Value, batch, input.ExpiresOn, by, now)];
    }

    /// <summary>Takes what a dispense hands out from stock, or refuses naming each medicine the stock cannot cover.</summary>
    public static Result<StockDispensed, StockError> Take(
        PharmacyStock stock, PrescriptionDispensed dispensed, IReadOnlyList<PrescribedMedicine> medicines)
    {
        var lines = dispensed.Lines
            .GroupBy(line => StockedMedicine.Of(medicines[line.Line]).Key())
            .Select(group => new StockLine(StockedMedicine.Of(medicines[group.First().Line]), group.Sum(line => line.Quantity)))
            .ToList();
        var lacking = lines.Where(line => stock.OnHand(line.Medicine) < line.Quantity).ToList();
        if (lacking.Count > 0)
        {
            return new StockError("OutOfStock",
                string.Join(" ", lacking.Select(line => string.Create(CultureInfo.InvariantCulture,
                    $"{line.Medicine}: {stock.OnHand(line.Medicine)} in stock, {line.Quantity} asked for."))) + " Hand out what is in stock and dispense the rest later.",
                [.. lacking.Select(line => new StockLine(line.Medicine, stock.OnHand(line.Medicine)))]);
        }
        return new StockDispensed(stock.Id, dispensed.PrescriptionId, dispensed.RequestId, lines, dispensed.PharmacistId, dispensed.At);
    }
}
