using System.Net;
using System.Net.Http.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>Behind nginx or an ingress every request comes from the proxy: whose X-Forwarded-For is believed decides who is limited.</summary>
public class ForwardedHeadersTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_sign_in_limit()
    {
        await using var node = await Node(new() { ["Security__TrustedProxies__0"] = "127.0.0.1/32" });
        using var http = new HttpClient { BaseAddress = node.Address };

        (await WrongPassword(http, "203.0.113.5")).ShouldNotBe(HttpStatusCode.TooManyRequests);
        (await WrongPassword(http, "203.0.113.5")).ShouldNotBe(HttpStatusCode.TooManyRequests);
        (await WrongPassword(http, "203.0.113.5")).ShouldBe(HttpStatusCode.TooManyRequests);
        (await WrongPassword(http, "203.0.113.6")).ShouldNotBe(HttpStatusCode.TooManyRequests, "another client behind the same proxy");
    }

    [Fact]
    public async Task Without_trusted_proxies_a_client_cannot_escape_the_limit_by_writing_the_header()
    {
        await using var node = await Node([]);
        using var http = new HttpClient { BaseAddress = node.Address };

        await WrongPassword(http, "203.0.113.5");
        await WrongPassword(http, "203.0.113.6");
        (await WrongPassword(http, "203.0.113.7")).ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private Task<ServerProcess> Node(Dictionary<string, string> settings)
    {
        settings["Security__SignInPerMinute"] = "2";
        return ServerProcess.Start(server.Schema, server.KeyPath, settings);
    }

    private static async Task<HttpStatusCode> WrongPassword(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new { email = $"nobody-{Guid.NewGuid():N}@telemed.local", password = "not-the-password" }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
