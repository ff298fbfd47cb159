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

/// <summary>A medicine and a quantity; on a dispense, <paramref name="Batches"/> names the batches it was taken from.</summary>
public sealed record StockLine(StockedMedicine Medicine, int Quantity, IReadOnlyList<StockBatch>? Batches = null);

/// <summary>Units of one batch of a medicine; a receipt without batch or expiry is a batch of its own that never expires.</summary>
public sealed record StockBatch(string? Batch, DateOnly? ExpiresOn, int Quantity)
{
    /// <summary>Expired on <paramref name="day"/>: from its expiry date on, as a receipt of it is refused.</summary>
    public bool ExpiredOn(DateOnly day) => ExpiresOn is { } expiry && expiry <= day;

    public bool Is(string? batch, DateOnly? expiresOn) => string.Equals(Batch, batch, StringComparison.OrdinalIgnoreCase) && ExpiresOn == expiresOn;
}

public enum StockAdjustmentReason
{
    Damaged,
    Expired,
    CountCorrection,
}

/// <summary>A pharmacist corrects one batch of a medicine (a negative change takes units out), with the reason and a note.</summary>
public sealed record StockAdjusted(
    Guid PharmacyId, Guid AdjustmentId, StockedMedicine Medicine, string? Batch, DateOnly? ExpiresOn, int Change, StockAdjustmentReason Reason, string? Note,
    Guid By, DateTimeOffset At) : IStockEvent;

/// <summary>The least of a medicine the pharmacy wants to hold, unexpired, before it appears on the low-stock list; zero removes it.</summary>
public sealed record LowStockThresholdSet(Guid PharmacyId, StockedMedicine Medicine, int Minimum, Guid By, DateTimeOffset At) : IStockEvent;

/// <summary>A receipt as the pharmacist sends it.</summary>
public sealed record StockReceiptInput(Guid? ReceiptId, string? Generic, string? Strength, string? Form, int? Quantity, string? Batch, DateOnly? ExpiresOn);

/// <summary>An adjustment as the pharmacist sends it: the batch as the stock lists it, the change and why.</summary>
public sealed record StockAdjustmentInput(
    Guid? AdjustmentId, string? Generic, string? Strength, string? Form, string? Batch, DateOnly? ExpiresOn, int? Change, string? Reason, string? Note);

public sealed record LowStockThresholdInput(string? Generic, string? Strength, string? Form, int? Minimum);

public sealed record StockError(string Code, string Message, IReadOnlyList<StockLine> OnHand);

/// <summary>A medicine below the least the pharmacy wants to hold: what it holds unexpired, and that least.</summary>
public sealed record LowStockLine(StockedMedicine Medicine, int Usable, int Minimum);

/// <summary>What one pharmacy holds, per medicine and per batch, and the thresholds it set; built only from its events.</summary>
public sealed record PharmacyStock(Guid Id, long Version, ImmutableSortedDictionary<string, StockLine> Levels, ImmutableHashSet<Guid> Receipts)
{
    /// <summary>Per medicine key, its batches with units left, earliest expiry first.</summary>
    public ImmutableSortedDictionary<string, ImmutableList<StockBatch>> Batches { get; init; } = ImmutableSortedDictionary<string, ImmutableList<StockBatch>>.Empty;

    public ImmutableSortedDictionary<string, LowStockThresholdSet> Thresholds { get; init; } = ImmutableSortedDictionary<string, LowStockThresholdSet>.Empty;

    public ImmutableHashSet<Guid> Adjustments { get; init; } = [];

    public static PharmacyStock Empty(Guid pharmacyId) => new(pharmacyId, 0, ImmutableSortedDictionary<string, StockLine>.Empty, []);

    public int OnHand(StockedMedicine medicine) => Levels.TryGetValue(medicine.Key(), out var level) ? level.Quantity : 0;

    public IReadOnlyList<StockBatch> BatchesOf(StockedMedicine medicine) => Batches.TryGetValue(medicine.Key(), out var batches) ? batches : [];

    /// <summary>What can still be handed out on <paramref name="day"/>: the units of batches not expired.</summary>
    public int Usable(StockedMedicine medicine, DateOnly day) => BatchesOf(medicine).Where(b => !b.ExpiredOn(day)).Sum(b => b.Quantity);

