using System.Net;
using System.Net.Http.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

public class SecurityTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task Every_answer_carries_the_security_headers()
    {
        var response = await server.Host.CreateClient().GetAsync("/health/live");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldContain("script-src 'self';", customMessage: "without payments configured no third-party script is admitted");
        policy.ShouldContain("connect-src 'self';");
        policy.ShouldNotContain("frame-src");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.GetValues("Permissions-Policy").Single().ShouldContain("camera=(self)");
    }

    [Fact]
    public async Task Api_answers_and_prescription_pdfs_are_kept_by_no_cache()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(server.Host);
        var patient = server.Host.As(room.Patient.AccessToken);

        var me = await patient.GetAsync("/api/me");
        var pdf = await patient.GetAsync($"/api/prescriptions/{prescriptionId}/pdf");

        await pdf.ShouldHave(HttpStatusCode.OK);
        me.Headers.CacheControl!.NoStore.ShouldBeTrue();
        pdf.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Outside_development_hsts_asks_for_a_year_including_subdomains()
    {
        // Outside Testing, staff passwords are hashed at full strength (the test hosts' lighter setting is refused).
        using var production = server.Start(new Dictionary<string, string?> { ["environment"] = "Staging", ["Auth:PasswordHashIterations"] = "600000" });
        var client = production.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://telemed.example.in") });

        var response = await client.GetAsync("/health/live");

        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000; includeSubDomains");
    }

    [Fact]
    public async Task A_page_from_another_origin_cannot_open_the_hub()
    {
        var client = server.Host.CreateClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/hubs/queue/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "https://evil.example");
        var refused = await client.SendAsync(foreign);
        await refused.ShouldHave(HttpStatusCode.Forbidden);
        (await refused.Problem()).GetProperty("detail").GetString()!.ShouldContain("origin");

        using var own = new HttpRequestMessage(HttpMethod.Post, "/hubs/queue/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", $"http://{client.BaseAddress!.Authority}");
        (await client.SendAsync(own)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "past the origin check, the hub wants a token");
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_address()
    {
        using var strict = server.Start(new Dictionary<string, string?> { ["Security:SignInPerMinute"] = "3" });
        var client = strict.CreateClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            (await client.PostAsJsonAsync("/api/auth/sign-in", new { email = Api.AdminEmail, password = "wrong-password-here" })).StatusCode
                .ShouldNotBe(HttpStatusCode.TooManyRequests);
        }

        var limited = await client.PostAsJsonAsync("/api/auth/sign-in", new { email = Api.AdminEmail, password = Api.DemoPassword });

        await limited.ShouldHave(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await limited.Problem()).GetProperty("detail").GetString()!.ShouldContain("wait a minute");
    }

    /// <summary>
    /// Endpoints anyone may call without signing in — token refresh and sign-out, the public keys, the payment webhook —
    /// each have a per-address limit of their own.
    /// </summary>
    [Theory]
    [InlineData("Security:SessionPerMinute", "POST", "/api/auth/refresh")]
    [InlineData("Security:SessionPerMinute", "POST", "/api/auth/sign-out")]
    [InlineData("Security:PublicKeysPerMinute", "GET", "/.well-known/jwks.json")]
    [InlineData("Security:PublicKeysPerMinute", "GET", "/api/prescriptions/revocations")]
    [InlineData("Security:WebhookPerMinute", "POST", "/api/payments/stripe/webhook")]
    public async Task Anonymous_endpoints_are_limited_per_address(string setting, string method, string path)
    {
        using var strict = server.Start(new Dictionary<string, string?> { [setting] = "2" });
        var client = strict.CreateClient();
        HttpRequestMessage Request() => new(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { refreshToken = "not-a-refresh-token" }) : null,
        };
        for (var attempt = 0; attempt < 2; attempt++)
        {
            (await client.SendAsync(Request())).StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
        }

        var limited = await client.SendAsync(Request());

        await limited.ShouldHave(HttpStatusCode.TooManyRequests);
        (await limited.Problem()).GetProperty("detail").GetString()!.ShouldContain("wait a minute");
    }

    /// <summary>
    /// No endpoint reads a body larger than it needs: the webhook (anonymous) is refused a 2 MB chunked body as it
    /// arrives, on the real server (Kestrel enforces the limit), while a small one reaches the signature check.
    /// </summary>
    [Fact]
    public async Task A_request_body_over_the_limit_is_refused_even_when_chunked()
    {
        var port = ServerProcess.FreePort();
        _ = server.StartOnLoopback(port, new Dictionary<string, string?>());
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        async Task<HttpResponseMessage> Post(int bytes)
        {
            var content = new StreamContent(new MemoryStream(new byte[bytes]));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = content };
            request.Headers.TransferEncodingChunked = true;
            return await client.SendAsync(request);
        }

        (await Post(100 * 1024)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a small body reaches the signature check");
        (await Post(2 * 1024 * 1024)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>
    /// Registration shares the sign-in limit of the client's address, so codes cannot be tried against it without bound;
    /// an IPv6 client is its /64 (a subscriber's line gets a whole one), an IPv4 client its address.
    /// </summary>
    [Fact]
    public async Task Registrations_are_limited_per_address_and_an_ipv6_client_per_64()
    {
        using var strict = server.Start(new Dictionary<string, string?> { ["Security:SignInPerMinute"] = "3" });
        strict.CreateClient().Dispose();
        async Task<int> Register(string from)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { name = "Anil Joshi", yearOfBirth = 1970, sex = "m", mobile = Api.NewMobile(), code = "123456" });
            var context = await strict.Server.SendAsync(http =>
            {
                http.Request.Method = "POST";
                http.Request.Path = "/api/patients";
                http.Request.ContentType = "application/json";
                http.Request.Body = new MemoryStream(body);
                http.Connection.RemoteIpAddress = IPAddress.Parse(from);
            });
            return context.Response.StatusCode;
        }

        foreach (var from in new[] { "2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff::3" })
        {
            (await Register(from)).ShouldBe((int)HttpStatusCode.BadRequest, from);
        }
        (await Register("2001:db8:7:1:abcd::9")).ShouldBe((int)HttpStatusCode.TooManyRequests, "another address of the same /64");
        (await Register("2001:db8:7:2::1")).ShouldBe((int)HttpStatusCode.BadRequest, "the next /64 is another client");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            (await Register("198.51.100.7")).ShouldBe((int)HttpStatusCode.BadRequest);
        }
        (await Register("198.51.100.7")).ShouldBe((int)HttpStatusCode.TooManyRequests);
        (await Register("198.51.100.8")).ShouldBe((int)HttpStatusCode.BadRequest, "each IPv4 address is a client of its own");
    }

    [Fact]
    public async Task Check_ins_are_limited_per_patient_not_per_address()
    {
        using var strict = server.Start(new Dictionary<string, string?> { ["Security:CheckInPerMinute"] = "2" });
        var patients = await strict.CreatePatients(2);
        var first = strict.As(patients[0].AccessToken);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            (await first.PostAsJsonAsync($"/api/sessions/{Guid.NewGuid()}/check-in", new { complaint = "limit" })).StatusCode
                .ShouldNotBe(HttpStatusCode.TooManyRequests);
        }

        var limited = await first.PostAsJsonAsync($"/api/sessions/{Guid.NewGuid()}/check-in", new { complaint = "limit" });
        var other = await strict.As(patients[1].AccessToken).PostAsJsonAsync($"/api/sessions/{Guid.NewGuid()}/check-in", new { complaint = "limit" });

        await limited.ShouldHave(HttpStatusCode.TooManyRequests);
        (await limited.Problem()).GetProperty("detail").GetString()!.ShouldContain("wait a minute");
        other.StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests, "another patient from the same address has a limit of their own");
    }

    [Fact]
    public async Task A_whole_consultation_leaves_no_personal_or_health_data_in_the_logs()
    {
        var abha = "91-7777-8888-9999";
        var patient = (await server.Host.CreatePatients(1, abha))[0];
        var (room, prescriptionId) = await Clinical.Prescribed(server.Host, patient);
        var pharmacist = server.Host.As((await server.Host.SignInStaff("meena.iyer@telemed.local")).AccessToken);
        await (await pharmacist.PostAsJsonAsync($"/api/pharmacy/prescriptions/{prescriptionId}/dispensations",
            new { requestId = Guid.NewGuid(), lines = new[] { new { line = 0, quantity = 6 } } })).ShouldHave(HttpStatusCode.OK);
        await server.Host.As(patient.AccessToken).GetByteArrayAsync($"/api/prescriptions/{prescriptionId}/pdf");

        var logs = string.Join('\n', server.Logs.Lines);

        logs.ShouldContain("/api/pharmacy/prescriptions"); // requests are logged…
        foreach (var secret in new[] { "Test Patient", abha, "Fever and sore throat", "Acute pharyngitis", "paracetamol", "amoxicillin", "दिन में", "J02.9" })
        {
            logs.ShouldNotContain(secret, Case.Insensitive, $"'{secret}' reached the logs"); // …but never who or what
        }
        room.ShouldNotBeNull();
    }
}
