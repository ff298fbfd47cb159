using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Server.Tests.Support;

namespace Telemed.Browser.Tests;

/// <summary>
/// The real server process (fresh schema) and Debian's Chromium, headless, with fake camera and microphone.
/// ./test.sh runs this inside a network namespace that has only loopback, so WebRTC can only find 127.0.0.1.
/// </summary>
public partial class BrowserFixture : IAsyncLifetime
{
    private readonly string schema = TestDatabase.NewSchema();
    private readonly string keyPath = Path.Combine(Path.GetTempPath(), $"telemed-browser-{Guid.NewGuid():N}.pem");
    private IDictionary<string, string> settings = new Dictionary<string, string>();
    private IPlaywright? playwright;

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Extra server settings (environment variables) for fixtures that need them.</summary>
    protected virtual Task<IDictionary<string, string>> ServerSettings() => Task.FromResult<IDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>Extra Chromium arguments for the fixture's browser, decided after <see cref="ServerSettings"/>.</summary>
    protected virtual string[] BrowserArguments() => [];

    public async ValueTask InitializeAsync()
    {
        settings = await ServerSettings();
        Server = await ServerProcess.Start(schema, keyPath, settings);
        Http = new HttpClient { BaseAddress = Server.Address };
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchBrowser(BrowserArguments());
    }

