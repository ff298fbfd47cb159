using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Dispensing;
using Telemed.Server.Tests.Spokes;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Dispensing;

public class PharmacyStockTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private static Task<HttpResponseMessage> Dispense(HttpClient pharmacist, Guid prescriptionId, int quantity, Guid? requestId = null) =>
        pharmacist.PostAsJsonAsync($"/api/pharmacy/prescriptions/{prescriptionId}/dispensations",
            new { requestId = requestId ?? Guid.NewGuid(), lines = new[] { new { line = 0, quantity, batch = "PCM-2291" } } });

    private static async Task<int> OnHand(HttpClient pharmacist, string generic)
    {
        var stock = await pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/stock");
        return stock.GetProperty("medicines").EnumerateArray()
            .Where(m => m.GetProperty("medicine").GetProperty("generic").GetString() == generic)
            .Sum(m => m.GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task A_pharmacist_learns_whether_their_pharmacy_is_a_facilitys_own_and_only_such_a_pharmacy_has_stock()
    {
        var world = await SpokeWorld.Create(Host);
        var own = await world.Pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy");
        own.GetProperty("id").GetGuid().ShouldBe(world.PharmacyId);
        own.GetProperty("facilityOwn").GetBoolean().ShouldBeTrue();
        await (await world.Pharmacist.GetAsync("/api/pharmacy/stock")).ShouldHave(HttpStatusCode.OK);

        var counter = Host.As((await Host.SignInStaff("meena.iyer@telemed.local")).AccessToken);
        (await counter.GetFromJsonAsync<JsonElement>("/api/pharmacy")).GetProperty("facilityOwn").GetBoolean().ShouldBeFalse();
        await (await counter.GetAsync("/api/pharmacy/stock")).ShouldBeProblem(HttpStatusCode.Forbidden);

        var doctor = Host.As((await Host.SignInStaff("asha.verma@telemed.local")).AccessToken);
        (await doctor.GetAsync("/api/pharmacy")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_spoke_pharmacy_dispenses_from_its_stock_and_refuses_what_its_stock_does_not_hold()
    {
        var world = await SpokeWorld.Create(Host);
        var prescriptionId = await world.Prescribed(Host);

        var empty = await Dispense(world.Pharmacist, prescriptionId, 6);
        var refused = await empty.ShouldBeProblem(HttpStatusCode.Conflict);
        refused.GetProperty("code").GetString().ShouldBe("OutOfStock");
        refused.GetProperty("detail").GetString()!.ShouldContain("paracetamol 500 mg tablet: 0 in stock, 6 asked for.");

        var receiptId = Guid.NewGuid();
        await (await world.Receive("Paracetamol", "500 mg", "tablet", 4, receiptId)).ShouldHave(HttpStatusCode.Created);
        await (await world.Receive("Paracetamol", "500 mg", "tablet", 4, receiptId)).ShouldHave(HttpStatusCode.OK);
        (await OnHand(world.Pharmacist, "paracetamol")).ShouldBe(4, "a receipt sent twice is counted once");

        var short4 = await (await Dispense(world.Pharmacist, prescriptionId, 6)).ShouldBeProblem(HttpStatusCode.Conflict);
        short4.GetProperty("detail").GetString()!.ShouldContain("4 in stock, 6 asked for");
        short4.GetProperty("onHand")[0].GetProperty("quantity").GetInt32().ShouldBe(4);
        var requestId = Guid.NewGuid();
        await (await Dispense(world.Pharmacist, prescriptionId, 4, requestId)).ShouldHave(HttpStatusCode.OK);
        await (await Dispense(world.Pharmacist, prescriptionId, 4, requestId)).ShouldHave(HttpStatusCode.OK);
        (await OnHand(world.Pharmacist, "paracetamol")).ShouldBe(0, "a retried dispense takes from stock once");

        await (await world.Receive("paracetamol", "500MG", "Tablet", 10)).ShouldHave(HttpStatusCode.Created);
        var rest = await Dispense(world.Pharmacist, prescriptionId, 2);
        await rest.ShouldHave(HttpStatusCode.OK);
        (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString().ShouldBe("fullyDispensed");
        (await OnHand(world.Pharmacist, "paracetamol")).ShouldBe(8);

        await using var db = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = (await db.Events.FetchStreamAsync(world.PharmacyId)).Select(e => e.Data).ToList();
        events.OfType<StockReceived>().Select(r => (r.Quantity, r.Batch, r.ExpiresOn)).ShouldBe([(4, "PCM-2291", new DateOnly(2030, 6, 30)), (10, "PCM-2291", new DateOnly(2030, 6, 30))]);
        events.OfType<StockDispensed>().Select(d => (d.PrescriptionId, d.Lines.Single().Quantity)).ShouldBe([(prescriptionId, 4), (prescriptionId, 2)]);
    }

    [Fact]
    public async Task A_receipt_is_refused_naming_each_wrong_field_and_only_a_facility_s_own_pharmacy_keeps_stock()
    {
        var world = await SpokeWorld.Create(Host);

        var wrong = await world.Pharmacist.PostAsJsonAsync("/api/pharmacy/stock/receipts",
            new { receiptId = Guid.NewGuid(), generic = "crocin", strength = "500 mg", form = "tablet", quantity = 0, expiresOn = "2020-01-31" });
        var errors = (await wrong.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors");
        foreach (var field in new[] { "generic", "quantity", "expiresOn" })
        {
            errors.TryGetProperty(field, out _).ShouldBeTrue(field);
        }

        var retail = Host.As((await Host.SignInStaff("meena.iyer@telemed.local")).AccessToken);
        (await (await retail.GetAsync("/api/pharmacy/stock")).ShouldBeProblem(HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("no stock");
        await (await retail.PostAsJsonAsync("/api/pharmacy/stock/receipts", new { receiptId = Guid.NewGuid(), generic = "paracetamol", strength = "500 mg", form = "tablet", quantity = 5 }))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await world.HealthWorker.GetAsync("/api/pharmacy/stock")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await world.Doctor.PostAsJsonAsync("/api/pharmacy/stock/receipts", new { receiptId = Guid.NewGuid(), generic = "paracetamol", strength = "500 mg", form = "tablet", quantity = 5 }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Dispenses_at_the_same_moment_never_hand_out_the_same_last_units_twice()
    {
        var world = await SpokeWorld.Create(Host);
        var prescriptions = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            prescriptions.Add(await world.Prescribed(Host));
        }
        await (await world.Receive("paracetamol", "500 mg", "tablet", 10)).ShouldHave(HttpStatusCode.Created);

        var answers = await Task.WhenAll(prescriptions.Select(id => Dispense(world.Pharmacist, id, 6)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            (await refused.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("OutOfStock");
        }
        (await OnHand(world.Pharmacist, "paracetamol")).ShouldBe(4);
        var left = await Task.WhenAll(prescriptions.Select(id => world.Pharmacist.GetFromJsonAsync<JsonElement>($"/api/pharmacy/prescriptions/{id}")));
        left.Sum(p => p.GetProperty("lines")[0].GetProperty("dispensed").GetInt32()).ShouldBe(6, "only the dispense that took the stock was recorded");
    }

    private static Task<HttpResponseMessage> Adjust(HttpClient pharmacist, string batch, string expiresOn, int change, string reason, Guid? adjustmentId = null) =>
        pharmacist.PostAsJsonAsync("/api/pharmacy/stock/adjustments", new
        {
            adjustmentId = adjustmentId ?? Guid.NewGuid(), generic = "paracetamol", strength = "500 mg", form = "tablet", batch, expiresOn, change, reason, note = "Strip torn",
        });

    [Fact]
    public async Task Dispenses_take_the_earliest_expiring_batch_first_and_adjustments_and_low_stock_follow_the_batches()
    {
        var world = await SpokeWorld.Create(Host);
        var today = Telemed.Domain.IndianTime.Day(server.Time.GetUtcNow());
        var soon = today.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var first = await world.Prescribed(Host);
        await (await world.Pharmacist.PostAsJsonAsync("/api/pharmacy/stock/receipts", new
        {
            receiptId = Guid.NewGuid(), generic = "paracetamol", strength = "500 mg", form = "tablet", quantity = 10, batch = "LATE", expiresOn = "2030-06-30",
        })).ShouldHave(HttpStatusCode.Created);
        foreach (var (batch, expiresOn, quantity) in new[] { ("SOON", soon, 4), ("DAY", tomorrow, 5) })
        {
            await (await world.Pharmacist.PostAsJsonAsync("/api/pharmacy/stock/receipts", new
            {
                receiptId = Guid.NewGuid(), generic = "paracetamol", strength = "500 mg", form = "tablet", quantity, batch, expiresOn,
            })).ShouldHave(HttpStatusCode.Created);
        }

        await (await Dispense(world.Pharmacist, first, 6)).ShouldHave(HttpStatusCode.OK);
        await using (var db = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var taken = (await db.Events.FetchStreamAsync(world.PharmacyId)).Select(e => e.Data).OfType<StockDispensed>().Single().Lines.Single().Batches!;
            taken.Select(b => (b.Batch, b.Quantity)).ShouldBe([("DAY", 5), ("SOON", 1)]);
        }

        var adjustmentId = Guid.NewGuid();
        await (await Adjust(world.Pharmacist, "LATE", "2030-06-30", -1, "damaged", adjustmentId)).ShouldHave(HttpStatusCode.Created);
        await (await Adjust(world.Pharmacist, "LATE", "2030-06-30", -1, "damaged", adjustmentId)).ShouldHave(HttpStatusCode.OK);
        (await (await Adjust(world.Pharmacist, "LATE", "2030-06-30", -1, "expired")).ShouldBeProblem(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        (await (await Adjust(world.Pharmacist, "NONE", "2030-06-30", -1, "damaged")).ShouldBeProblem(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("batch", out _).ShouldBeTrue();
        await (await world.Pharmacist.PutAsJsonAsync("/api/pharmacy/stock/thresholds", new { generic = "paracetamol", strength = "500 mg", form = "tablet", minimum = 15 }))
            .ShouldHave(HttpStatusCode.OK);

        var stock = (await world.Pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/stock")).GetProperty("medicines").EnumerateArray().Single();
        (stock.GetProperty("quantity").GetInt32(), stock.GetProperty("usable").GetInt32(), stock.GetProperty("minimum").GetInt32()).ShouldBe((12, 12, 15));
        stock.GetProperty("batches").EnumerateArray().Select(b => (b.GetProperty("batch").GetString(), b.GetProperty("quantity").GetInt32())).ShouldBe([("SOON", 3), ("LATE", 9)]);
        var low = (await world.Pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/stock/low")).EnumerateArray().Single();
        (low.GetProperty("medicine").GetProperty("generic").GetString(), low.GetProperty("usable").GetInt32(), low.GetProperty("minimum").GetInt32()).ShouldBe(("paracetamol", 12, 15));

        await using (var db = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var events = (await db.Events.FetchStreamAsync(world.PharmacyId)).Select(e => e.Data).ToList();
            events.OfType<StockAdjusted>().Select(a => (a.Batch, a.Change, a.Reason, a.By)).ShouldBe([("LATE", -1, StockAdjustmentReason.Damaged, events.OfType<StockReceived>().First().By)]);
            var audited = await db.Query<Telemed.Server.Audit.AuditEntry>().Where(a => a.Resource == $"pharmacy/{world.PharmacyId}/stock").ToListAsync();
            audited.Select(a => a.Action).ShouldContain("adjust stock (Damaged)");
            audited.Select(a => a.Action).ShouldContain("set low-stock threshold");
        }
    }

    [Fact]
    public async Task First_receipts_at_a_new_pharmacy_at_the_same_moment_are_all_counted()
    {
        var world = await SpokeWorld.Create(Host);

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => world.Receive("paracetamol", "500 mg", "tablet", 2)));

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Created);
        (await OnHand(world.Pharmacist, "paracetamol")).ShouldBe(10);
    }
}
