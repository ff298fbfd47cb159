using BenchmarkDotNet.Attributes;
using Telemed.Domain.Queue;

namespace Telemed.Benchmarks;

/// <summary>The pure work behind every queue click, on a session with 1,000 patients waiting.</summary>
[MemoryDiagnoser]
public class QueueBenchmarks
{
    private static readonly Guid Doctor = Guid.NewGuid();
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private OpdSession session = null!;
    private PatientCheckedIn nextCheckIn = null!;

    [Params(1000)]
    public int Waiting { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var id = Guid.NewGuid();
        session = OpdSession.From(new SessionOpened(id, Guid.NewGuid(), [Doctor], now, now.AddHours(8), 0, 5000, null, 10, 3, Doctor, now));
        for (var token = 1; token <= Waiting; token++)
        {
            session = OpdSession.Evolve(session, new PatientCheckedIn(id, token, Guid.NewGuid(), new PatientSummary("P", 40, "female"), null, [], now));
        }
        nextCheckIn = new PatientCheckedIn(id, Waiting + 1, Guid.NewGuid(), new PatientSummary("P", 40, "female"), null, [], now);
    }

    [Benchmark(Description = "Decide call-next")]
    public object CallNext() => QueueDecisions.CallNext(session, Doctor, _ => true, now);

    [Benchmark(Description = "Decide check-in")]
    public object CheckIn() => QueueDecisions.CheckIn(session, Guid.NewGuid(), nextCheckIn.Patient, null, [], now);

    [Benchmark(Description = "Evolve check-in")]
    public OpdSession EvolveCheckIn() => OpdSession.Evolve(session, nextCheckIn);

    [Benchmark(Description = "Positions of all waiting")]
    public int Positions() => QueueViews.Positions(session).Count;
}
