using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Telemed.AbdmSimulator;

public enum TransactionKind
{
    LoginByAbhaNumber,
    LoginByAbhaAddress,
    EnrolByAadhaar,
    EnrolMobile,
}

/// <summary>An OTP transaction: what it is for, who the OTP went to, and how many wrong codes it has taken.</summary>
public sealed class OtpTransaction
{
    public required string Id { get; init; }

    public required TransactionKind Kind { get; init; }

    public required string[] Scope { get; init; }

    public required string Otp { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    public AbhaAccount? Account { get; set; }

    public Resident? Resident { get; init; }

    /// <summary>The mobile an enrolment asked to verify.</summary>
    public string? Mobile { get; init; }

    public int WrongAttempts { get; set; }

    public bool Spent { get; set; }
}

/// <summary>An SMS the simulator "sent": ABDM's and UIDAI's OTPs, listed for the demo and read back by tests.</summary>
public sealed record SentMessage(string To, string Text, string Otp, DateTimeOffset At);

/// <summary>A callback the gateway posted: enough to post it again exactly (a replay), and what the bridge answered.</summary>
public sealed record SentCallback(string Path, string RequestId, string Timestamp, string? Authorization, string HipId, string Body, int Status);

/// <summary>A care context ABDM holds as linked to an ABHA: by whom it was linked (the HIP with a link token, or the patient).</summary>
public sealed record LinkedCareContext(string AbhaNumber, string HipId, string PatientReference, string CareContextReference, string HiType, string LinkedVia);

/// <summary>An answer kept for a REQUEST-ID, so a retried request gets it again instead of acting twice.</summary>
public sealed record KeptAnswer(int Status, string ContentType, byte[] Body);

/// <summary>Everything that changes while the simulator runs.</summary>
public sealed class SimulatorState
{
    public SimulatorState(SimulatorOptions options)
    {
        Options = options;
        if (options.SeedDemo)
        {
            People.SeedDemo();
        }
    }

    public SimulatorOptions Options { get; }

    /// <summary>Where the simulator listens (set when it starts).</summary>
    public Uri Address { get; set; } = new("http://127.0.0.1/");

    /// <summary>The gateway's issuer name, as its OpenID configuration publishes it.</summary>
    public string Issuer => new Uri(Address, "/api/hiecm/gateway/v3").ToString();

    private int sessionsIssued;

    /// <summary>Session tokens issued so far (a client that caches its token asks rarely).</summary>
    public int SessionsIssued => sessionsIssued;

    public void NoteSession() => Interlocked.Increment(ref sessionsIssued);

    /// <summary>Callbacks the gateway posted to the bridge, with the bridge's answer, newest last.</summary>
    public ConcurrentQueue<SentCallback> Callbacks { get; } = new();

    public SimulatorKeys Keys { get; } = new();

    public Population People { get; } = new();

    public Faults Faults { get; } = new();

    public ConcurrentDictionary<string, OtpTransaction> Transactions { get; } = new();

    /// <summary>User tokens (X-tokens) handed out, to the account they open.</summary>
    public ConcurrentDictionary<string, AbhaAccount> UserTokens { get; } = new();

    public ConcurrentQueue<SentMessage> Messages { get; } = new();

    /// <summary>Care contexts linked to ABHAs, one entry per ABHA, HIP, care context and health-information type.</summary>
    public ConcurrentDictionary<string, LinkedCareContext> Links { get; } = new();

    /// <summary>Links a care context once: linking it again changes nothing; false when it was linked already.</summary>
    public bool Link(LinkedCareContext link) =>
        Links.TryAdd($"{link.AbhaNumber}|{link.HipId}|{link.PatientReference}|{link.CareContextReference}|{link.HiType}", link);

    /// <summary>The care contexts linked to an ABHA, by their references.</summary>
    public IReadOnlyList<LinkedCareContext> LinksOf(string abhaNumber) => [.. Links.Values.Where(l => l.AbhaNumber == abhaNumber)];

