using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Telemed.Domain.Messages;

namespace Telemed.Server.Messages;

/// <summary>
/// SMS through Fast2SMS's DLT route (POST /dev/bulkV2, route <c>dlt_manual</c>): the registered sender header, the
/// principal entity id and the content template id go with the text, which must be the registered template with its
/// variables filled in. The message's idempotency key goes as <c>X-F2S-Duplicate-Key</c>: a repeat within 48 hours is
/// answered with the first reply and not sent again — unless the first got a server error, which the gateway replays for
/// that key, hence a refused attempt moves to the next key. <c>udf1</c> carries the signed reference receipts come back with.
/// </summary>
public sealed class Fast2SmsGateway(HttpClient http, IOptions<SmsOptions> options, MessageSecrets secrets) : IMessageProvider
{
    public const string DuplicateKeyHeader = "X-F2S-Duplicate-Key";

    public async Task<HandOver> Send(OutgoingMessage message, ComposedMessage composed, CancellationToken cancellationToken)
    {
        var sms = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "dev/bulkV2")
        {
            Content = JsonContent.Create(new SendRequest(
                "dlt_manual", sms.SenderId!, composed.Text, sms.DltTemplateId(message.Template, message.Language)!, sms.EntityId!,
                message.To[^10..], secrets.ReceiptReference(message.Id))),
        };
        request.Headers.TryAddWithoutValidation("authorization", sms.ApiKey);
        request.Headers.TryAddWithoutValidation(DuplicateKeyHeader, message.IdempotencyKey);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new HandOver(AttemptOutcome.Unknown, Error: e.GetType().Name);
        }
        using (response)
        {
            var reply = await ReadReply(response, cancellationToken);
            if (response.IsSuccessStatusCode && reply?.Return == true && !string.IsNullOrEmpty(reply.RequestId))
            {
                return new HandOver(AttemptOutcome.Accepted, reply.RequestId);
            }
            if (response.IsSuccessStatusCode && reply?.Status == "processing")
            {
                // The first request with this key is still being handled: ask again later with the same key.
                return new HandOver(AttemptOutcome.Unknown, Error: "processing");
            }
            var status = reply?.StatusCode ?? (int)response.StatusCode;
            var outcome = status is >= 500 or (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.PaymentRequired
                ? AttemptOutcome.Refused
                : AttemptOutcome.Rejected;
            return new HandOver(outcome, Error: $"HTTP {(int)response.StatusCode}, gateway status {status}");
        }
    }

    private static async Task<SendReply?> ReadReply(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<SendReply>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record SendRequest(
        [property: JsonPropertyName("route")] string Route,
        [property: JsonPropertyName("sender_id")] string SenderId,
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("template_id")] string TemplateId,
        [property: JsonPropertyName("entity_id")] string EntityId,
        [property: JsonPropertyName("numbers")] string Numbers,
        [property: JsonPropertyName("udf1")] string Reference);

    private sealed record SendReply(
        [property: JsonPropertyName("return")] bool? Return,
        [property: JsonPropertyName("request_id")] string? RequestId,
        [property: JsonPropertyName("status_code")] int? StatusCode,
        [property: JsonPropertyName("status")] string? Status);
}
