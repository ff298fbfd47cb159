using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Rewrite;
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

    /// <summary>
    /// The browser client, built by Vite from web-client/ into wwwroot and served by MapStaticAssets: compressed at
    /// build time (brotli and gzip, chosen by Accept-Encoding), each file with its ETag. Pages are revalidated on every
    /// visit (no-cache); Vite puts a content hash in every name under /assets, so those are cached for good.
    /// </summary>
    public static WebApplication UseWebClient(this WebApplication app)
    {
        // The pages at addresses of their own: the sign-in at /, and what QR codes and links in messages open.
        app.UseRewriter(new RewriteOptions()
            .AddRewrite("^$", "index.html", skipRemainingRules: true)
            .AddRewrite("^verify/[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$", "verify.html", skipRemainingRules: true)
            .AddRewrite("^reset-password$", "reset-password.html", skipRemainingRules: true));
        app.MapStaticAssets().AllowAnonymous().Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route } && route.StartsWith("assets/", StringComparison.Ordinal)
                && endpoint.RequestDelegate is { } serve)
            {
                endpoint.RequestDelegate = context =>
                {
                    context.Response.OnStarting(() =>
                    {
                        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                        return Task.CompletedTask;
                    });
                    return serve(context);
                };
            }
        });
        return app;
    }

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous().OnManagementPort(app);
        return app;
    }
}
