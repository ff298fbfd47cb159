using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Messages;
using Telemed.Domain.Payments;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Payments;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Payments;

/// <summary>A Telemed host whose payments go to a local fake of Stripe's API; webhooks are signed with the current and the previous secret.</summary>
public sealed class PaymentsFixture : IAsyncLifetime
{
    public const string Secret = "whsec_current_secret";
    public const string PreviousSecret = "whsec_previous_secret";
    public const string PublishableKey = "pk_test_telemed";

    public TelemedServer Server { get; } = new();

    public FakeStripe Stripe { get; private set; } = null!;

    public TelemedFactory Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Stripe = await FakeStripe.Start();
        Host = Server.Start(new Dictionary<string, string?>
        {
            ["Payments:StripeSecretKey"] = "sk_test_telemed",
            ["Payments:StripePublishableKey"] = PublishableKey,
            ["Payments:StripeJsUrl"] = Stripe.ScriptUrl.ToString(),
            ["Payments:StripeApiBase"] = Stripe.Address.ToString().TrimEnd('/'),
            ["Payments:WebhookSecrets:0"] = Secret,
            ["Payments:WebhookSecrets:1"] = PreviousSecret,
            ["Payments:HoldMinutes"] = "15",
            ["Payments:StripeTimeoutSeconds"] = "2",
            ["Payments:SweepSeconds"] = "3600",
        });
        Stripe.DeliverWebhooksTo(Host.CreateClient(), Secret, Server.Time.GetUtcNow);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

public class PaymentTests(PaymentsFixture fixture) : IClassFixture<PaymentsFixture>
{
    private TelemedFactory Host => fixture.Host;

    private FakeStripe Stripe => fixture.Stripe;

    private async Task<Guid> OpenPaidSession()
    {
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var now = DateTimeOffset.UtcNow;
        var response = await admin.PostAsJsonAsync("/api/sessions", new
        {
            facilityId = Sessions.Facility,
            doctorIds = new[] { DemoSeeder.DoctorAshaId },
            startsAt = now.AddMinutes(-5),
            endsAt = now.AddHours(6),
            capacity = 20,
            slotMinutes = 10,
            feePaise = 50_000,
        });
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<(Guid SessionId, TestPatient Patient, JsonElement Payment)> CheckedIn()
    {
        var sessionId = await OpenPaidSession();
        var patient = (await Host.CreatePatients(1))[0];
        var response = await Host.As(patient.AccessToken).PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { complaint = "Fever" });
        await response.ShouldHave(HttpStatusCode.Created);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (sessionId, patient, reply.GetProperty("payment"));
    }

    private JsonObject IntentOf(JsonElement payment) =>
        Stripe.Intents.Single(i => i["metadata"]!["payment"]!.GetValue<string>() == payment.GetProperty("paymentId").GetString());

    private async Task<HttpResponseMessage> Deliver(string payload, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? FakeStripe.Signature(payload, fixture.Server.Time.GetUtcNow(), PaymentsFixture.Secret));
        return await Host.CreateClient().SendAsync(request);
    }

    private async Task<string> TokenState(Guid sessionId, TestPatient patient) =>
        (await Host.As(patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/my-token")).GetProperty("state").GetString()!;

    private async Task<Payment> Payment(JsonElement payment)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Payment>(payment.GetProperty("paymentId").GetGuid()))!;
    }

