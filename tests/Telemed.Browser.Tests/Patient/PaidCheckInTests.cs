using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Server.Tests.Support;

namespace Telemed.Browser.Tests.Patient;

/// <summary>
/// A patient pays a session's fee in the page with Stripe.js, here the local fake's (Stripe cannot be reached from the
/// tests): its confirmation posts Stripe's signed webhook to the server, and the real webhook path puts the token in line.
/// </summary>
[Collection(OneAtATime.Name)]
public class PaidCheckInTests(PaidCheckInTests.Fixture fixture) : IClassFixture<PaidCheckInTests.Fixture>
{
    public sealed class Fixture : BrowserFixture
    {
        private const string WebhookSecret = "whsec_browser_tests";

        public FakeStripe Stripe { get; private set; } = null!;

        protected override async Task<IDictionary<string, string>> ServerSettings()
        {
            Stripe = await FakeStripe.Start();
            return new Dictionary<string, string>
            {
                ["Otp__ResendCooldownSeconds"] = "0",
                ["Payments__StripeSecretKey"] = "sk_test_browser",
                ["Payments__StripePublishableKey"] = "pk_test_browser",
                ["Payments__StripeJsUrl"] = Stripe.ScriptUrl.ToString(),
                ["Payments__StripeApiBase"] = Stripe.Address.ToString().TrimEnd('/'),
                ["Payments__WebhookSecrets__0"] = WebhookSecret,
            };
        }

