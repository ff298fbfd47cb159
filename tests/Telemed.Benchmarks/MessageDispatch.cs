using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Marten;
using Telemed.Domain.Messages;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Benchmarks;

/// <summary>
/// Dispatcher throughput on one node (run-message-dispatch.sh starts it, configured to send SMS to the fake gateway
/// here): N essential SMS are queued through the server's own <see cref="Messenger"/> in one transaction, then timed
/// from that commit until the gateway has accepted every one and the outbox records every one sent; each must reach the
/// gateway exactly once.
/// </summary>
public sealed class MessageDispatch(string database, string secretPath, int messages, string gatewayUrl)
{
    private static readonly MessageTemplate[] Templates = [MessageCatalogue.SignInCode, MessageCatalogue.YouAreNext, MessageCatalogue.DoctorCalling];

    public async Task<string> Run()
    {
        await using var gateway = await FakeSmsGateway.Start(gatewayUrl);
        var takenAt = new ConcurrentDictionary<string, long>();
        gateway.Took += sms => takenAt.TryAdd(sms.Key, Stopwatch.GetTimestamp());
        using var outbox = new Outbox(database, secretPath);

        Console.WriteLine($"Queueing {messages} SMS in one transaction…");
        var ids = new List<Guid>(messages);
        await using (var session = outbox.Store.LightweightSession())
        {
            for (var i = 0; i < messages; i++)
            {
                var template = Templates[i % Templates.Length];
                var language = i % 2 == 0 ? "en" : "hi";
                var mobile = string.Create(CultureInfo.InvariantCulture, $"+9180{i:D8}");
                var queued = template == MessageCatalogue.SignInCode
                    ? outbox.Messenger.Queue(session, template, mobile, language, new Dictionary<string, string> { ["minutes"] = "10" },
                        new SecretVariable("code", SecretKind.SignInCode, Guid.CreateVersion7()))
                    : outbox.Messenger.Queue(session, template, mobile, language,
                        new Dictionary<string, string> { ["token"] = (i % 1000 + 1).ToString(CultureInfo.InvariantCulture), ["site"] = "https://telemed.example.in" });
                ids.Add(queued.IsSuccess ? queued.Value : throw new InvalidOperationException(queued.Error.Message));
            }
            await session.SaveChangesAsync();
        }
        var committed = Stopwatch.GetTimestamp();

        Console.WriteLine("Waiting for the dispatcher…");
        var deadline = TimeSpan.FromSeconds(Math.Max(60, messages / 50));
        while (takenAt.Count < messages && Stopwatch.GetElapsedTime(committed) < deadline && gateway.Refusals.IsEmpty)
        {
            await Task.Delay(10);
        }
        var accepted = Stopwatch.GetTimestamp();
        int sent;
        await using (var query = outbox.Store.QuerySession())
        {
            while ((sent = await query.Query<OutgoingMessage>().CountAsync(m => m.State == DeliveryState.Sent)) < messages
                && Stopwatch.GetElapsedTime(committed) < deadline)
            {
                await Task.Delay(10);
            }
        }
        var recorded = Stopwatch.GetTimestamp();

        var keys = ids.Select(id => id.ToString("N")).ToHashSet();
        var requests = gateway.Requests.ToList();
        var takenTwice = gateway.Taken.GroupBy(sms => sms.Key).Count(group => group.Count() > 1);
        var notTaken = keys.Count(key => !takenAt.ContainsKey(key));
        var stray = gateway.Taken.Count(sms => !keys.Contains(sms.Key));
        var exactlyOnce = takenTwice == 0 && notTaken == 0 && stray == 0 && sent == messages && gateway.Refusals.IsEmpty;
        if (!exactlyOnce)
        {
            throw new InvalidOperationException(
                $"Not every message reached the gateway exactly once: {notTaken} not taken, {takenTwice} taken twice, {stray} unknown, "
                + $"{sent} of {messages} recorded sent, refusals: {string.Join("; ", gateway.Refusals.Take(3))}.");
        }

        var first = takenAt.Values.Min();
        var last = takenAt.Values.Max();
        var options = new MessageOptions();
        string Rate(long from, long to) => string.Create(CultureInfo.InvariantCulture,
            $"{Stopwatch.GetElapsedTime(from, to).TotalSeconds:0.00} s | {messages / Stopwatch.GetElapsedTime(from, to).TotalSeconds:0} messages/s");
        return string.Join('\n',
            $"{messages:N0} essential SMS (sign-in codes with their code derived at hand-over, \"you are next\", the doctor's call; English and Hindi in turn),",
            "queued through the server's `Messenger` in one transaction while the node ran, then handed by its dispatcher to the fake",
            "Fast2SMS gateway of the server tests (`FakeSmsGateway`: DLT sender, entity, template and text checked, one message per",
            $"idempotency key) on loopback. Dispatcher settings as shipped: batch {options.BatchSize}, {options.Concurrency} hand-overs at once, poll every {options.PollMilliseconds} ms",
            "(a message queued on another process is found by the poll, so the first interval includes up to one poll).",
            "",
            "| span | time | throughput |",
            "|---|---|---|",
            $"| commit → gateway accepted every message | {Rate(committed, accepted)} |",
            $"| first → last message accepted by the gateway | {Rate(first, last)} |",
            $"| commit → every message recorded sent in the outbox | {Rate(committed, recorded)} |",
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"Exactly once: {keys.Count:N0} idempotency keys, {gateway.Taken.Count:N0} messages taken, {requests.Count:N0} requests ({requests.Count - messages:N0} repeated under an idempotency key, none refused), ")
            + $"{sent:N0} recorded sent. Target: ≥ 1,000 messages a second per node.");
    }
}
