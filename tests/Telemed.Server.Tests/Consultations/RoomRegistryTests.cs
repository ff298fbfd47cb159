using Telemed.Domain.Consultations;
using Telemed.Server.Consultations;

namespace Telemed.Server.Tests.Consultations;

public class RoomRegistryTests
{
    private static readonly Guid RoomA = Guid.NewGuid();
    private static readonly Guid RoomB = Guid.NewGuid();
    private static readonly Guid Patient = Guid.NewGuid();

    [Fact]
    public void A_participants_connections_are_found_by_room_until_they_leave_or_move_to_another_room()
    {
        var registry = new RoomRegistry(TimeProvider.System);

        registry.Enter(new RoomMember(RoomA, Patient, ParticipantRole.Patient, "tab-1"));
        registry.Enter(new RoomMember(RoomA, Patient, ParticipantRole.Patient, "tab-2"));
        registry.Connections(RoomA, Patient).ShouldBe(["tab-1", "tab-2"]);

        registry.Enter(new RoomMember(RoomB, Patient, ParticipantRole.Patient, "tab-2"));
        registry.Connections(RoomA, Patient).ShouldBe(["tab-1"]);
        registry.Connections(RoomB, Patient).ShouldBe(["tab-2"]);
        registry.Member("tab-2", RoomA).ShouldBeNull();

        registry.Exit("tab-1")!.ConsultationId.ShouldBe(RoomA);
        registry.Connections(RoomA, Patient).ShouldBeEmpty();
        registry.StillConnected(RoomA, Patient).ShouldBeFalse();
        registry.StillConnected(RoomB, Patient).ShouldBeTrue();
        registry.Exit("tab-1").ShouldBeNull();
    }
}