    public static PharmacyStock Evolve(PharmacyStock? state, IStockEvent @event)
    {
        var stock = state ?? Empty(@event.PharmacyId);
        var next = @event switch
        {
            StockReceived e => stock.Add(e.Medicine, e.Batch, e.ExpiresOn, e.Quantity) with { Receipts = stock.Receipts.Add(e.ReceiptId) },
            StockDispensed e => e.Lines.Aggregate(stock, (s, line) => s.Take(line)),
            StockAdjusted e => stock.Add(e.Medicine, e.Batch, e.ExpiresOn, e.Change) with { Adjustments = stock.Adjustments.Add(e.AdjustmentId) },
            LowStockThresholdSet e => stock with
            {
                Thresholds = e.Minimum == 0 ? stock.Thresholds.Remove(e.Medicine.Key()) : stock.Thresholds.SetItem(e.Medicine.Key(), e),
            },
            _ => throw new InvalidOperationException($"Unknown stock event {@event.GetType().Name}."),
        };
        return next with { Version = stock.Version + 1 };
    }

    /// <summary>A dispense takes the batches it names; one recorded before batches were kept takes the earliest expiring.</summary>
    private PharmacyStock Take(StockLine line)
    {
        var taken = line.Batches ?? StockRules.EarliestExpiring(BatchesOf(line.Medicine), line.Quantity);
        return taken.Aggregate(this, (s, batch) => s.Add(line.Medicine, batch.Batch, batch.ExpiresOn, -batch.Quantity));
    }

    private PharmacyStock Add(StockedMedicine medicine, string? batch, DateOnly? expiresOn, int quantity)
    {
        var key = medicine.Key();
        var batches = BatchesOf(medicine).ToList();
        var index = batches.FindIndex(b => b.Is(batch, expiresOn));
        if (index >= 0)
        {
            batches[index] = batches[index] with { Quantity = batches[index].Quantity + quantity };
        }
        else
        {
            batches.Add(new StockBatch(batch, expiresOn, quantity));
        }
        var kept = batches.Where(b => b.Quantity != 0).OrderBy(b => b.ExpiresOn ?? DateOnly.MaxValue).ThenBy(b => b.Batch, StringComparer.Ordinal).ToImmutableList();
        return this with
        {
            // The first receipt's spelling names the medicine from then on.
            Levels = Levels.SetItem(key, new StockLine(Levels.TryGetValue(key, out var level) ? level.Medicine : medicine, OnHand(medicine) + quantity)),
            Batches = kept.IsEmpty ? Batches.Remove(key) : Batches.SetItem(key, kept),
        };
    }
}

/// <summary>
/// A facility's own pharmacy dispenses from its stock: receipts add to it by batch, dispenses take from the earliest
/// expiring batch not yet expired (first expiry, first out), an expired batch is never handed out, adjustments correct a
/// batch with a reason, and medicines below the least the pharmacy wants to hold are listed as low.
/// </summary>
public static class StockRules
{
    public const int MaxReceiptQuantity = 100_000;

    public const int MaxNoteLength = 200;

    /// <summary>A receipt, checked field by field; a receipt id seen before is a retry and changes nothing.</summary>
    public static IReadOnlyList<IStockEvent>? Receive(
        PharmacyStock stock, StockReceiptInput input, MedicineCatalogue catalogue, Guid by, DateTimeOffset now, FieldErrors errors)
    {
        if (input.ReceiptId is not { } receiptId || receiptId == Guid.Empty)
        {
            errors.Add("receiptId", "Send a client-chosen receiptId so a retried receipt is counted once.");
        }
        var medicine = Medicine(input.Generic, input.Strength, input.Form, catalogue, errors);
        if (input.Quantity is not (>= 1 and <= MaxReceiptQuantity))
        {
            errors.Add("quantity", string.Create(CultureInfo.InvariantCulture, $"The quantity received is 1 to {MaxReceiptQuantity}."));
        }
        var batch = Batch(input.Batch, errors);
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
            : [new StockReceived(stock.Id, input.ReceiptId.Value, medicine!, input.Quantity!.Value, batch, input.ExpiresOn, by, now)];
    }

