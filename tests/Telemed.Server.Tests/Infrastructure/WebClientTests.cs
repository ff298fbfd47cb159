using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>
/// The web client as the server process serves it (run.sh's way): compressed ahead of time, the pages revalidated on
/// every visit, Vite's content-hashed assets cached for good.
/// </summary>
public partial class WebClientTests(TelemedServer server) : IClassFixture<TelemedServer>, IAsyncLifetime
{
    private ServerProcess node = null!;
    private HttpClient http = null!;

    public async ValueTask InitializeAsync()
    {
        node = await ServerProcess.Start(server.Schema, server.KeyPath);
        // No automatic decompression: the test reads the encoding the server chose.
        http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = node.Address };
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await node.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task<HttpResponseMessage> Get(string path, string? acceptEncoding, EntityTagHeaderValue? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }
        return http.SendAsync(request);
    }

    private static async Task<string> Brotli(HttpResponseMessage response)
    {
        await using var decoded = new BrotliStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        return await new StreamReader(decoded).ReadToEndAsync();
    }

    [Fact]
    public async Task The_sign_in_page_comes_in_brotli_and_is_revalidated_with_its_etag()
    {
        var page = await Get("/", "br, gzip");

        await page.ShouldHave(HttpStatusCode.OK);
        page.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.Headers.CacheControl!.NoCache.ShouldBeTrue();
        page.Headers.Vary.ShouldContain("Accept-Encoding");
        (await Brotli(page)).ShouldContain("<html");
        var etag = page.Headers.ETag.ShouldNotBeNull();

        var again = await Get("/", "br, gzip", etag);

        again.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Hashed_assets_come_compressed_as_asked_and_are_cached_for_good()
    {
        var script = ScriptSource().Match(await Brotli(await Get("/", "br"))).Groups[1].Value;
        script.ShouldStartWith("/assets/");

        var brotli = await Get(script, "br");
        var gzip = await Get(script, "gzip");
        var plain = await Get(script, null);

        await brotli.ShouldHave(HttpStatusCode.OK);
        brotli.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        gzip.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        plain.Content.Headers.ContentEncoding.ShouldBeEmpty();
        (await Brotli(brotli)).ShouldBe(await plain.Content.ReadAsStringAsync());
        foreach (var response in new[] { brotli, gzip, plain })
        {
            response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365));
            response.Headers.CacheControl.Extensions.ShouldContain(extension => extension.Name == "immutable");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        }
    }

    [Theory]
    [InlineData("/verify/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "verify")]
    [InlineData("/reset-password?token=abc", "reset-password")]
    public async Task The_pages_links_open_are_served_compressed_and_revalidated(string path, string entry)
    {
        var page = await Get(path, "br");

        await page.ShouldHave(HttpStatusCode.OK);
        page.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        page.Headers.CacheControl!.NoCache.ShouldBeTrue();
        ScriptSource().Match(await Brotli(page)).Groups[1].Value.ShouldStartWith($"/assets/{entry}-");
    }

    [Fact]
    public async Task A_link_to_something_that_is_no_prescription_finds_no_page()
    {
        (await Get("/verify/not-an-id", "br")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [GeneratedRegex("<script type=\"module\" crossorigin src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