    public ConcurrentDictionary<string, Task<KeptAnswer>> Answers { get; } = new();

    /// <summary>Every request id a gateway or ABHA call arrived with, in order (a retry shows as a repeat).</summary>
    public ConcurrentQueue<(string Path, string RequestId)> Arrivals { get; } = new();

    /// <summary>Calls Telemed made back to the gateway (on-share), by the request id they answer.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<System.Text.Json.Nodes.JsonObject>> Answering { get; } = new();

    public OtpTransaction Begin(TransactionKind kind, string[] scope, string sendTo, string text, AbhaAccount? account = null, Resident? resident = null, string? mobile = null)
    {
        var otp = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var transaction = new OtpTransaction
        {
            Id = Guid.NewGuid().ToString(),
            Kind = kind,
            Scope = scope,
            Otp = otp,
            ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(Options.TransactionSeconds),
            Account = account,
            Resident = resident,
            Mobile = mobile,
        };
        Transactions[transaction.Id] = transaction;
        Messages.Enqueue(new SentMessage(sendTo, text.Replace("{otp}", otp, StringComparison.Ordinal), otp, DateTimeOffset.UtcNow));
        return transaction;
    }

    /// <summary>Ends every open transaction now, as ten minutes passing would.</summary>
    public void ExpireTransactions()
    {
        foreach (var transaction in Transactions.Values)
        {
            transaction.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        }
    }

    public string UserToken(AbhaAccount account, string issuer)
    {
        var token = Keys.Issue(issuer, account.Number, TimeSpan.FromSeconds(Options.UserTokenSeconds),
            new Dictionary<string, object> { ["typ"] = "Access", ["abhaNumber"] = account.Number });
        UserTokens[token] = account;
        return token;
    }

    /// <summary>The newest OTP sent to a mobile (10 digits), waiting for it to be sent.</summary>
    public async Task<string> LatestOtp(string mobile, DateTimeOffset? after = null, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        var digits = mobile.Length > 10 ? mobile[^10..] : mobile;
        while (true)
        {
            var sent = Messages.LastOrDefault(m => m.To == digits && m.At >= (after ?? DateTimeOffset.MinValue));
            if (sent is not null)
            {
                return sent.Otp;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No OTP was sent to a mobile ending {digits[^4..]}.");
            }
            await Task.Delay(20);
        }
    }
}

/// <summary>Faults to put in the way of the next calls: refusals (nothing done) and late answers (done, answered late).</summary>
public sealed class Faults
{
    private readonly ConcurrentQueue<(string Path, int Status)> failures = new();
    private readonly ConcurrentQueue<(string Path, TimeSpan Delay)> delays = new();

    /// <summary>The next <paramref name="count"/> calls whose path starts with <paramref name="path"/> are refused with this status.</summary>
    public void FailNext(int count, int status = 503, string path = "/")
    {
        for (var i = 0; i < count; i++)
        {
            failures.Enqueue((path, status));
        }
    }

    /// <summary>The next <paramref name="count"/> such calls are carried out at once but answered only after the delay.</summary>
    public void DelayNext(int count, TimeSpan delay, string path = "/")
    {
        for (var i = 0; i < count; i++)
        {
            delays.Enqueue((path, delay));
        }
    }

    /// <summary>Forgets every fault not yet met.</summary>
    public void Clear()
    {
        failures.Clear();
        delays.Clear();
    }

    public int? Failure(string path) => Take(failures, path, out var failure) ? failure.Value : null;

    public TimeSpan Delay(string path) => Take(delays, path, out var delay) ? delay.Value : TimeSpan.Zero;

    private static bool Take<T>(ConcurrentQueue<(string Path, T Value)> queue, string path, out (string Path, T Value) taken)
    {
        if (queue.TryPeek(out var next) && path.StartsWith(next.Path, StringComparison.Ordinal) && queue.TryDequeue(out taken))
        {
            return true;
        }
        taken = default;
        return false;
    }
}
