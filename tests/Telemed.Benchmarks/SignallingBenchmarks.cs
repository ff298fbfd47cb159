using BenchmarkDotNet.Attributes;
using Telemed.Domain.Signalling;

namespace Telemed.Benchmarks;

/// <summary>The per-message validation on the relay path.</summary>
[MemoryDiagnoser]
public class SignallingBenchmarks
{
    private const string Candidate = "candidate:3244283093 1 udp 2122260223 127.0.0.1 38700 typ host generation 0 ufrag vtdA network-id 1 network-cost 50";
    private static readonly string Offer = File.ReadAllText(Path.Combine(BenchmarkReport.RepositoryRoot(), "tests", "Telemed.Domain.Tests", "Signalling", "TestData", "chromium-156-offer.sdp"));
    private readonly CandidateFilter filter = new(["10.0.0.0/8"]);
    private readonly IceCandidate parsed = IceCandidateValidator.Parse(Candidate).Value;

    [Benchmark(Description = "Parse ICE candidate")]
    public object ParseCandidate() => IceCandidateValidator.Parse(Candidate);

    [Benchmark(Description = "Filter ICE candidate")]
    public bool FilterCandidate() => filter.Allows(parsed);

    [Benchmark(Description = "Validate 6.4 KB Chromium offer")]
    public object ValidateOffer() => SdpValidator.Validate(Offer, SdpLimits.Consultation);
}
