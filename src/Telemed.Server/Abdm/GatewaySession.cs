using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Abdm;

/// <summary>
/// The gateway session token (client credentials), shared by every ABDM call on this node and asked for again a tenth
/// of its lifetime before it expires, so no call leaves with a token about to lapse. One request for a token at a time.
/// </summary>
public sealed class GatewaySession(IServiceProvider services, IOptions<AbdmOptions> options) : IDisposable
{
    public const string Path = "/api/hiecm/gateway/v3/sessions";
    private static readonly TimeSpan MinimumAhead = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Issued? current;

    /// <summary>The gateway's token lifetimes run on its clock: judged by the wall clock, not the application's.</summary>
    private static TimeProvider Clock => TimeProvider.System;

    private sealed record Issued(string Token, DateTimeOffset RefreshAt);

    public async Task<string> Token(CancellationToken cancellationToken)
    {
        if (current is { } cached && Clock.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (current is { } again && Clock.GetUtcNow() < again.RefreshAt)
            {
                return again.Token;
            }
            var settings = options.Value;
            var answer = await services.GetRequiredService<AbdmHttp>().Send(HttpMethod.Post, settings.Gateway(Path), new JsonObject
            {
                ["clientId"] = settings.ClientId,
                ["clientSecret"] = settings.ClientSecret,
                ["grantType"] = "client_credentials",
            }, cancellationToken, request => request.Options.Set(AbdmHttp.Anonymous, true));
            var token = answer["accessToken"]?.GetValue<string>()
                ?? throw new AbdmUnavailableException("the session answer carried no accessToken");
            var lifetime = TimeSpan.FromSeconds(answer["expiresIn"] is JsonValue seconds && seconds.TryGetValue<int>(out var s) ? s : 600);
            var ahead = lifetime / 10 > MinimumAhead ? lifetime / 10 : MinimumAhead;
            current = new Issued(token, Clock.GetUtcNow() + (lifetime > 2 * ahead ? lifetime - ahead : lifetime / 2));
            return token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>ABDM refused this token before we expected: the next call asks for a new one.</summary>
    public void Forget(string token)
    {
        if (current?.Token == token)
        {
            current = null;
        }
    }

    public void Dispose() => gate.Dispose();
}
