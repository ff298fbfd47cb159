using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Telemed.Server.Tests.Support;

/// <summary>
/// A local stand-in for the few Stripe API endpoints Telemed calls, on a loopback port: Stripe-shaped JSON, Idempotency-Key
/// honoured (a replay gets the first answer), and failures on demand. Webhooks are signed with Stripe's real scheme.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, JsonObject> intents = new();
    private readonly ConcurrentDictionary<string, JsonObject> refunds = new();
    private readonly ConcurrentDictionary<string, (int Status, string Body)> replies = new();
    private readonly ConcurrentQueue<HttpStatusCode> failures = new();
    private long delayNextTicks;
    private (HttpClient Server, string Secret, Func<DateTimeOffset> Clock)? webhooks;

    private FakeStripe(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyCollection<JsonObject> Intents => [.. intents.Values];

    public IReadOnlyCollection<JsonObject> Refunds => [.. refunds.Values];

    public ConcurrentQueue<(string Method, string Path, string? IdempotencyKey)> Requests { get; } = new();

    public static async Task<FakeStripe> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeStripe(builder.Build());
        fake.app.Run(fake.Handle);
        await fake.app.StartAsync();
        fake.Address = new Uri(fake.app.Urls.First());
        return fake;
    }

    /// <summary>The next <paramref name="count"/> requests answer with this status (and a Stripe error body).</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.InternalServerError)
    {
        for (var i = 0; i < count; i++)
        {
            failures.Enqueue(status);
        }
    }

    public void StopFailing() => failures.Clear();

    /// <summary>The next request is answered only after this long (but still carried out, as a real slow Stripe would).</summary>
    public void DelayNext(TimeSpan delay) => Interlocked.Exchange(ref delayNextTicks, delay.Ticks);

    public JsonObject Intent(string id) => intents[id];

    /// <summary>Stripe's test card that is always declined (card_declined); any other number pays.</summary>
    public const string DeclinedCard = "4000000000000002";

    /// <summary>Where Stripe.js is served from, as Payments:StripeJsUrl.</summary>
    public Uri ScriptUrl => new(Address, "/v3/");

    /// <summary>
    /// Confirmed payments are announced to this server's webhook, as Stripe would, signed with the secret at the clock's
    /// time; the confirmation answers only after the webhook was delivered.
    /// </summary>
    public void DeliverWebhooksTo(HttpClient server, string secret, Func<DateTimeOffset> clock) => webhooks = (server, secret, clock);

    private async Task Handle(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        Requests.Enqueue((http.Request.Method, path, key));
        // Stripe.js calls the API from the patient's page, on another origin: Stripe answers such calls with CORS headers.
        http.Response.Headers.AccessControlAllowOrigin = "*";
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            http.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
            http.Response.Headers.AccessControlAllowMethods = "GET, POST";
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (HttpMethods.IsGet(http.Request.Method) && path.TrimEnd('/') == "/v3")
        {
            http.Response.ContentType = "text/javascript";
            await http.Response.WriteAsync(StripeJs);
            return;
        }
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        if (HttpMethods.IsPost(http.Request.Method) && path.Trim('/').Split('/') is ["v1", "payment_intents", var confirmed, "confirm"])
        {
            await Confirm(http, confirmed, form);
            return;
        }
        var delay = TimeSpan.FromTicks(Interlocked.Exchange(ref delayNextTicks, 0));
        if (failures.TryDequeue(out var failure))
        {
            await Reply(http, (int)failure, """{"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}""");
            return;
        }
        (int Status, string Body) reply;
        if (key is not null && replies.TryGetValue($"{path}|{key}", out var replayed))
        {
            reply = replayed;
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        else
        {
            reply = Route(http.Request.Method, path, form);
            if (key is not null && reply.Status < 500)
            {
                reply = replies.GetOrAdd($"{path}|{key}", reply);
            }
        }
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }
        await Reply(http, reply.Status, reply.Body);
    }

    private (int Status, string Body) Route(string method, string path, IFormCollection? form)
    {
        var segments = path.Trim('/').Split('/');
        switch (method, segments)
        {
            case ("POST", ["v1", "payment_intents"]):
                var id = $"pi_{Guid.NewGuid():N}"[..27];
                var intent = new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "payment_intent",
                    ["amount"] = long.Parse(form!["amount"]!, CultureInfo.InvariantCulture),
                    ["currency"] = form["currency"].ToString(),
                    ["status"] = "requires_payment_method",
                    ["client_secret"] = $"{id}_secret_{Guid.NewGuid():N}",
                    ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["livemode"] = false,
                    ["metadata"] = new JsonObject(form.Keys.Where(k => k.StartsWith("metadata[", StringComparison.Ordinal))
                        .Select(k => KeyValuePair.Create(k[9..^1], (JsonNode?)form[k].ToString()))),
                };
                intents[id] = intent;
                return (200, intent.ToJsonString());
            case ("GET", ["v1", "payment_intents", var intentId]) when intents.TryGetValue(intentId, out var found):
                return (200, found.ToJsonString());
            case ("POST", ["v1", "payment_intents", var intentId, "cancel"]) when intents.TryGetValue(intentId, out var cancelled):
                cancelled["status"] = "canceled";
                return (200, cancelled.ToJsonString());
            case ("POST", ["v1", "refunds"]) when intents.TryGetValue(form!["payment_intent"].ToString(), out var paid):
                var refund = new JsonObject
                {
                    ["id"] = $"re_{Guid.NewGuid():N}"[..27],
                    ["object"] = "refund",
                    ["amount"] = paid["amount"]!.GetValue<long>(),
                    ["payment_intent"] = paid["id"]!.GetValue<string>(),
                    ["status"] = "pending",
                    ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                };
                refunds[refund["id"]!.GetValue<string>()] = refund;
                return (200, refund.ToJsonString());
            default:
                return (404, """{"error":{"type":"invalid_request_error","message":"No such resource."}}""");
        }
    }

    /// <summary>
    /// What the browser's confirmCardPayment asks of Stripe: pay this intent (proved by its client secret) with this card.
    /// The intent then succeeds (or is declined, for <see cref="DeclinedCard"/>) and Stripe's webhook says so.
    /// </summary>
    private async Task Confirm(HttpContext http, string intentId, IFormCollection? form)
    {
        if (!intents.TryGetValue(intentId, out var intent) || form?["client_secret"].ToString() != intent["client_secret"]!.GetValue<string>())
        {
            await Reply(http, 404, """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent."}}""");
            return;
        }
        if (intent["status"]!.GetValue<string>() is "succeeded" or "canceled")
        {
            await Reply(http, 400, """{"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state","message":"This PaymentIntent cannot be confirmed now."}}""");
            return;
        }
        var declined = form["payment_method_data[card][number]"].ToString().Replace(" ", "", StringComparison.Ordinal) == DeclinedCard;
        var error = new JsonObject
        {
            ["type"] = "card_error",
            ["code"] = "card_declined",
            ["decline_code"] = "generic_decline",
            ["message"] = "Your card was declined.",
        };
        if (declined)
        {
            intent["status"] = "requires_payment_method";
            intent["last_payment_error"] = error.DeepClone();
        }
        else
        {
            intent["status"] = "succeeded";
            intent["amount_received"] = intent["amount"]!.GetValue<long>();
            intent.Remove("last_payment_error");
        }
        if (webhooks is var (server, secret, clock))
        {
            var payload = Event(declined ? "payment_intent.payment_failed" : "payment_intent.succeeded", intent);
            using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            webhook.Headers.TryAddWithoutValidation("Stripe-Signature", Signature(payload, clock(), secret));
            (await server.SendAsync(webhook)).EnsureSuccessStatusCode();
        }
        await Reply(http, declined ? 402 : 200, declined ? new JsonObject { ["error"] = error }.ToJsonString() : intent.ToJsonString());
    }

    /// <summary>
    /// The part of Stripe.js the web client uses: Stripe(key).elements().create('card').mount(element), and
    /// confirmCardPayment(clientSecret, { payment_method: { card } }) resolving to { paymentIntent } or { error }. The card
    /// field is a plain labelled input here (Stripe's is an iframe), so a test can type a card number.
    /// </summary>
    private const string StripeJs = """
        (function () {
          var api = new URL(document.currentScript.src).origin;
          window.Stripe = function (publishableKey) {
            return {
              elements: function () {
                return {
                  create: function (type) {
                    var input = document.createElement('input');
                    input.className = 'fake-stripe-' + type;
                    input.setAttribute('aria-label', 'Card number');
                    input.autocomplete = 'cc-number';
                    input.inputMode = 'numeric';
                    return {
                      mount: function (target) { (typeof target === 'string' ? document.querySelector(target) : target).appendChild(input); },
                      destroy: function () { input.remove(); },
                      on: function () {},
                      number: function () { return input.value; }
                    };
                  }
                };
              },
              confirmCardPayment: function (clientSecret, data) {
                var body = new URLSearchParams();
                body.set('client_secret', clientSecret);
                body.set('payment_method_data[type]', 'card');
                body.set('payment_method_data[card][number]', data.payment_method.card.number());
                return fetch(api + '/v1/payment_intents/' + clientSecret.split('_secret_')[0] + '/confirm', {
                  method: 'POST',
                  headers: { 'Authorization': 'Bearer ' + publishableKey, 'Content-Type': 'application/x-www-form-urlencoded' },
                  body: body
                }).then(function (response) {
                  return response.json().then(function (json) { return response.ok ? { paymentIntent: json } : { error: json.error }; });
                });
              }
            };
          };
        })();
        """;

    private static async Task Reply(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = $"req_{Guid.NewGuid():N}";
        await http.Response.WriteAsync(body);
    }

    /// <summary>A Stripe event around an object, as Stripe would post it.</summary>
    public static string Event(string type, JsonObject data, string? id = null) => new JsonObject
    {
        ["id"] = id ?? $"evt_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["type"] = type,
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["data"] = new JsonObject { ["object"] = data.DeepClone() },
    }.ToJsonString();

    public static JsonObject Charge(JsonObject intent, long amountRefunded) => new()
    {
        ["id"] = $"ch_{Guid.NewGuid():N}"[..27],
        ["object"] = "charge",
        ["amount"] = intent["amount"]!.GetValue<long>(),
        ["amount_refunded"] = amountRefunded,
        ["refunded"] = true,
        ["payment_intent"] = intent["id"]!.GetValue<string>(),
        ["currency"] = "inr",
    };

    /// <summary>The Stripe-Signature header: t=timestamp, then one v1 HMAC-SHA256 per secret (two during a rotation).</summary>
    public static string Signature(string payload, DateTimeOffset at, params string[] secrets)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp}," + string.Join(',', secrets.Select(secret =>
            "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}")))));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