    /// <summary>
    /// Takes what a dispense hands out from stock, each medicine from its earliest-expiring batches not expired on the day
    /// of the dispense; or refuses naming each medicine the usable stock cannot cover.
    /// </summary>
    public static Result<StockDispensed, StockError> Take(
        PharmacyStock stock, PrescriptionDispensed dispensed, IReadOnlyList<PrescribedMedicine> medicines)
    {
        var day = IndianTime.Day(dispensed.At);
        var lines = dispensed.Lines
            .GroupBy(line => StockedMedicine.Of(medicines[line.Line]).Key())
            .Select(group => new StockLine(StockedMedicine.Of(medicines[group.First().Line]), group.Sum(line => line.Quantity)))
            .ToList();
        var lacking = lines.Where(line => stock.Usable(line.Medicine, day) < line.Quantity).ToList();
        if (lacking.Count > 0)
        {
            return new StockError("OutOfStock",
                string.Join(" ", lacking.Select(line => Lacking(stock, line, day))) + " Hand out what is in stock and dispense the rest later.",
                [.. lacking.Select(line => new StockLine(line.Medicine, stock.Usable(line.Medicine, day)))]);
        }
        var taken = lines.Select(line => line with
        {
            Batches = EarliestExpiring(stock.BatchesOf(line.Medicine).Where(b => !b.ExpiredOn(day)), line.Quantity),
        });
        return new StockDispensed(stock.Id, dispensed.PrescriptionId, dispensed.RequestId, [.. taken], dispensed.PharmacistId, dispensed.At);
    }

    private static string Lacking(PharmacyStock stock, StockLine line, DateOnly day)
    {
        var expired = stock.BatchesOf(line.Medicine).Where(b => b.ExpiredOn(day)).Sum(b => b.Quantity);
        return string.Create(CultureInfo.InvariantCulture,
            $"{line.Medicine}: {stock.Usable(line.Medicine, day)} in stock{(expired > 0 ? $" ({expired} more expired, not to be handed out)" : "")}, {line.Quantity} asked for.");
    }

    /// <summary><paramref name="quantity"/> units from the batches given, earliest expiry first (a batch without expiry last).</summary>
    public static IReadOnlyList<StockBatch> EarliestExpiring(IEnumerable<StockBatch> batches, int quantity)
    {
        var taken = new List<StockBatch>();
        foreach (var batch in batches.Where(b => b.Quantity > 0).OrderBy(b => b.ExpiresOn ?? DateOnly.MaxValue).ThenBy(b => b.Batch, StringComparer.Ordinal))
        {
            if (quantity == 0)
            {
                break;
            }
            var units = Math.Min(quantity, batch.Quantity);
            taken.Add(batch with { Quantity = units });
            quantity -= units;
        }
        return taken;
    }

    /// <summary>
    /// An adjustment of one batch the stock holds, checked field by field: damaged and expired units only go out (and
    /// only an expired batch is written off as expired); a count correction goes either way; no batch goes below zero.
    /// An adjustment id seen before is a retry and changes nothing.
    /// </summary>
    public static IReadOnlyList<IStockEvent>? Adjust(PharmacyStock stock, StockAdjustmentInput input, MedicineCatalogue catalogue, Guid by, DateTimeOffset now, FieldErrors errors)
    {
        if (input.AdjustmentId is not { } adjustmentId || adjustmentId == Guid.Empty)
        {
            errors.Add("adjustmentId", "Send a client-chosen adjustmentId so a retried adjustment is counted once.");
        }
        var medicine = Medicine(input.Generic, input.Strength, input.Form, catalogue, errors);
        var batchName = Batch(input.Batch, errors);
        var reason = ParseReason(input.Reason);
        if (reason is null)
        {
            errors.Add("reason", "The reason is damaged, expired or countCorrection.");
        }
        var note = input.Note?.Trim();
        if (note?.Length > MaxNoteLength)
        {
            errors.Add("note", $"The note is at most {MaxNoteLength} characters.");
        }
        if (input.Change is not { } change || change == 0 || Math.Abs(change) > MaxReceiptQuantity)
        {
            errors.Add("change", string.Create(CultureInfo.InvariantCulture, $"The change is a number of units, -{MaxReceiptQuantity} to {MaxReceiptQuantity}, not zero."));
        }
        else if (reason is StockAdjustmentReason.Damaged or StockAdjustmentReason.Expired && change > 0)
        {
            errors.Add("change", "Damaged or expired units leave the stock: the change is negative.");
        }
        if (errors.Any)
        {
            return null;
        }
        if (stock.Adjustments.Contains(input.AdjustmentId!.Value))
        {
            return [];
        }
        var batch = stock.BatchesOf(medicine!).FirstOrDefault(b => b.Is(batchName, input.ExpiresOn));
        if (batch is null)
        {
            errors.Add("batch", $"The stock holds no batch {batchName ?? "(without number)"} of {medicine} with this expiry: adjust a batch as GET /api/pharmacy/stock lists it.");
            return null;
        }
        if (reason == StockAdjustmentReason.Expired && !batch.ExpiredOn(IndianTime.Day(now)))
        {
            errors.Add("reason", "This batch has not expired yet: write it off as damaged, or correct the count.");
            return null;
        }
        if (batch.Quantity + input.Change!.Value < 0)
        {
            errors.Add("change", string.Create(CultureInfo.InvariantCulture, $"This batch holds {batch.Quantity}: it cannot lose {-input.Change.Value}."));
            return null;
        }
        return [new StockAdjusted(stock.Id, input.AdjustmentId.Value, stock.Levels[medicine!.Key()].Medicine, batch.Batch, batch.ExpiresOn, input.Change.Value,
            reason!.Value, string.IsNullOrEmpty(note) ? null : note, by, now)];
    }

