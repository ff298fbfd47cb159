using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Telemed.Server.Infrastructure;

public static class Api
{
    public static IHostApplicationBuilder AddTelemedApi(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The browser client (built from web-client/ into wwwroot). Hashed asset names can be cached for good.</summary>
    public static WebApplication UseWebClient(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                if (context.Context.Request.Path.StartsWithSegments("/assets"))
                {
                    context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                }
            },
        });
        return app;
    }

    /// <summary>A page of the web client at a path of its own (what a QR code or a link in a message opens).</summary>
    public static IResult WebPage(IWebHostEnvironment environment, string file) =>
        environment.WebRootFileProvider.GetFileInfo(file) is { Exists: true, PhysicalPath: { } page }
            ? Results.File(page, "text/html; charset=utf-8")
            : Problems.NotFound("The web client is not built (run ./run.sh).");

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous().OnManagementPort(app);
        return app;
    }
}
