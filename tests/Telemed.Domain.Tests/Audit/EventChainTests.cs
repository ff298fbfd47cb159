using System.Security.Cryptography;
using System.Text;
using Telemed.Domain.Audit;

namespace Telemed.Domain.Tests.Audit;

public class EventChainTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 6, 30, 0, TimeSpan.Zero);

    private static StoredEvent Event(long sequence, string data = """{"at": "x"}""") =>
        new(sequence, new Guid($"00000000-0000-7000-8000-{sequence:D12}"), "0193a000-0000-7000-8000-000000000001", sequence, "signed_in", Noon.AddSeconds(sequence), data);

    /// <summary>Events 1–3 sealed, 5–6 sealed (4 was a rolled-back number: the store has gaps), 7 not yet sealed.</summary>
    private static (List<StoredEvent> Events, List<EventSeal> Seals) Sealed()
    {
        var events = new List<StoredEvent> { Event(1), Event(2), Event(3), Event(5), Event(6), Event(7) };
        var first = EventChain.Seal(Guid.NewGuid(), null, events[..3], Noon);
        var second = EventChain.Seal(Guid.NewGuid(), first, events[3..5], Noon);
        return (events, [first, second]);
    }

    [Fact]
    public void Each_hash_is_sha256_over_the_previous_hash_and_the_events_columns_one_per_line()
    {
        var stored = Event(1);
        var line = $"{EventChain.Genesis}\n1\n{stored.Id}\n{stored.StreamId}\n1\nsigned_in\n2026-12-07T06:30:01.000000Z\n{stored.Data}";

        EventChain.Next(EventChain.Genesis, stored).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line))));
    }

    [Fact]
    public void A_seal_chains_onto_the_one_before_and_names_its_range()
    {
        var (events, seals) = Sealed();

        seals[0].ShouldBe(seals[0] with { FromSequence = 1, ToSequence = 3, Events = 3 });
        seals[1].ShouldBe(seals[1] with { FromSequence = 4, ToSequence = 6, Events = 2 });
        seals[1].Hash.ShouldBe(EventChain.Next(EventChain.Next(seals[0].Hash, events[3]), events[4]));
    }

    [Fact]
    public void An_untouched_store_verifies_and_events_after_the_last_seal_are_counted()
    {
        var (events, seals) = Sealed();

        EventChain.Verify(events, seals).ShouldBe(new ChainReport(2, 6, 1, null));
        EventChain.Verify([], []).ShouldBe(new ChainReport(0, 0, 0, null));
    }

    [Fact]
    public void An_altered_event_breaks_its_seal()
    {
        var (events, seals) = Sealed();
        events[3] = events[3] with { Data = """{"at": "y"}""" };

        var report = EventChain.Verify(events, seals);

        report.Intact.ShouldBeFalse();
        report.SealsChecked.ShouldBe(1, "the first seal held");
        report.SealedUpTo.ShouldBe(3);
        report.Problem.ShouldBe("Events 4–6: the hash does not match the seal (an event was altered, or the seals were).");
    }

    [Theory]
    [InlineData("type")]
    [InlineData("stream")]
    [InlineData("time")]
    [InlineData("version")]
    public void Every_column_is_covered(string column)
    {
        var (events, seals) = Sealed();
        events[0] = column switch
        {
            "type" => events[0] with { Type = "signed_out" },
            "stream" => events[0] with { StreamId = "0193a000-0000-7000-8000-000000000002" },
            "time" => events[0] with { Timestamp = events[0].Timestamp.AddTicks(10) },
            _ => events[0] with { Version = 9 },
        };

        EventChain.Verify(events, seals).Problem.ShouldStartWith("Events 1–3: the hash does not match");
    }

    [Fact]
    public void A_deleted_or_inserted_event_is_named_as_such()
    {
        var (events, seals) = Sealed();

        EventChain.Verify(events.Where(e => e.Sequence != 2), seals).Problem
            .ShouldBe("Events 1–3: 3 sealed, 2 stored (events were deleted or inserted).");
        EventChain.Verify(events.Append(Event(4)).OrderBy(e => e.Sequence), seals).Problem
            .ShouldBe("Events 4–6: 2 sealed, 3 stored (events were deleted or inserted).");
        EventChain.Verify(events.Where(e => e.Sequence < 6), seals).Problem
            .ShouldBe("Events 4–6: 2 sealed, 1 stored (events were deleted or inserted).", "the last sealed event deleted");
    }

    [Fact]
    public void A_seal_removed_or_rewritten_alone_does_not_verify()
    {
        var (events, seals) = Sealed();

        EventChain.Verify(events, [seals[1]]).Intact.ShouldBeFalse("the second seal's count spans both ranges");
        EventChain.Verify(events, [seals[0], seals[1] with { Hash = EventChain.Genesis }]).Intact.ShouldBeFalse();
    }

    [Fact]
    public void Sealing_refuses_no_events_and_events_out_of_order()
    {
        var (events, seals) = Sealed();

        Should.Throw<ArgumentException>(() => EventChain.Seal(Guid.NewGuid(), seals[1], [], Noon));
        Should.Throw<ArgumentException>(() => EventChain.Seal(Guid.NewGuid(), seals[1], [events[4]], Noon)).Message.ShouldContain("Event 6 is not after 6");
        Should.Throw<ArgumentException>(() => EventChain.Verify([events[1], events[0]], seals));
    }
}
