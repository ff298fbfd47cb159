using Telemed.Domain.Dispensing;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Dispensing;

public class StockTests
{
    private static readonly Guid Pharmacy = Guid.Parse("77777777-0000-0000-0000-0000000000f1");
    private static readonly Guid Pharmacist = Guid.Parse("77777777-0000-0000-0000-0000000000f2");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    private static readonly PrescribedMedicine Paracetamol = new("paracetamol", "500 mg", "tablet", "1", "1-0-1", "oral", 3, 6, null, TpgGroup.O, MedicinePurpose.Start);
    private static readonly PrescribedMedicine Amoxicillin = new("amoxicillin", "500 mg", "capsule", "1", "TDS", "oral", 5, 15, null, TpgGroup.A, MedicinePurpose.Start);

    private static StockReceiptInput Receipt(string generic, string strength, string form, int quantity, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), generic, strength, form, quantity, "B-2291", new DateOnly(2027, 6, 30));

    private static PharmacyStock Given(params StockReceiptInput[] receipts) => receipts.Aggregate(PharmacyStock.Empty(Pharmacy), (stock, receipt) =>
    {
        var errors = new FieldErrors();
        var events = StockRules.Receive(stock, receipt, MedicineCatalogue.Seeded, Pharmacist, Now, errors).ShouldNotBeNull();
        return events.Aggregate(stock, PharmacyStock.Evolve);
    });

    private static PrescriptionDispensed Dispensed(params (int Line, int Quantity)[] lines) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Pharmacy, Pharmacist, [.. lines.Select(l => new DispensedLine(l.Line, l.Quantity, null, null))], Now);

    [Fact]
    public void Receipts_add_up_per_medicine_however_its_strength_and_form_are_spelt()
    {
        var stock = Given(Receipt("Paracetamol", "500 mg", "tablet", 10), Receipt("paracetamol", "500MG", "Tablet", 5), Receipt("amoxicillin", "500 mg", "capsule", 30));

        stock.OnHand(StockedMedicine.Of(Paracetamol)).ShouldBe(15);
        stock.OnHand(StockedMedicine.Of(Amoxicillin)).ShouldBe(30);
        stock.Levels.Count.ShouldBe(2);
        stock.Version.ShouldBe(3);
    }

    [Fact]
    public void A_receipt_sent_twice_is_counted_once()
    {
        var id = Guid.NewGuid();
        var stock = Given(Receipt("paracetamol", "500 mg", "tablet", 10, id));

        StockRules.Receive(stock, Receipt("paracetamol", "500 mg", "tablet", 10, id), MedicineCatalogue.Seeded, Pharmacist, Now, new FieldErrors())
            .ShouldNotBeNull().ShouldBeEmpty();
    }

    [Fact]
    public void A_receipt_is_refused_naming_every_field_that_is_wrong()
    {
        var errors = new FieldErrors();

        StockRules.Receive(PharmacyStock.Empty(Pharmacy), new StockReceiptInput(null, "crocin", " ", null, 0, new string('x', 51), new DateOnly(2026, 11, 25)),
            MedicineCatalogue.Seeded, Pharmacist, Now, errors).ShouldBeNull();

        errors.ToDictionary().Keys.ShouldBe(["receiptId", "generic", "strength", "quantity", "batch", "expiresOn"], ignoreOrder: true);
        errors.ToDictionary()["generic"][0].ShouldContain("not in the medicine catalogue");
        errors.ToDictionary()["expiresOn"][0].ShouldContain("expired");
    }

    [Fact]
    public void A_dispense_takes_what_it_hands_out_from_stock()
    {
        var stock = Given(Receipt("paracetamol", "500 mg", "tablet", 10), Receipt("amoxicillin", "500 mg", "capsule", 30));
        var dispensed = Dispensed((0, 6), (1, 15));

        var taken = StockRules.Take(stock, dispensed, [Paracetamol, Amoxicillin]).Value;

        taken.Lines.Select(l => (l.Medicine.Generic, l.Quantity)).ShouldBe([("paracetamol", 6), ("amoxicillin", 15)]);
        (taken.PrescriptionId, taken.RequestId, taken.By).ShouldBe((dispensed.PrescriptionId, dispensed.RequestId, Pharmacist));
        var after = PharmacyStock.Evolve(stock, taken);
        after.OnHand(StockedMedicine.Of(Paracetamol)).ShouldBe(4);
        after.OnHand(StockedMedicine.Of(Amoxicillin)).ShouldBe(15);
    }

    [Fact]
    public void A_dispense_beyond_the_stock_is_refused_naming_what_is_on_hand()
    {
        var stock = Given(Receipt("paracetamol", "500 mg", "tablet", 4));

        var refused = StockRules.Take(stock, Dispensed((0, 6), (1, 1)), [Paracetamol, Amoxicillin]).Error;

        refused.Code.ShouldBe("OutOfStock");
        refused.Message.ShouldContain("paracetamol 500 mg tablet: 4 in stock, 6 asked for.");
        refused.Message.ShouldContain("amoxicillin 500 mg capsule: 0 in stock, 1 asked for.");
        refused.OnHand.Select(l => (l.Medicine.Generic, l.Quantity)).ShouldBe([("paracetamol", 4), ("amoxicillin", 0)]);
        StockRules.Take(stock, Dispensed((0, 4)), [Paracetamol, Amoxicillin]).IsSuccess.ShouldBeTrue();
    }

    private static StockReceiptInput Batch(int quantity, string batch, DateOnly expiresOn) =>
        new(Guid.NewGuid(), "paracetamol", "500 mg", "tablet", quantity, batch, expiresOn);

    private static readonly DateOnly Today = IndianTime.Day(Now);

    private static PrescriptionDispensed DispensedOn(DateTimeOffset at, int quantity) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Pharmacy, Pharmacist, [new DispensedLine(0, quantity, null, null)], at);

    [Fact]
    public void A_dispense_takes_from_the_earliest_expiring_batch_first_and_names_the_batches_it_took()
    {
        var stock = Given(Batch(10, "LATE", Today.AddMonths(12)), Batch(4, "SOON", Today.AddDays(20)), Batch(5, "MID", Today.AddMonths(3)));
        stock.BatchesOf(StockedMedicine.Of(Paracetamol)).Select(b => b.Batch).ShouldBe(["SOON", "MID", "LATE"]);

        var taken = StockRules.Take(stock, DispensedOn(Now, 6), [Paracetamol]).Value;

        taken.Lines.ShouldHaveSingleItem().Batches.ShouldNotBeNull().ShouldBe([new StockBatch("SOON", Today.AddDays(20), 4), new StockBatch("MID", Today.AddMonths(3), 2)]);
        var after = PharmacyStock.Evolve(stock, taken);
        after.BatchesOf(StockedMedicine.Of(Paracetamol)).ShouldBe([new StockBatch("MID", Today.AddMonths(3), 3), new StockBatch("LATE", Today.AddMonths(12), 10)]);
        after.OnHand(StockedMedicine.Of(Paracetamol)).ShouldBe(13);
    }

    [Fact]
    public void A_batch_that_expired_after_it_was_received_is_never_dispensed()
    {
        var stock = Given(Batch(4, "OLD", Today.AddDays(10)), Batch(3, "NEW", Today.AddMonths(6)));
        var afterExpiry = Now.AddDays(10);

        StockRules.Take(stock, DispensedOn(afterExpiry, 3), [Paracetamol]).Value.Lines[0].Batches!.ShouldHaveSingleItem().Batch.ShouldBe("NEW");
        var refused = StockRules.Take(stock, DispensedOn(afterExpiry, 5), [Paracetamol]).Error;
        refused.Code.ShouldBe("OutOfStock");
        refused.Message.ShouldContain("paracetamol 500 mg tablet: 3 in stock (4 more expired, not to be handed out), 5 asked for.");
        refused.OnHand.ShouldHaveSingleItem().Quantity.ShouldBe(3);
        StockRules.Take(stock, DispensedOn(Now.AddDays(9), 5), [Paracetamol]).IsSuccess.ShouldBeTrue("the day before its expiry the batch is still good");
        stock.Usable(StockedMedicine.Of(Paracetamol), Today.AddDays(10)).ShouldBe(3);
    }

    private static StockAdjustmentInput Adjustment(string batch, DateOnly expiresOn, int change, string reason, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), "paracetamol", "500 mg", "tablet", batch, expiresOn, change, reason, "Strip torn");

    private static IReadOnlyList<IStockEvent>? Adjust(PharmacyStock stock, StockAdjustmentInput input, FieldErrors errors, DateTimeOffset? at = null) =>
        StockRules.Adjust(stock, input, MedicineCatalogue.Seeded, Pharmacist, at ?? Now, errors);

    [Fact]
    public void Adjustments_correct_one_batch_with_their_reason_and_count_once()
    {
        var expiry = Today.AddDays(10);
        var stock = Given(Batch(10, "B1", expiry), Batch(5, "B2", Today.AddMonths(6)));
        var id = Guid.NewGuid();

        var damaged = Adjust(stock, Adjustment("b1", expiry, -2, "damaged", id), new FieldErrors()).ShouldNotBeNull().ShouldHaveSingleItem().ShouldBeOfType<StockAdjusted>();
        (damaged.Batch, damaged.Change, damaged.Reason, damaged.Note, damaged.By).ShouldBe(("B1", -2, StockAdjustmentReason.Damaged, "Strip torn", Pharmacist));
        stock = PharmacyStock.Evolve(stock, damaged);
        Adjust(stock, Adjustment("B1", expiry, -2, "damaged", id), new FieldErrors()).ShouldNotBeNull().ShouldBeEmpty();
        stock = PharmacyStock.Evolve(stock, Adjust(stock, Adjustment("B2", Today.AddMonths(6), 1, "countCorrection"), new FieldErrors())!.Single());
        stock.BatchesOf(StockedMedicine.Of(Paracetamol)).Select(b => (b.Batch, b.Quantity)).ShouldBe([("B1", 8), ("B2", 6)]);
        stock.OnHand(StockedMedicine.Of(Paracetamol)).ShouldBe(14);

        var expired = Adjust(stock, Adjustment("B1", expiry, -8, "expired"), new FieldErrors(), Now.AddDays(10))!.Single();
        PharmacyStock.Evolve(stock, expired).BatchesOf(StockedMedicine.Of(Paracetamol)).ShouldHaveSingleItem().Batch.ShouldBe("B2");
    }

    [Fact]
    public void An_adjustment_is_refused_naming_what_is_wrong()
    {
        var expiry = Today.AddDays(10);
        var stock = Given(Batch(3, "B1", expiry));

        var errors = new FieldErrors();
        Adjust(stock, new StockAdjustmentInput(null, "crocin", "", "tablet", null, null, 0, "lost", new string('n', 201)), errors).ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["adjustmentId", "generic", "strength", "reason", "note", "change"], ignoreOrder: true);

        foreach (var (input, field, at) in new[]
        {
            (Adjustment("B1", expiry, 2, "damaged"), "change", Now),
            (Adjustment("B1", expiry, -4, "countCorrection"), "change", Now),
            (Adjustment("B9", expiry, -1, "damaged"), "batch", Now),
            (Adjustment("B1", expiry.AddDays(1), -1, "damaged"), "batch", Now),
            (Adjustment("B1", expiry, -1, "expired"), "reason", Now.AddDays(9)),
        })
        {
            errors = new FieldErrors();
            Adjust(stock, input, errors, at).ShouldBeNull();
            errors.ToDictionary().Keys.ShouldBe([field], $"{input.Batch} {input.Change} {input.Reason}");
        }
    }

    [Fact]
    public void Medicines_below_their_threshold_of_unexpired_units_are_listed_as_low()
    {
        var stock = Given(Batch(4, "OLD", Today.AddDays(10)), Batch(3, "NEW", Today.AddMonths(6)), Receipt("amoxicillin", "500 mg", "capsule", 30));
        IReadOnlyList<IStockEvent> Set(PharmacyStock s, string generic, string strength, string form, int minimum) =>
            StockRules.SetThreshold(s, new LowStockThresholdInput(generic, strength, form, minimum), MedicineCatalogue.Seeded, Pharmacist, Now, new FieldErrors())!;
        foreach (var e in Set(stock, "paracetamol", "500MG", "Tablet", 5).Concat(Set(stock, "amoxicillin", "500 mg", "capsule", 20)))
        {
            stock = PharmacyStock.Evolve(stock, e);
        }

        StockRules.Low(stock, Today).ShouldBeEmpty();
        StockRules.Low(stock, Today.AddDays(10)).ShouldBe([new LowStockLine(new StockedMedicine("paracetamol", "500 mg", "tablet"), 3, 5)],
            "the expired batch no longer counts");
        Set(stock, "paracetamol", "500 mg", "tablet", 5).ShouldBeEmpty("the same threshold again changes nothing");
        stock = PharmacyStock.Evolve(stock, Set(stock, "paracetamol", "500 mg", "tablet", 0).Single());
        StockRules.Low(stock, Today.AddDays(10)).ShouldBeEmpty();

        var errors = new FieldErrors();
        StockRules.SetThreshold(stock, new LowStockThresholdInput("paracetamol", "500 mg", "inhaler", -1), MedicineCatalogue.Seeded, Pharmacist, Now, errors).ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["form", "minimum"], ignoreOrder: true);
    }
}