        /// <summary>Once the server runs (its address is known only then), the fake posts its webhooks there.</summary>
        public void DeliverWebhooks() => Stripe.DeliverWebhooksTo(Http, WebhookSecret, () => DateTimeOffset.UtcNow);

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Stripe.DisposeAsync();
        }
    }

    /// <summary>Dr. Asha Verma's session charging ₹500.</summary>
    private async Task<Guid> OpenPaidSession()
    {
        fixture.DeliverWebhooks();
        var doctor = await fixture.SignIn("asha.verma@telemed.local");
        var response = await fixture.Send(HttpMethod.Post, "/api/sessions", doctor, new
        {
            facilityId = Guid.Parse("0193a000-0000-7000-8000-000000000001"),
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            endsAt = DateTimeOffset.UtcNow.AddHours(2),
            capacity = 20,
            specialty = "General Medicine",
            feePaise = 50_000,
        });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_declined_card_says_what_to_do_then_a_paid_fee_puts_the_token_in_line_and_the_receipt_downloads()
    {
        var sessionId = await OpenPaidSession();
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9876543210");
        await Assertions.Expect(patient.Locator($"#sessions button[data-session='{sessionId}'] + p")).ToContainTextAsync("Fee ₹500");
        await Pages.OpenCheckIn(patient, sessionId);
        await Assertions.Expect(patient.Locator("#checkin-fee")).ToContainTextAsync("₹500, paid online by card");
        await patient.FillAsync("#checkin-complaint", "Fever for three days");
        await patient.ClickAsync("#checkin-submit");

        await Assertions.Expect(patient.Locator("#token-state")).ToHaveTextAsync("Waiting for your payment");
        await Assertions.Expect(patient.Locator("#payment-amount")).ToContainTextAsync("Fee ₹500. Your place is held until");
        var card = patient.Locator("#payment-card input");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(patient.Locator("#payment-pay")).ToHaveTextAsync("Pay ₹500");
        await Assertions.Expect(patient.Locator("#payment-receipt")).ToBeHiddenAsync();

        await card.FillAsync(FakeStripe.DeclinedCard);
        await patient.ClickAsync("#payment-pay");

        await Assertions.Expect(patient.Locator("#payment")).ToHaveAttributeAsync("data-step", "failed");
        await Assertions.Expect(patient.Locator("#payment-status")).ToHaveTextAsync(
            "The payment did not go through: Your card was declined. Check the card details and try again, or use another card.");
        await Assertions.Expect(patient.Locator("#token-state")).ToHaveTextAsync("Waiting for your payment");

        await card.FillAsync("4242 4242 4242 4242");
        await patient.ClickAsync("#payment-pay");

        await Assertions.Expect(patient.Locator("#payment")).ToHaveAttributeAsync("data-step", "paid");
        await Assertions.Expect(patient.Locator("#payment-status")).ToHaveTextAsync("Paid. You are in the queue.");
        await Assertions.Expect(patient.Locator("#token-state")).ToHaveTextAsync("Waiting");
        await Assertions.Expect(patient.Locator("#position")).ToHaveTextAsync("1");
        fixture.Stripe.Intents.ShouldContain(i => i["status"]!.GetValue<string>() == "succeeded" && i["metadata"]!["session"]!.GetValue<string>() == sessionId.ToString());

        var download = await patient.RunAndWaitForDownloadAsync(() => patient.ClickAsync("#payment-receipt"));
        var pdf = Path.Combine(Path.GetTempPath(), $"receipt-{Guid.NewGuid():N}.pdf");
        try
        {
            await download.SaveAsAsync(pdf);
            download.SuggestedFilename.ShouldStartWith("receipt-");
            (await Tool.Text("pdftotext", "-enc", "UTF-8", pdf, "-")).ShouldContain("₹500.00");
        }
        finally
        {
            File.Delete(pdf);
        }
    }

    [Theory]
    [InlineData("en", "7012345678")]
    [InlineData("hi", "9812345678")]
    public async Task The_fee_and_card_form_have_no_serious_accessibility_violations(string language, string mobile)
    {
        var sessionId = await OpenPaidSession();
        var patient = await fixture.NewPage();
        await patient.Context.AddInitScriptAsync($"localStorage.setItem('telemed.language', '{language}')");
        await patient.SetViewportSizeAsync(360, 780);
        await Pages.CheckIn(patient, fixture, mobile, sessionId);
        await Assertions.Expect(patient.Locator("#payment")).ToHaveAttributeAsync("data-step", "due");

        await Assertions.Expect(patient.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Axe.ShouldHaveNoSeriousViolations(patient, $"paid check-in ({language})");
        (await patient.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("nothing wider than a 360 px phone");
    }

    [Fact]
    public async Task The_admin_refunds_a_paid_fee_from_the_sessions_fees_with_a_reason()
    {
        var sessionId = await OpenPaidSession();
        var patient = await fixture.PatientToken("+919812345678");
        var checkedIn = await (await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient, new { complaint = "Cough" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var payment = checkedIn.GetProperty("payment");
        var paymentId = payment.GetProperty("paymentId").GetString()!;
        var intent = fixture.Stripe.Intents.Single(i => i["metadata"]!["payment"]!.GetValue<string>() == paymentId);
        // What Stripe.js sends when the patient pays: the fake then posts the signed webhook that marks the fee paid.
        using var confirm = await fixture.Http.PostAsync(new Uri(fixture.Stripe.Address, $"/v1/payment_intents/{intent["id"]}/confirm"), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["client_secret"] = intent["client_secret"]!.GetValue<string>(), ["payment_method_data[card][number]"] = "4242424242424242" }));
        confirm.EnsureSuccessStatusCode();
        for (var attempt = 0; (await (await fixture.Send(HttpMethod.Get, $"/api/payments/{paymentId}", patient)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("status").GetString() != "succeeded"; attempt++)
        {
            attempt.ShouldBeLessThan(100, "the fee was never marked paid");
            await Task.Delay(100);
        }

        var admin = await fixture.NewPage();
        await Pages.SignInAdmin(admin);
        var row = admin.Locator($"#adm-sessions tr[data-session='{sessionId}']");
        await row.Locator("button[data-action='fees']").ClickAsync();
        var fee = admin.Locator($"#adm-fees li[data-payment='{paymentId}']");
        await Assertions.Expect(admin.Locator("#adm-fees-heading")).ToBeFocusedAsync();
        await Assertions.Expect(fee).ToContainTextAsync("Token 1: ₹500, paid.");
        (await admin.Locator("#adm-fees").InnerTextAsync()).ShouldNotContain("Ramesh");
        await Axe.ShouldHaveNoSeriousViolations(admin, "a session's fees (en)");

        await fee.Locator("input").FillAsync("Doctor was called away to an emergency");
        await fee.Locator("button").ClickAsync();

        await Assertions.Expect(admin.Locator("#adm-fees-status")).ToHaveTextAsync("The refund of token 1 was sent to the payment provider.");
        await Assertions.Expect(fee).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(refundRequested|refunded)$"));
        await Assertions.Expect(fee).ToContainTextAsync("Refund reason: Doctor was called away to an emergency");
        await Assertions.Expect(fee.Locator("button")).ToHaveCountAsync(0);
        var after = await (await fixture.Send(HttpMethod.Get, $"/api/payments/{paymentId}", patient)).Content.ReadFromJsonAsync<JsonElement>();
        after.GetProperty("status").GetString().ShouldBeOneOf("refundRequested", "refunded");
    }
}
