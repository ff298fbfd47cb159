using Telemed.Domain.Dispensing;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Dispensing;

public class StockTests
{
    private static readonly Guid Pharmacy = Guid.Parse("77777777-0000-0000-0000-0000000000f1");
    private static readonly Guid Pharmacist = Guid.Parse("77777777-0000-0000-0000-0000000000f2");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    private static readonly PrescribedMedicine Paracetamol = new("paracetamol", "500 mg", "tablet", "1", "1-0-1", "oral", 3, 6, null, TpgList.O, false);
    private static readonly PrescribedMedicine Amoxicillin = new("amoxicillin", "500 mg", "capsule", "1", "TDS", "oral", 5, 15, null, TpgList.A, false);

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
}
