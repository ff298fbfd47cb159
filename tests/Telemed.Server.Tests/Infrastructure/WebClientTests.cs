using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
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

    [Fact]
    public async Task The_web_app_manifest_is_served_as_one_and_its_icons_are_there_at_their_sizes()
    {
        var manifest = await Get("/manifest.webmanifest", null);

        await manifest.ShouldHave(HttpStatusCode.OK);
        manifest.Content.Headers.ContentType!.MediaType.ShouldBe("application/manifest+json");
        manifest.Headers.CacheControl!.NoCache.ShouldBeTrue();
        var app = JsonDocument.Parse(await manifest.Content.ReadAsStringAsync()).RootElement;
        app.GetProperty("name").GetString().ShouldBe("Telemed");
        app.GetProperty("start_url").GetString().ShouldBe("/");
        app.GetProperty("display").GetString().ShouldBe("standalone");
        var icons = app.GetProperty("icons").EnumerateArray().ToList();
        icons.Select(icon => icon.GetProperty("purpose").GetString()).ShouldBe(["any", "any", "maskable"], ignoreOrder: true);
        foreach (var icon in icons)
        {
            var image = await Get(icon.GetProperty("src").GetString()!, null);
            await image.ShouldHave(HttpStatusCode.OK);
            image.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
            var png = await image.Content.ReadAsByteArrayAsync();
            png.AsSpan(1, 3).ToArray().ShouldBe("PNG"u8.ToArray());
            // The header chunk (IHDR) starts at byte 16 with the width and height.
            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            $"{width}x{height}".ShouldBe(icon.GetProperty("sizes").GetString());
        }
    }

    [Fact]
    public async Task The_pages_link_the_manifest()
    {
        foreach (var path in new[] { "/", "/verify/3f2504e0-4f89-11d3-9a0c-0305e82c3301" })
        {
            (await Brotli(await Get(path, "br"))).ShouldContain("<link rel=\"manifest\" href=\"/manifest.webmanifest\">");
        }
    }

    [Fact]
    public async Task The_service_worker_is_revalidated_and_names_its_cache_after_the_build()
    {
        var worker = await Get("/sw.js", null);

        await worker.ShouldHave(HttpStatusCode.OK);
        worker.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        worker.Headers.CacheControl!.NoCache.ShouldBeTrue();
        ShellCache().IsMatch(await worker.Content.ReadAsStringAsync()).ShouldBeTrue("the build wrote its version into the cache's name");
    }

    [GeneratedRegex("const shellCache = 'telemed-shell-[0-9a-f]{12}';")]
    private static partial Regex ShellCache();

    [GeneratedRegex("<script type=\"module\" crossorigin src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
