using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Messages;

public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>The VAPID public key (65-byte P-256 point, base64url). With <see cref="PrivateKey"/>, or neither.</summary>
    public string? PublicKey { get; set; }

    public string? PrivateKey { get; set; }

    /// <summary>Outside Production, where a key pair is made on first start when none is configured.</summary>
    public string KeyPath { get; set; } = ".data/keys/vapid.json";

    /// <summary>Who push services may contact about Telemed's pushes (a mailto: or https: address).</summary>
    public string Subject { get; set; } = "mailto:no-reply@telemed.local";

    [System.ComponentModel.DataAnnotations.Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary>One browser's push subscription, on one device of one patient. The id is derived from the endpoint, so subscribing again replaces it.</summary>
public sealed record DeviceSubscription(Guid Id, Guid PatientId, string Endpoint, string P256dh, string Auth, DateTimeOffset CreatedAt);

public sealed record PushKeys(string? P256dh, string? Auth);

public sealed record PushSubscriptionRequest(string? Endpoint, PushKeys? Keys);

public sealed record PushSubscriptionView(Guid Id);

public sealed record VapidKeyView(string PublicKey);

/// <summary>
/// The VAPID key pair push services know Telemed by: from configuration, or outside Production from a file made on first
/// start. In Production without configured keys there is no web push (and no key to subscribe with).
/// </summary>
public sealed class VapidKeys
{
    public VapidKeys(IOptions<PushOptions> options, IHostEnvironment environment)
    {
        var settings = options.Value;
        if (!string.IsNullOrEmpty(settings.PublicKey) && !string.IsNullOrEmpty(settings.PrivateKey))
        {
            (PublicKey, PrivateKey) = (settings.PublicKey, settings.PrivateKey);
        }
        else if (!environment.IsProduction())
        {
            (PublicKey, PrivateKey) = FromFile(Path.GetFullPath(settings.KeyPath));
        }
    }

    public string? PublicKey { get; }

    public string? PrivateKey { get; }

    public bool Enabled => PublicKey is not null;

    private sealed record Pair(string PublicKey, string PrivateKey);

    private static (string, string) FromFile(string path)
    {
        if (!File.Exists(path))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            var made = new Pair(Base64Url([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64Url(parameters.D!));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(made));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node made it first; use theirs.
                File.Delete(temporary);
            }
        }
        var pair = JsonSerializer.Deserialize<Pair>(File.ReadAllText(path))!;
        return (pair.PublicKey, pair.PrivateKey);
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? FromBase64Url(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// Hands a message to a browser's push service (RFC 8030) with VAPID (RFC 8292), encrypted for the device (RFC 8291).
/// A push service that no longer knows the subscription (404, 410) ends it here: the device is forgotten.
/// </summary>
public sealed class WebPushSender(HttpClient http, VapidKeys keys, IOptions<PushOptions> options, IDocumentStore store) : IMessageProvider
{
    public async Task<HandOver> Send(OutgoingMessage message, ComposedMessage composed, CancellationToken cancellationToken)
    {
        if (!keys.Enabled)
        {
            return new HandOver(AttemptOutcome.Rejected, Error: "web push is not configured");
        }
        await using var session = store.LightweightSession();
        if (!Guid.TryParseExact(message.To, "N", out var subscriptionId) || await session.LoadAsync<DeviceSubscription>(subscriptionId, cancellationToken) is not { } device)
        {
            return new HandOver(AttemptOutcome.Rejected, Error: "the device unsubscribed");
        }
        var client = new PushServiceClient(http)
        {
            DefaultAuthentication = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = options.Value.Subject },
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            AutoRetryAfter = false,
        };
        var subscription = new PushSubscription { Endpoint = device.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, device.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, device.Auth);
        var payload = JsonSerializer.Serialize(new { title = composed.Subject ?? "Telemed", body = composed.Text, tag = message.Template });
        try
        {
            await client.RequestPushMessageDeliveryAsync(
                subscription, new PushMessage(payload) { TimeToLive = 3600, Urgency = PushMessageUrgency.High, Topic = message.Template }, cancellationToken);
            return new HandOver(AttemptOutcome.Accepted, $"push-{message.Id:N}");
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            session.Delete(device);
            await session.SaveChangesAsync(cancellationToken);
            return new HandOver(AttemptOutcome.Rejected, Error: $"push service {(int)e.StatusCode}: subscription ended");
        }
        catch (PushServiceClientException e) when ((int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return new HandOver(AttemptOutcome.Refused, Error: $"push service {(int)e.StatusCode}");
        }
        catch (PushServiceClientException e)
        {
            return new HandOver(AttemptOutcome.Rejected, Error: $"push service {(int)e.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new HandOver(AttemptOutcome.Unknown, Error: e.GetType().Name);
        }
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/push/key", (VapidKeys keys) => keys.Enabled
                ? Results.Ok(new VapidKeyView(keys.PublicKey!))
                : Problems.NotFound("Web push is not configured on this server."))
            .RequireAuthorization(Roles.Patient).WithTags("Messages")
            .WithSummary("Patient: the VAPID public key to subscribe a device to web push with.");
        var devices = app.MapGroup("/api/me/push-subscriptions").WithTags("Messages").RequireAuthorization(Roles.Patient);
        devices.MapPost("/", Subscribe).WithSummary("Patient: hear queue messages on this device by web push (the browser's PushSubscription JSON).");
        devices.MapDelete("/{subscriptionId:guid}", Unsubscribe).WithSummary("Patient: stop pushes to one of my devices.");
    }

    private static async Task<Results<Created<PushSubscriptionView>, ProblemHttpResult>> Subscribe(
        PushSubscriptionRequest request, ClaimsPrincipal user, IDocumentSession session, VapidKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!keys.Enabled)
        {
            return Problems.NotFound("Web push is not configured on this server.");
        }
        var errors = new FieldErrors();
        if (!Uri.TryCreate(request.Endpoint, UriKind.Absolute, out var endpoint) || request.Endpoint!.Length > 2000
            || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
        {
            errors.Add("endpoint", "The endpoint is the push service's HTTPS address from the browser's subscription.");
        }
        if (VapidKeys.FromBase64Url(request.Keys?.P256dh) is not { Length: 65 })
        {
            errors.Add("keys.p256dh", "keys.p256dh is the browser's P-256 public key (65 bytes, base64url).");
        }
        if (VapidKeys.FromBase64Url(request.Keys?.Auth) is not { Length: 16 })
        {
            errors.Add("keys.auth", "keys.auth is the browser's 16-byte authentication secret (base64url).");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var id = Ids.NameBased(Namespace, request.Endpoint!);
        if (await session.LoadAsync<DeviceSubscription>(id, cancellationToken) is { } existing && existing.PatientId != user.AccountId())
        {
            // The same browser, now signed in as someone else: it hears only them from now on.
            session.Delete(existing);
        }
        session.Store(new DeviceSubscription(id, user.AccountId(), request.Endpoint!, request.Keys!.P256dh!, request.Keys.Auth!, time.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/me/push-subscriptions/{id}", new PushSubscriptionView(id));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Unsubscribe(
        Guid subscriptionId, ClaimsPrincipal user, IDocumentSession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<DeviceSubscription>(subscriptionId, cancellationToken) is not { } device || device.PatientId != user.AccountId())
        {
            return Problems.NotFound("You have no such device subscription.");
        }
        session.Delete(device);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static readonly Guid Namespace = Guid.Parse("6f1d3c1e-2b7a-4d4e-9a55-0d7f1f1c9b21");
}
