using Telemed.Domain.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Messages;

/// <summary>A Telemed host whose SMS go to the fake gateway, with short retries; receipts come back to it.</summary>
public sealed class SmsFixture : IAsyncLifetime
{
    public TelemedServer Server { get; } = new();

    public FakeSmsGateway Sms { get; private set; } = null!;

    public TelemedFactory Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sms = await FakeSmsGateway.Start();
        await Server.InitializeAsync();
        MakeDaytime(Server.Time);
        Host = Start();
    }

    /// <summary>Daytime in India now and for at least an hour, so messages that wait out quiet hours go at once whenever the tests run.</summary>
    public static void MakeDaytime(Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
    {
        var now = time.GetUtcNow();
        var start = Delivery.OutsideQuietHours(now);
        start = Delivery.OutsideQuietHours(start.AddHours(1)) == start.AddHours(1) ? start : Delivery.OutsideQuietHours(start.AddHours(1));
        if (start != now)
        {
            time.SetUtcNow(start);
        }
    }

    /// <summary>A host on the fake gateway; a restart disposes the old one first.</summary>
    public TelemedFactory Start()
    {
        var settings = Sms.Settings().ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        settings["Messages:PollMilliseconds"] = "100";
        settings["Messages:FirstRetrySeconds"] = "10";
        settings["Messages:MaxAttempts"] = "4";
        settings["Sms:TimeoutSeconds"] = "1";
        settings["Otp:ResendCooldownSeconds"] = "0";
        var host = Server.Start(settings);
        Sms.SendReceiptsTo(() => host.CreateClient());
        return host;
    }

    public async Task<TelemedFactory> Restart()
    {
        await Host.DisposeAsync();
        Host = Start();
        return Host;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Sms.DisposeAsync();
    }
}
