using System.Net.WebSockets;
using System.Text;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>Garbage and floods over the hub: the offender is refused or dropped, everyone else carries on.</summary>
public class HubAbuseTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task Random_bytes_and_a_huge_frame_close_only_the_offenders_connection()
    {
        var room = await Room.Start(server.Host);
        var (doctor, patient) = await room.JoinBoth(server.Host);
        await using var _ = doctor;
        await using var __ = patient;

        foreach (var garbage in new[] { RandomBytes(4096), Encoding.UTF8.GetBytes(new string('x', 300_000) + HubClient.RecordSeparator) })
        {
            using var socket = await HubClient.Raw(server.Host, room.Patient.AccessToken);
            await socket.SendAsync(garbage, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            (await HubClient.ServerClosed(socket)).ShouldBeTrue("the server drops a connection that speaks garbage");
        }

        (await doctor.Invoke("SendChat", room.ConsultationId, Guid.NewGuid(), "still here?")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patient.Next("ChatMessage")).GetProperty("text").GetString().ShouldBe("still here?");
    }

    [Fact]
    public async Task Unknown_methods_are_refused_and_a_flood_is_rate_limited_while_others_are_unaffected()
    {
        var room = await Room.Start(server.Host);
        var (doctor, patient) = await room.JoinBoth(server.Host);
        await using var _ = doctor;
        await using var __ = patient;

        await Should.ThrowAsync<Microsoft.AspNetCore.SignalR.HubException>(() => patient.Invoke("DropAllTables", room.ConsultationId));

        var flood = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ => patient.Invoke("SendTyping", room.ConsultationId)));
        var limited = flood.Count(r => !r.GetProperty("ok").GetBoolean() && r.GetProperty("error").GetProperty("code").GetString() == "RateLimited");
        limited.ShouldBeGreaterThan(1_000, "a budget of 50 at once and 50 per second lets through a small part of a 2,000-message burst");

        (await doctor.Invoke("SendChat", room.ConsultationId, Guid.NewGuid(), "the flood did not reach me")).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