    public static StockAdjustmentReason? ParseReason(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        "damaged" => StockAdjustmentReason.Damaged,
        "expired" => StockAdjustmentReason.Expired,
        "countcorrection" or "count-correction" => StockAdjustmentReason.CountCorrection,
        _ => null,
    };

    /// <summary>The least of a catalogue medicine the pharmacy wants to hold unexpired (0 to stop watching it).</summary>
    public static IReadOnlyList<IStockEvent>? SetThreshold(
        PharmacyStock stock, LowStockThresholdInput input, MedicineCatalogue catalogue, Guid by, DateTimeOffset now, FieldErrors errors)
    {
        var medicine = Medicine(input.Generic, input.Strength, input.Form, catalogue, errors);
        if (input.Minimum is not (>= 0 and <= MaxReceiptQuantity))
        {
            errors.Add("minimum", string.Create(CultureInfo.InvariantCulture, $"The minimum is 0 (stop watching) to {MaxReceiptQuantity} units."));
        }
        if (errors.Any)
        {
            return null;
        }
        var known = stock.Thresholds.GetValueOrDefault(medicine!.Key());
        if ((known?.Minimum ?? 0) == input.Minimum)
        {
            return [];
        }
        var named = stock.Levels.TryGetValue(medicine.Key(), out var level) ? level.Medicine : known?.Medicine ?? medicine;
        return [new LowStockThresholdSet(stock.Id, named, input.Minimum!.Value, by, now)];
    }

    /// <summary>Every medicine with a threshold whose unexpired units on <paramref name="day"/> are below it, the emptiest first.</summary>
    public static IReadOnlyList<LowStockLine> Low(PharmacyStock stock, DateOnly day) =>
    [
        .. stock.Thresholds.Values
            .Select(t => new LowStockLine(stock.Levels.TryGetValue(t.Medicine.Key(), out var level) ? level.Medicine : t.Medicine, stock.Usable(t.Medicine, day), t.Minimum))
            .Where(line => line.Usable < line.Minimum)
            .OrderBy(line => (double)line.Usable / line.Minimum)
            .ThenBy(line => line.Medicine.Generic, StringComparer.Ordinal),
    ];

    /// <summary>A catalogue medicine in one of its forms, with a strength; null (and the fields named) when it is not one.</summary>
    private static StockedMedicine? Medicine(string? generic, string? strength, string? form, MedicineCatalogue catalogue, FieldErrors errors)
    {
        var medicine = catalogue.Find(generic);
        if (medicine is null)
        {
            errors.Add("generic", string.IsNullOrWhiteSpace(generic)
                ? "A generic name is required."
                : $"'{generic}' is not in the medicine catalogue; stock it by its generic name.");
        }
        var trimmedForm = form?.Trim().ToLowerInvariant();
        if (medicine is not null && (trimmedForm is null || !medicine.Forms.Contains(trimmedForm)))
        {
            errors.Add("form", $"Form must be one of: {string.Join(", ", medicine.Forms)}.");
        }
        var trimmedStrength = strength?.Trim();
        if (string.IsNullOrEmpty(trimmedStrength) || trimmedStrength.Length > 50)
        {
            errors.Add("strength", "The strength is required, at most 50 characters (e.g. 500 mg).");
        }
        return medicine is null || trimmedForm is null || string.IsNullOrEmpty(trimmedStrength) || errors.Any ? null : new StockedMedicine(medicine.Generic, trimmedStrength, trimmedForm);
    }

    private static string? Batch(string? raw, FieldErrors errors)
    {
        var batch = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
        if (batch?.Length > 50)
        {
            errors.Add("batch", "The batch is at most 50 characters.");
        }
        return batch;
    }
}