    private async Task<IReadOnlyList<object>> PaymentEvents(JsonElement payment)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await session.Events.FetchStreamAsync(payment.GetProperty("paymentId").GetGuid())).Select(e => e.Data)];
    }

    /// <summary>The messages queued to a patient with this template (whatever the hour: at night they wait for the morning).</summary>
    private async Task<IReadOnlyList<OutgoingMessage>> Queued(TestPatient patient, MessageTemplate template)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var mobile = (await session.LoadAsync<PatientAccount>(patient.Id))!.Mobile;
        return await session.Query<OutgoingMessage>().Where(m => m.To == mobile && m.Template == template.Id).ToListAsync();
    }

    private Task Sweep() => Host.Services.GetRequiredService<PaymentSweeper>().Sweep(CancellationToken.None);

    [Fact]
    public async Task A_paid_check_in_waits_for_its_payment_then_joins_the_line_and_gets_a_receipt()
    {
        var (sessionId, patient, payment) = await CheckedIn();

        payment.GetProperty("status").GetString().ShouldBe("awaitingPayment");
        payment.GetProperty("amountPaise").GetInt64().ShouldBe(50_000);
        payment.GetProperty("clientSecret").GetString().ShouldStartWith("pi_");
        var intent = IntentOf(payment);
        intent["amount"]!.GetValue<long>().ShouldBe(50_000);
        intent["currency"]!.GetValue<string>().ShouldBe("inr");
        intent["metadata"]!["session"]!.GetValue<string>().ShouldBe(sessionId.ToString());
        intent["metadata"]!["token"]!.GetValue<string>().ShouldBe("1");
        intent["metadata"]!["patient"]!.GetValue<string>().ShouldBe(patient.Id.ToString());
        Stripe.Requests.ShouldContain(r => r.Path == "/v1/payment_intents" && r.IdempotencyKey != null);
        (await TokenState(sessionId, patient)).ShouldBe("awaitingPayment");
        var doctor = await Sessions.Doctor(Host);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.Conflict);
        await (await Host.As(patient.AccessToken).GetAsync($"/api/payments/{payment.GetProperty("paymentId").GetGuid()}/receipt")).ShouldHave(HttpStatusCode.Conflict);

        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", intent))).ShouldHave(HttpStatusCode.OK);

        (await TokenState(sessionId, patient)).ShouldBe("waiting");
        (await Queued(patient, MessageCatalogue.PaymentReceipt)).ShouldHaveSingleItem().Variables.ShouldBe(
            new Dictionary<string, string> { ["amount"] = "500.00", ["token"] = "1" }, ignoreOrder: true);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var receipt = await Host.As(patient.AccessToken).GetAsync($"/api/payments/{payment.GetProperty("paymentId").GetGuid()}/receipt");
        await receipt.ShouldHave(HttpStatusCode.OK);
        var pdf = Path.Combine(Path.GetTempPath(), $"receipt-{Guid.NewGuid():N}.pdf");
        try
        {
            await File.WriteAllBytesAsync(pdf, await receipt.Content.ReadAsByteArrayAsync());
            var text = await Tool.Text("pdftotext", "-enc", "UTF-8", pdf, "-");
            text.ShouldContain("₹500.00");
            text.ShouldContain(intent["id"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(pdf);
        }
        var stranger = (await Host.CreatePatients(1))[0];
        // Refused exactly as a payment that does not exist is missed: no telling which ids exist.
        var refused = await Host.As(stranger.AccessToken).GetAsync($"/api/payments/{payment.GetProperty("paymentId").GetGuid()}");
        var missing = await Host.As(stranger.AccessToken).GetAsync($"/api/payments/{Guid.NewGuid()}");
        await refused.ShouldHave(HttpStatusCode.NotFound);
        (await refused.Problem()).GetProperty("detail").GetString().ShouldBe((await missing.ShouldBeProblem(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_doctor_and_the_patient_hear_at_once_when_a_paid_token_joins_the_line()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        await using var doctor = await WatchingQueue(sessionId);
        await using var watching = await HubClient.Connect(Host, "/hubs/queue", patient.AccessToken, "PositionChanged");
        (await watching.Invoke("WatchMyToken", sessionId)).GetProperty("value").GetProperty("state").GetString().ShouldBe("awaitingPayment");

        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", IntentOf(payment)))).ShouldHave(HttpStatusCode.OK);

        (await watching.Next("PositionChanged")).GetProperty("state").GetString().ShouldBe("waiting");
        var joined = await doctor.Next("QueueUpdated", d => d.GetProperty("rows").GetArrayLength() > 0);
        joined.GetProperty("rows")[0].GetProperty("token").GetInt32().ShouldBe(1);
        joined.GetProperty("rows")[0].GetProperty("state").GetString().ShouldBe("waiting");
        joined.GetProperty("line").EnumerateArray().Select(t => t.GetInt32()).ShouldBe([1]);
    }

    [Fact]
    public async Task The_doctor_hears_at_once_when_an_unpaid_hold_lapses()
    {
        var (sessionId, _, _) = await CheckedIn();
        fixture.Server.Time.Advance(TimeSpan.FromMinutes(14));
        await using var doctor = await WatchingQueue(sessionId);

        fixture.Server.Time.Advance(TimeSpan.FromMinutes(2));
        await Sweep();

        var lapsed = await doctor.Next("QueueUpdated", d => d.GetProperty("rows").GetArrayLength() > 0);
        lapsed.GetProperty("rows")[0].GetProperty("token").GetInt32().ShouldBe(1);
        lapsed.GetProperty("rows")[0].GetProperty("state").GetString().ShouldBe("paymentExpired");
    }

    private async Task<HubClient> WatchingQueue(Guid sessionId)
    {
        var doctor = await HubClient.Connect(Host, "/hubs/queue", (await Host.SignInStaff(Api.DoctorEmail)).AccessToken, "QueueUpdated");
        (await doctor.Invoke("WatchQueue", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        return doctor;
    }

    [Fact]
    public async Task The_payment_names_Stripe_js_and_its_key_and_the_page_policy_admits_exactly_their_origin()
    {
        var (_, patient, payment) = await CheckedIn();

        payment.GetProperty("publishableKey").GetString().ShouldBe(PaymentsFixture.PublishableKey);
        payment.GetProperty("scriptUrl").GetString().ShouldBe(Stripe.ScriptUrl.ToString());
        var page = await Host.As(patient.AccessToken).GetAsync("/");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        var stripe = Stripe.Address.GetLeftPart(UriPartial.Authority);
        policy.ShouldContain($"script-src 'self' {stripe};");
        policy.ShouldContain($"connect-src 'self' {stripe};");
        policy.ShouldContain($"frame-src 'self' {stripe};");
        policy.ShouldNotContain("https://js.stripe.com");
    }

    [Fact]
    public async Task Paying_through_Stripe_js_sends_a_signed_webhook_that_puts_the_token_in_line_and_a_decline_keeps_the_hold()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        var script = await new HttpClient().GetStringAsync(payment.GetProperty("scriptUrl").GetString());
        script.ShouldContain("confirmCardPayment");
        var secret = payment.GetProperty("clientSecret").GetString()!;
        var stripe = new HttpClient { BaseAddress = Stripe.Address };
        Task<HttpResponseMessage> Confirm(string card) => stripe.PostAsync($"/v1/payment_intents/{secret.Split("_secret_")[0]}/confirm", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["client_secret"] = secret, ["payment_method_data[type]"] = "card", ["payment_method_data[card][number]"] = card }));

        var declined = await Confirm(FakeStripe.DeclinedCard);

        declined.StatusCode.ShouldBe(HttpStatusCode.PaymentRequired);
        (await TokenState(sessionId, patient)).ShouldBe("awaitingPayment");
        (await Payment(payment)).LastFailure.ShouldBe("generic_decline");

        var paid = await Confirm("4242 4242 4242 4242");

        paid.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TokenState(sessionId, patient)).ShouldBe("waiting");
        (await Payment(payment)).Status.ShouldBe(PaymentStatus.Succeeded);
        (await Confirm("4242 4242 4242 4242")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a paid intent is not paid twice");
    }

    [Fact]
    public async Task A_repeated_check_in_returns_the_same_token_and_payment()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        var again = await Host.As(patient.AccessToken).PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { complaint = "Fever" });
        await again.ShouldHave(HttpStatusCode.OK);
        var reply = await again.Content.ReadFromJsonAsync<JsonElement>();
        reply.GetProperty("payment").GetProperty("paymentId").GetGuid().ShouldBe(payment.GetProperty("paymentId").GetGuid());
        reply.GetProperty("payment").GetProperty("clientSecret").GetString().ShouldBe(payment.GetProperty("clientSecret").GetString());
        Stripe.Intents.Count(i => i["metadata"]!["session"]!.GetValue<string>() == sessionId.ToString()).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_webhook_delivered_five_times_changes_state_once()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        var succeeded = FakeStripe.Event("payment_intent.succeeded", IntentOf(payment));

        var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Deliver(succeeded)));

        replies.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        (await PaymentEvents(payment)).OfType<PaymentSucceeded>().Count().ShouldBe(1);
        (await TokenState(sessionId, patient)).ShouldBe("waiting");
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Events.FetchStreamAsync(sessionId)).Count(e => e.Data is Telemed.Domain.Queue.TokenPaid).ShouldBe(1);
    }

    [Fact]
    public async Task A_failure_arriving_after_the_success_does_not_move_the_payment_back()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        var intent = IntentOf(payment);
        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", intent))).ShouldHave(HttpStatusCode.OK);
        intent["last_payment_error"] = new JsonObject { ["code"] = "card_declined", ["decline_code"] = "insufficient_funds", ["type"] = "card_error" };

        await (await Deliver(FakeStripe.Event("payment_intent.payment_failed", intent))).ShouldHave(HttpStatusCode.OK);

        (await Payment(payment)).Status.ShouldBe(PaymentStatus.Succeeded);
        (await TokenState(sessionId, patient)).ShouldBe("waiting");
    }

    [Fact]
    public async Task A_decline_is_noted_while_the_patient_can_still_pay()
    {
        var (_, _, payment) = await CheckedIn();
        var intent = IntentOf(payment);
        intent["last_payment_error"] = new JsonObject { ["code"] = "card_declined", ["decline_code"] = "insufficient_funds", ["type"] = "card_error" };
        await (await Deliver(FakeStripe.Event("payment_intent.payment_failed", intent))).ShouldHave(HttpStatusCode.OK);
        var after = await Payment(payment);
        after.Status.ShouldBe(PaymentStatus.AwaitingPayment);
        after.LastFailure.ShouldBe("insufficient_funds");
    }

    [Fact]
    public async Task A_bad_signature_or_an_old_timestamp_is_refused_and_changes_nothing()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        var payload = FakeStripe.Event("payment_intent.succeeded", IntentOf(payment));

        var forged = await Deliver(payload, FakeStripe.Signature(payload, fixture.Server.Time.GetUtcNow(), "whsec_someone_else"));
        await forged.ShouldHave(HttpStatusCode.BadRequest);
        (await forged.Problem()).GetProperty("title").GetString().ShouldBe("Invalid signature");
        var stale = await Deliver(payload, FakeStripe.Signature(payload, fixture.Server.Time.GetUtcNow().AddSeconds(-301), PaymentsFixture.Secret));
        await stale.ShouldHave(HttpStatusCode.BadRequest);
        var altered = await Deliver(payload.Replace("50000", "5", StringComparison.Ordinal), FakeStripe.Signature(payload, fixture.Server.Time.GetUtcNow(), PaymentsFixture.Secret));
        await altered.ShouldHave(HttpStatusCode.BadRequest);
        await (await Deliver(payload, "")).ShouldHave(HttpStatusCode.BadRequest);

        (await Payment(payment)).Status.ShouldBe(PaymentStatus.AwaitingPayment);
        (await TokenState(sessionId, patient)).ShouldBe("awaitingPayment");
    }

    [Fact]
    public async Task During_a_secret_rotation_either_secret_is_accepted()
    {
        var (_, _, first) = await CheckedIn();
        var signedWithOld = FakeStripe.Event("payment_intent.succeeded", IntentOf(first));
        await (await Deliver(signedWithOld, FakeStripe.Signature(signedWithOld, fixture.Server.Time.GetUtcNow(), PreviousOnly))).ShouldHave(HttpStatusCode.OK);
        (await Payment(first)).Status.ShouldBe(PaymentStatus.Succeeded);

        var (_, _, second) = await CheckedIn();
        var signedWithBoth = FakeStripe.Event("payment_intent.succeeded", IntentOf(second));
        await (await Deliver(signedWithBoth, FakeStripe.Signature(signedWithBoth, fixture.Server.Time.GetUtcNow(), "whsec_unrelated", PaymentsFixture.Secret)))
            .ShouldHave(HttpStatusCode.OK);
        (await Payment(second)).Status.ShouldBe(PaymentStatus.Succeeded);
    }

    private const string PreviousOnly = PaymentsFixture.PreviousSecret;

    [Fact]
    public async Task Unknown_event_types_are_acknowledged_and_ignored()
    {
        var payload = FakeStripe.Event("customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" });
        await (await Deliver(payload)).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_Stripe_fails_or_times_out_check_in_says_retry_and_records_nothing()
    {
        var sessionId = await OpenPaidSession();
        var patient = (await Host.CreatePatients(1))[0];
        var client = Host.As(patient.AccessToken);

        Stripe.FailNext(1);
        var failed = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { });
        await failed.ShouldHave(HttpStatusCode.ServiceUnavailable);
        (await failed.Problem()).GetProperty("retryable").GetBoolean().ShouldBeTrue();
        failed.Headers.RetryAfter.ShouldNotBeNull();
        await (await client.GetAsync($"/api/sessions/{sessionId}/my-token")).ShouldHave(HttpStatusCode.NotFound);

        Stripe.DelayNext(TimeSpan.FromSeconds(4));
        await (await client.PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { })).ShouldHave(HttpStatusCode.ServiceUnavailable);
        await (await client.GetAsync($"/api/sessions/{sessionId}/my-token")).ShouldHave(HttpStatusCode.NotFound);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the slow Stripe finishes creating the intent after Telemed gave up

        var retried = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { });
        await retried.ShouldHave(HttpStatusCode.Created);
        Stripe.Intents.Count(i => i["metadata"]!["session"]!.GetValue<string>() == sessionId.ToString())
            .ShouldBe(1, "the retry reused the timed-out attempt's idempotency key");
    }

    [Fact]
    public async Task Cancelling_the_session_refunds_paid_patients_and_Stripe_confirms_it()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        var intent = IntentOf(payment);
        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", intent))).ShouldHave(HttpStatusCode.OK);
        // Failing before the close: closing wakes the background sweeper, which would otherwise send the refund before this test fails Stripe.
        Stripe.FailNext(100);

        await (await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/close", null)).ShouldHave(HttpStatusCode.OK);
        (await Payment(payment)).Status.ShouldBe(PaymentStatus.RefundRequested);
        var payments = Host.Services.GetRequiredService<PaymentService>();
        await payments.SubmitRefunds(CancellationToken.None);
        Stripe.StopFailing();
        (await Payment(payment)).RefundId.ShouldBeNull("Stripe failed; the refund waits for the next sweep");
        await payments.SubmitRefunds(CancellationToken.None);

        var refund = Stripe.Refunds.Single(r => r["payment_intent"]!.GetValue<string>() == intent["id"]!.GetValue<string>());
        (await Payment(payment)).RefundId.ShouldBe(refund["id"]!.GetValue<string>());
        Stripe.Requests.Count(r => r.Path == "/v1/refunds" && r.IdempotencyKey == $"telemed-refund-{payment.GetProperty("paymentId").GetGuid()}")
            .ShouldBeGreaterThanOrEqualTo(2, "the failed attempt and its retries share one idempotency key, and Stripe made one refund");
        await (await Deliver(FakeStripe.Event("charge.refunded", FakeStripe.Charge(intent, 50_000)))).ShouldHave(HttpStatusCode.OK);
        var refunded = await Payment(payment);
        refunded.Status.ShouldBe(PaymentStatus.Refunded);
        refunded.RefundedPaise.ShouldBe(50_000);
        (await Queued(patient, MessageCatalogue.SessionCancelled)).ShouldHaveSingleItem();
        (await Queued(patient, MessageCatalogue.PaymentRefund)).ShouldHaveSingleItem().Variables["amount"].ShouldBe("500.00");
        await (await Deliver(FakeStripe.Event("charge.refunded", FakeStripe.Charge(intent, 50_000)))).ShouldHave(HttpStatusCode.OK);
        (await Queued(patient, MessageCatalogue.PaymentRefund)).Count.ShouldBe(1, "a repeated refund event tells the patient once");
    }

    [Fact]
    public async Task A_consultation_marked_not_held_is_abandoned_and_refunded()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", IntentOf(payment)))).ShouldHave(HttpStatusCode.OK);
        var doctor = await Sessions.Doctor(Host);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await (await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/start", null)).Content.ReadFromJsonAsync<JsonElement>();

        await (await doctor.PostAsJsonAsync($"/api/sessions/{sessionId}/tokens/1/not-held", new { reason = "" })).ShouldHave(HttpStatusCode.Conflict);
        await (await doctor.PostAsJsonAsync($"/api/sessions/{sessionId}/tokens/1/not-held", new { reason = "Patient's network failed repeatedly" }))
            .ShouldHave(HttpStatusCode.OK);

        (await TokenState(sessionId, patient)).ShouldBe("notHeld");
        (await Payment(payment)).Status.ShouldBe(PaymentStatus.RefundRequested);
        var consultation = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{started.GetProperty("consultationId").GetGuid()}");
        consultation.GetProperty("status").GetString().ShouldBe("abandoned");
    }

    [Fact]
    public async Task An_unpaid_hold_lapses_and_a_payment_after_that_is_refunded()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        fixture.Server.Time.Advance(TimeSpan.FromMinutes(16));
        await Sweep();
        patient = await Host.SignInAgain(patient);

        (await TokenState(sessionId, patient)).ShouldBe("paymentExpired");
        var intent = IntentOf(payment);
        intent["status"]!.GetValue<string>().ShouldBe("canceled");

        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", intent))).ShouldHave(HttpStatusCode.OK);
        var late = await Payment(payment);
        late.Status.ShouldBe(PaymentStatus.RefundRequested);
        late.RefundReason!.ShouldContain("after the held place was released");
        (await TokenState(sessionId, patient)).ShouldBe("paymentExpired");
    }

    [Fact]
    public async Task An_admin_refunds_by_hand_with_a_reason_and_every_read_of_the_fee_is_on_the_patients_access_log()
    {
        var (_, patient, payment) = await CheckedIn();
        var paymentId = payment.GetProperty("paymentId").GetGuid();
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        await (await admin.PostAsJsonAsync($"/api/admin/payments/{paymentId}/refund", new { reason = "Goodwill" })).ShouldHave(HttpStatusCode.Conflict);
        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", IntentOf(payment)))).ShouldHave(HttpStatusCode.OK);
        await (await admin.PostAsJsonAsync($"/api/admin/payments/{paymentId}/refund", new { reason = "" })).ShouldHave(HttpStatusCode.BadRequest);
        await (await admin.PostAsJsonAsync($"/api/admin/payments/{paymentId}/refund", new { reason = "Goodwill: doctor was late" })).ShouldHave(HttpStatusCode.Accepted);
        (await Payment(payment)).RefundReason.ShouldBe("Goodwill: doctor was late");

        var audit = await admin.GetFromJsonAsync<Telemed.Server.Audit.AuditPage>(
            $"/api/admin/audit?resource=payment/{paymentId}&action={Uri.EscapeDataString("request refund")}", Api.Json);
        audit!.Entries.ShouldHaveSingleItem().AccountId.ShouldBe(DemoSeeder.AdminId);

        await (await Host.As(patient.AccessToken).GetAsync($"/api/payments/{paymentId}")).ShouldHave(HttpStatusCode.OK);
        await (await admin.GetAsync($"/api/payments/{paymentId}/receipt")).ShouldHave(HttpStatusCode.OK);
        var log = (await Host.As(patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log")).EnumerateArray()
            .Select(read => (read.GetProperty("basis").GetString(), read.GetProperty("resource").GetString(), read.GetProperty("readerId").GetGuid())).ToList();
        log.ShouldContain(("Self", $"payment/{paymentId}", patient.Id));
        log.ShouldContain(("Billing", $"payment/{paymentId}/receipt", DemoSeeder.AdminId));
    }

    [Fact]
    public async Task An_admin_lists_a_sessions_fees_by_token_without_the_patient_to_pick_one_to_refund_and_nobody_else_does()
    {
        var (sessionId, patient, payment) = await CheckedIn();
        var paymentId = payment.GetProperty("paymentId").GetGuid();
        await (await Deliver(FakeStripe.Event("payment_intent.succeeded", IntentOf(payment)))).ShouldHave(HttpStatusCode.OK);
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

        var json = await admin.GetStringAsync($"/api/admin/payments?sessionId={sessionId}");

        var listed = JsonDocument.Parse(json).RootElement.EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("paymentId").GetGuid().ShouldBe(paymentId);
        listed.GetProperty("token").GetInt32().ShouldBe(1);
        listed.GetProperty("amountPaise").GetInt64().ShouldBe(50_000);
        listed.GetProperty("status").GetString().ShouldBe("succeeded");
        json.ShouldNotContain(patient.Id.ToString());
        await (await admin.PostAsJsonAsync($"/api/admin/payments/{paymentId}/refund", new { reason = "Doctor was called away" })).ShouldHave(HttpStatusCode.Accepted);
        var after = (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/payments?sessionId={sessionId}")).EnumerateArray().Single();
        after.GetProperty("status").GetString().ShouldBe("refundRequested");
        after.GetProperty("refundReason").GetString().ShouldBe("Doctor was called away");

        (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/payments?sessionId={Guid.NewGuid()}")).GetArrayLength().ShouldBe(0);
        await (await admin.GetAsync("/api/admin/payments")).ShouldHave(HttpStatusCode.BadRequest);
        await (await Host.As(patient.AccessToken).GetAsync($"/api/admin/payments?sessionId={sessionId}")).ShouldHave(HttpStatusCode.Forbidden);
        await (await (await Sessions.Doctor(Host)).GetAsync($"/api/admin/payments?sessionId={sessionId}")).ShouldHave(HttpStatusCode.Forbidden);
        await (await (await Sessions.Doctor(Host)).PostAsJsonAsync($"/api/admin/payments/{paymentId}/refund", new { reason = "x" })).ShouldHave(HttpStatusCode.Forbidden);
    }
}
