using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Telemed.Domain.Messages;

namespace Telemed.Server.Tests.Support;

/// <summary>An SMS the fake gateway took: one per idempotency key, as Fast2SMS promises.</summary>
public sealed record TakenSms(string Mobile, string Text, string TemplateId, string Key, string RequestId, string Reference);

/// <summary>
/// A local stand-in for Fast2SMS's DLT route (POST /dev/bulkV2) on a loopback port. Like the real gateway it checks the
/// API key, the registered sender header and entity id, that the template id is registered and that the text is that
/// template with its variables filled in (each at most 30 characters); it honours X-F2S-Duplicate-Key (a repeat gets the
/// first reply with duplicate_request, "processing" while the first is still running, and a first server error replayed).
/// It can be told to fail with a status, to stall past the client's time-out (still taking the message) or to be slow,
/// and it posts delivery receipts to the server's webhook.
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    public const string ApiKey = "fake-fast2sms-key";
    public const string SenderId = "TLMEDS";
    public const string EntityId = "1101123456789012345";

    private readonly WebApplication app;
    private readonly Dictionary<string, (MessageTemplate Template, string Language, Regex Text)> templates = [];
    private readonly ConcurrentDictionary<string, Task<(int Status, string Body)>> replies = new();
    private readonly ConcurrentQueue<HttpStatusCode> failures = new();
    private readonly ConcurrentQueue<TimeSpan> delays = new();
    // Faults meant for one number's messages (by its ten digits), so a message of an earlier test still on its way
    // cannot take them.
    private readonly ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode>> failuresTo = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TimeSpan>> delaysTo = new();
    private Func<HttpClient>? receipts;

    private FakeSmsGateway(WebApplication app)
    {
        this.app = app;
        var next = 1107170000000000000L;
        foreach (var template in MessageCatalogue.All.Values.Where(t => t.Channel == MessageChannel.Sms))
        {
            foreach (var language in template.Texts.Keys)
            {
                var pattern = string.Join("(.{1,30})", template.DltText(language).Split(MessageTemplate.DltVariable).Select(Regex.Escape));
                templates[(next++).ToString(System.Globalization.CultureInfo.InvariantCulture)] = (template, language, new Regex($"^{pattern}$", RegexOptions.Singleline));
            }
        }
    }

    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<TakenSms> Taken { get; } = new();

    /// <summary>Raised as each message is taken, before the gateway answers.</summary>
    public event Action<TakenSms>? Took;

    /// <summary>Every request answered, with its idempotency key and the status (0 when the client gave up first).</summary>
    public ConcurrentQueue<(string? Key, int Status)> Requests { get; } = new();

    /// <summary>The idempotency key of every request, as it arrives.</summary>
    public ConcurrentQueue<string?> Arrivals { get; } = new();

    /// <summary>Requests refused for what they carried (wrong sender, template, text …): a correct client never makes one.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Starts on a free loopback port, or on <paramref name="url"/> (the benchmarks give the server a fixed one).</summary>
    public static async Task<FakeSmsGateway> Start(string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var fake = new FakeSmsGateway(builder.Build());
        fake.app.Run(fake.Handle);
        await fake.app.StartAsync();
        fake.Address = new Uri(fake.app.Urls.First());
        return fake;
    }

    /// <summary>The server settings that send SMS here (the DLT ids the fake registered included).</summary>
    public Dictionary<string, string> Settings(string separator = ":")
    {
        var settings = new Dictionary<string, string>
        {
            [$"Sms{separator}Provider"] = "Fast2Sms",
            [$"Sms{separator}BaseUrl"] = Address.ToString(),
            [$"Sms{separator}ApiKey"] = ApiKey,
            [$"Sms{separator}SenderId"] = SenderId,
            [$"Sms{separator}EntityId"] = EntityId,
        };
        foreach (var (id, (template, language, _)) in templates)
        {
            settings[$"Sms{separator}DltTemplateIds{separator}{template.Id}{separator}{language}"] = id;
        }
        return settings;
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (to the number <paramref name="to"/>, E.164, when given) answer with this
    /// status (and nothing is sent).
    /// </summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.InternalServerError, string? to = null)
    {
        var queue = to is null ? failures : failuresTo.GetOrAdd(to[^10..], _ => new());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(status);
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (to the number <paramref name="to"/>, E.164, when given) are carried out
    /// at once but answered only after this long.
    /// </summary>
    public void DelayNext(int count, TimeSpan delay, string? to = null)
    {
        var queue = to is null ? delays : delaysTo.GetOrAdd(to[^10..], _ => new());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(delay);
        }
    }

    /// <summary>Every message taken is reported delivered to this server's receipt webhook, as the gateway's webhook would.</summary>
    public void SendReceiptsTo(Func<HttpClient> server) => receipts = server;

    /// <summary>Messages taken for a number (E.164), oldest first.</summary>
    public IReadOnlyList<TakenSms> To(string mobile) => [.. Taken.Where(sms => sms.Mobile == mobile)];

    /// <summary>Waits for the <paramref name="count"/>-th message to a number and returns it.</summary>
    public async Task<TakenSms> Nth(string mobile, int count, TimeSpan? within = null)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(TakenSms sms)
        {
            if (sms.Mobile == mobile && To(mobile).Count >= count)
            {
                reached.TrySetResult();
            }
        }
        Took += Check;
        try
        {
            if (To(mobile).Count >= count)
            {
                reached.TrySetResult();
            }
            await reached.Task.WaitAsync(within ?? TimeSpan.FromSeconds(10));
            return To(mobile)[count - 1];
        }
        finally
        {
            Took -= Check;
        }
    }

    private async Task Handle(HttpContext http)
    {
        var key = http.Request.Headers["X-F2S-Duplicate-Key"].FirstOrDefault();
        Arrivals.Enqueue(key);
        if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/dev/bulkV2")
        {
            await Reply(http, key, 404, Error(404, "Not found"));
            return;
        }
        if (http.Request.Headers.Authorization.ToString() != ApiKey)
        {
            await Reply(http, key, 401, Error(412, "Invalid Authentication, Check Authorization Key"));
            return;
        }
        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        var number = body?["numbers"]?.GetValue<string>() ?? "";
        if (failuresTo.TryGetValue(number, out var failuresOfNumber) && failuresOfNumber.TryDequeue(out var failure) || failures.TryDequeue(out failure))
        {
            var reply = (Status: (int)failure, Body: Error((int)failure, "Something went wrong."));
            // A server error is kept for the key and replayed, as Fast2SMS documents.
            if (key is not null)
            {
                replies[key] = Task.FromResult(reply);
            }
            await Reply(http, key, reply.Status, reply.Body);
            return;
        }
        if (!(delaysTo.TryGetValue(number, out var delaysOfNumber) && delaysOfNumber.TryDequeue(out var delay)))
        {
            delays.TryDequeue(out delay);
        }
        if (key is null)
        {
            var (status, text) = Take(body, null);
            await Task.Delay(delay);
            await Reply(http, key, status, text);
            return;
        }
        var first = new TaskCompletionSource<(int, string)>();
        var existing = replies.GetOrAdd(key, first.Task);
        if (existing != first.Task)
        {
            if (!existing.IsCompleted)
            {
                await Reply(http, key, 200, """{"return":true,"status":"processing"}""");
                return;
            }
            var (status, text) = await existing;
            await Reply(http, key, status, status == 200 ? text.Replace("{\"return\":true", "{\"return\":true,\"duplicate_request\":true", StringComparison.Ordinal) : text);
            return;
        }
        var taken = Take(body, key);
        if (taken.Status is >= 400 and < 500)
        {
            // A refused request does not use up its key.
            replies.TryRemove(key, out _);
        }
        first.SetResult(taken);
        await Task.Delay(delay);
        await Reply(http, key, taken.Status, taken.Body);
    }

    private (int Status, string Body) Take(JsonObject? body, string? key)
    {
        string? Field(string name) => body?[name]?.GetValue<string>();
        string? refusal = null;
        if (Field("route") != "dlt_manual")
        {
            refusal = "route must be dlt_manual";
        }
        else if (Field("sender_id") != SenderId)
        {
            refusal = $"sender_id {Field("sender_id")} is not a header registered to this account";
        }
        else if (Field("entity_id") != EntityId)
        {
            refusal = $"entity_id {Field("entity_id")} is not this account's principal entity";
        }
        else if (Field("template_id") is not { } templateId || !templates.TryGetValue(templateId, out var registered))
        {
            refusal = $"template_id {Field("template_id")} is not registered";
        }
        else if (Field("message") is not { } text || !registered.Text.IsMatch(text))
        {
            refusal = $"message does not match DLT template {templateId}";
        }
        else if (Field("numbers") is not { Length: 10 } number || !number.All(char.IsAsciiDigit) || number[0] < '6')
        {
            refusal = $"numbers must be one 10-digit Indian mobile number";
        }
        if (refusal is not null)
        {
            Refusals.Enqueue(refusal);
            return (400, Error(400, refusal));
        }
        var requestId = $"f2s{Guid.NewGuid():N}"[..15];
        var sms = new TakenSms("+91" + Field("numbers"), Field("message")!, Field("template_id")!, key ?? "", requestId, Field("udf1") ?? "");
        Taken.Enqueue(sms);
        Took?.Invoke(sms);
        if (receipts is { } server)
        {
            _ = Task.Run(() => Receipt(server(), sms));
        }
        return (200, $$"""{"return":true,"request_id":"{{requestId}}","message":["SMS sent successfully."]}""");
    }

    private static async Task Receipt(HttpClient server, TakenSms sms)
    {
        using (server)
        {
            await server.PostAsJsonAsync("/api/messages/sms/receipts", new Dictionary<string, string>
            {
                ["request_id"] = sms.RequestId,
                ["mobile"] = sms.Mobile[3..],
                ["status"] = "Delivered",
                ["udf1"] = sms.Reference,
            });
        }
    }

    private async Task Reply(HttpContext http, string? key, int status, string body)
    {
        Requests.Enqueue((key, http.RequestAborted.IsCancellationRequested ? 0 : status));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        try
        {
            await http.Response.WriteAsync(body, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up waiting (a time-out test); the message was taken all the same.
        }
    }

    private static string Error(int code, string message) => JsonSerializer.Serialize(new { @return = false, status_code = code, message });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
