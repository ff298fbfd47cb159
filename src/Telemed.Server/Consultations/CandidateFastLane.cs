using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Telemed.Server.Realtime;

namespace Telemed.Server.Consultations;

/// <summary>
/// ICE candidates sent to the clinic hub without asking for a reply (as browsers send them, web-client/src/call.ts),
/// relayed by the direct transport without SignalR's invocation dispatch, which was most of the hub's relay time
/// (docs/benchmarks.md). The checks are <see cref="ClinicHub.SendIceCandidate"/>'s: the sender is in the room, the
/// addressee is someone else, the candidate is valid and allowed, the connection is within its message budget; the
/// delivery is the same. A candidate that fails any of them goes to the hub, which refuses it, audits or drops it as always.
/// </summary>
public sealed class CandidateFastLane(RoomRegistry registry, ConsultationRooms rooms, HubRateLimit rateLimit) : IHubFastLane
{
    public async ValueTask<bool> TryHandle(ConnectionContext connection, ReadOnlyMemory<byte> message)
    {
        if (!TryRead(message.Span, out var consultationId, out var to, out var candidate, out var sdpMid, out var sdpMLineIndex))
        {
            return false;
        }
        // The member is who joined the room on this connection: the caller, without reading their claims again.
        if (registry.Member(connection.ConnectionId, consultationId) is not { AccountId: var caller } || to == caller
            || rooms.Screen(candidate, sdpMid, sdpMLineIndex) is not { IsSuccess: true, Value: true }
            || !rateLimit.TryTake(connection.Items))
        {
            return false;
        }
        await rooms.Relay(new CandidateMessage(consultationId, caller, to, candidate, sdpMid, sdpMLineIndex), "fast");
        return true;
    }

    /// <summary>
    /// {"type":1,"target":"SendIceCandidate","arguments":[consultationId, to, candidate, sdpMid, sdpMLineIndex]}, in any
    /// property order, and nothing else: an invocation id (a reply is expected), headers or streams are the hub's to handle.
    /// </summary>
    private static bool TryRead(ReadOnlySpan<byte> message, out Guid consultationId, out Guid to, out string candidate, out string? sdpMid, out int? sdpMLineIndex)
    {
        (consultationId, to, candidate, sdpMid, sdpMLineIndex) = (default, default, "", null, null);
        bool invocation = false, target = false, arguments = false;
        try
        {
            var reader = new Utf8JsonReader(message);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool read;
                if (reader.ValueTextEquals("type"u8) && !invocation)
                {
                    read = invocation = reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var type) && type == 1;
                }
                else if (reader.ValueTextEquals("target"u8) && !target)
                {
                    read = target = reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("SendIceCandidate"u8);
                }
                else if (reader.ValueTextEquals("arguments"u8) && !arguments)
                {
                    read = arguments = ReadArguments(ref reader, out consultationId, out to, out candidate, out sdpMid, out sdpMLineIndex);
                }
                else
                {
                    read = false; // another property, or one of these twice
                }
                if (!read)
                {
                    return false;
                }
            }
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && invocation && target && arguments;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Not JSON, or not UTF-8: the hub's protocol refuses it.
            return false;
        }
    }

    private static bool ReadArguments(ref Utf8JsonReader reader, out Guid consultationId, out Guid to, out string candidate, out string? sdpMid, out int? sdpMLineIndex)
    {
        (consultationId, to, candidate, sdpMid, sdpMLineIndex) = (default, default, "", null, null);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
            || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out consultationId)
            || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out to)
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        candidate = reader.GetString()!;
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
        {
            return false;
        }
        sdpMid = reader.GetString();
        if (!reader.Read())
        {
            return false;
        }
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt32(out var index))
            {
                return false;
            }
            sdpMLineIndex = index;
        }
        else if (reader.TokenType != JsonTokenType.Null)
        {
            return false;
        }
        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }
}