    /// <summary>
    /// Debian's Chromium, headless, with fake camera and microphone; extra arguments for a browser of one test's own
    /// (e.g. <c>--use-file-for-fake-video-capture</c>: a camera that films a given picture). The caller closes it.
    /// </summary>
    public Task<IBrowser> LaunchBrowser(params string[] extraArguments) => playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
            .. extraArguments,
        ],
    });

    /// <summary>A second server process on the same database, keys and settings (a second node when the settings name Redis).</summary>
    public async Task<ServerProcess> StartAnotherNode()
    {
        var node = await ServerProcess.Start(schema, keyPath, settings);
        otherNodes.Add(node.Address);
        return node;
    }

    /// <summary>Every node's development sink holds only what that node's dispatcher sent, so codes are looked for on all.</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<Uri> otherNodes = [];

    public async Task<IPage> NewPage(Uri? node = null, IBrowser? browser = null)
    {
        var context = await (browser ?? Browser).NewContextAsync(new BrowserNewContextOptions { BaseURL = (node ?? Server.Address).ToString(), Permissions = ["camera", "microphone"] });
        var page = await context.NewPageAsync();
        page.Request += (_, request) =>
        {
            if (request.Headers.TryGetValue("authorization", out var bearer) && bearer.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                accessTokens[page] = bearer["Bearer ".Length..];
            }
        };
        page.Console += (_, message) => console.Enqueue($"{page.Url}: {message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue($"{page.Url}: page error: {error}");
        return page;
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> console = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPage, string> accessTokens = new();

    /// <summary>
    /// The access token the page last sent (the page keeps it in memory only, where no test can read it): seen on its
    /// requests to the API. Null before it sent one.
    /// </summary>
    public string? AccessToken(IPage page) => accessTokens.GetValueOrDefault(page);

    /// <summary>The account the page last called the API as: the <c>sub</c> of its access token.</summary>
    public string AccountId(IPage page)
    {
        var payload = AccessToken(page)!.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var json = Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='));
        return JsonDocument.Parse(json).RootElement.GetProperty("sub").GetString()!;
    }

    /// <summary>What the pages printed and the state of their calls, for a failure message.</summary>
    public async Task<string> Diagnose(params IPage[] pages)
    {
        var states = new List<string>();
        foreach (var page in pages)
        {
            states.Add(await page.EvaluateAsync<string>("""
                () => JSON.stringify({ status: document.getElementById('call-status').textContent, error: document.getElementById('error').textContent,
                  pc: window.telemed.call?.pc && { connection: window.telemed.call.pc.connectionState, signalling: window.telemed.call.pc.signalingState,
                    ice: window.telemed.call.pc.iceConnectionState, gathering: window.telemed.call.pc.iceGatheringState } })
                """));
        }
        return string.Join("\n", states.Concat(console).Append($"Server log:\n{Server.RecentLog}"));
    }

    /// <summary>An API call to the server process as an app would make it; a failure throws with the problem details.</summary>
    public async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null, string? ifMatch = null, string? signingUnlock = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }
        if (signingUnlock is not null)
        {
            request.Headers.Add("Telemed-Signing-Unlock", signingUnlock);
        }
        var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            var serverLog = (int)response.StatusCode >= 500 ? $"\nServer log:\n{Server.RecentLog}" : "";
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}{serverLog}");
        }
        return response;
    }

    /// <summary>A demo staff member's access token; the admin's second step takes the next code of its authenticator.</summary>
    public async Task<string> SignIn(string email)
    {
        var response = await Http.PostAsJsonAsync("/api/auth/sign-in", new { email, password = "telemed-demo" });
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (answer.TryGetProperty("challenge", out var challenge))
        {
            response = await Http.PostAsJsonAsync("/api/auth/mfa/verify", new { challenge = challenge.GetString(), code = await DemoAdminCodes.Next(Server.Address) });
            response.EnsureSuccessStatusCode();
            answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        return answer.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A demo doctor's signing unlock (their password), which a completion that signs presents.</summary>
    public async Task<string> UnlockSigning(string doctorToken) =>
        (await (await Send(HttpMethod.Post, "/api/doctors/me/signing-unlock", doctorToken, new { password = "telemed-demo" })).Content.ReadFromJsonAsync<JsonElement>())
        .GetProperty("unlockToken").GetString()!;

    /// <summary>A registered patient's access token, through the one-time code as their app gets it.</summary>
    public async Task<string> PatientToken(string mobile)
    {
        var asked = DateTimeOffset.UtcNow;
        await Send(HttpMethod.Post, "/api/auth/otp", null, new { mobile });
        var code = await LatestCode(mobile, asked);
        return (await (await Send(HttpMethod.Post, "/api/auth/otp/verify", null, new { mobile, code })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// The newest one-time code sent to a number, read from the development sink's page as a newcomer would. The SMS is
    /// handed over a moment after the request that caused it, so a code from before <paramref name="asked"/> is waited past.
    /// </summary>
    public async Task<string> LatestCode(string mobile, DateTimeOffset asked)
    {
        for (var attempt = 0; ; attempt++)
        {
            foreach (var node in otherNodes.Prepend(Server.Address))
            {
                var messages = await Http.GetFromJsonAsync<JsonElement>(new Uri(node, $"/api/dev/messages?to={Uri.EscapeDataString(mobile)}"));
                // Registering also sends a welcome: only sign-in codes count.
                if (messages.EnumerateArray().FirstOrDefault(m => m.GetProperty("template").GetString() == "SignInCode") is { ValueKind: JsonValueKind.Object } code
                    && code.GetProperty("at").GetDateTimeOffset() >= asked)
                {
                    return SixDigits().Match(code.GetProperty("text").GetString()!).Value;
                }
            }
            // The outbox hands the SMS over on its own schedule; on a loaded machine that can take several seconds.
            if (attempt > 600)
            {
                throw new TimeoutException($"No code reached the development sink for {mobile} within 30 seconds.");
            }
            await Task.Delay(50);
        }
    }

    public async Task<Guid> OpenSession(string doctorEmail)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new
            {
                facilityId = Guid.Parse("0193a000-0000-7000-8000-000000000001"),
                startsAt = DateTimeOffset.UtcNow.AddMinutes(-1),
                endsAt = DateTimeOffset.UtcNow.AddHours(2),
                capacity = 20,
                specialty = "General Medicine",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await SignIn(doctorEmail));
        var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        playwright?.Dispose();
        Http?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        await TestDatabase.DropSchema(schema);
        File.Delete(keyPath);
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}
