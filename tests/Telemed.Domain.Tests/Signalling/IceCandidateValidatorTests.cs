using Telemed.Domain.Signalling;

namespace Telemed.Domain.Tests.Signalling;

public class IceCandidateValidatorTests
{
    public static TheoryData<string> ChromiumCandidates()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Signalling", "TestData", "chromium-156-candidates.txt")).Where(l => l.Length > 0).Distinct())
        {
            data.Add(line);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ChromiumCandidates))]
    public void Real_chromium_candidates_parse(string line) => IceCandidateValidator.Parse(line).IsSuccess.ShouldBeTrue();

    [Fact]
    public void The_fields_are_read()
    {
        var candidate = IceCandidateValidator.Parse("candidate:842163049 1 udp 1677729535 203.0.113.7 56843 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sK1A network-cost 999").Value;

        candidate.ShouldBe(new IceCandidate("842163049", 1, "udp", 1677729535, "203.0.113.7", 56843, "srflx"));
    }

    [Theory]
    [InlineData("a=candidate:1 1 UDP 2130706431 2001:db8::1 5000 typ host")]
    [InlineData("candidate:1 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54321 typ host generation 0")]
    [InlineData("candidate:9 1 udp 41885439 198.51.100.4 3478 typ relay raddr 203.0.113.7 rport 56843")]
    public void Other_valid_forms_parse(string line) => IceCandidateValidator.Parse(line).IsSuccess.ShouldBeTrue();

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello", "starts with")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5", "must be")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 type host", "must be")]
    [InlineData("candidate:x;y 1 udp 1 1.2.3.4 5 typ host", "foundation")]
    [InlineData("candidate:1 0 udp 1 1.2.3.4 5 typ host", "component")]
    [InlineData("candidate:1 1 sctp 1 1.2.3.4 5 typ host", "transport")]
    [InlineData("candidate:1 1 udp 99999999999 1.2.3.4 5 typ host", "priority")]
    [InlineData("candidate:1 1 udp -1 1.2.3.4 5 typ host", "priority")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 70000 typ host", "port")]
    [InlineData("candidate:1 1 udp 1 not_an;address 5 typ host", "address")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ evil", "candidate type")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host generation", "pairs")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host raddr <script>", "raddr")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host rport 70000", "rport")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host gen;eration 0", "gen;eration")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host generation  0", "pairs")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host ", "pairs")]
    [InlineData("candidate:1 1 udp 1 bad..name 5 typ host", "address")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host\r\na=evil:1", "not allowed")]
    public void Malformed_candidates_are_refused_with_the_reason(string line, string reason) =>
        IceCandidateValidator.Parse(line).Error.Message.ShouldContain(reason);

    [Fact]
    public void An_oversized_candidate_is_refused() =>
        IceCandidateValidator.Parse("candidate:1 1 udp 1 1.2.3.4 5 typ host " + string.Concat(Enumerable.Repeat("x y ", 300))).Error.Message.ShouldContain("at most 1024");

    [Fact]
    public void Candidates_in_forbidden_networks_are_filtered_and_others_pass()
    {
        var filter = new CandidateFilter(["10.0.0.0/8", "fd00::/8"]);

        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 10.1.2.3 5 typ host").Value).ShouldBeFalse();
        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 fd12::1 5 typ host").Value).ShouldBeFalse();
        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 127.0.0.1 5 typ host").Value).ShouldBeTrue();
        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 abc.local 5 typ host").Value).ShouldBeTrue();
    }

    [Fact]
    public void A_forbidden_address_written_as_ipv4_mapped_ipv6_is_filtered_like_the_ipv4_address()
    {
        var filter = new CandidateFilter(["10.0.0.0/8"]);

        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 ::ffff:10.1.2.3 5 typ host").Value).ShouldBeFalse();
        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 ::ffff:203.0.113.7 5 typ srflx").Value).ShouldBeTrue();
    }

    [Fact]
    public void Only_mdns_host_names_pass_and_any_other_name_is_filtered()
    {
        var filter = new CandidateFilter([]);

        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 5 typ host").Value).ShouldBeTrue();
        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 intranet.example.in 5 typ host").Value).ShouldBeFalse();
        filter.Allows(IceCandidateValidator.Parse("candidate:1 1 udp 1 metadata 5 typ host").Value).ShouldBeFalse();
    }

    [Fact]
    public void Candidates_inside_an_offer_are_filtered_like_trickled_ones()
    {
        var filter = new CandidateFilter(["10.0.0.0/8"]);
        const string sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n" +
            "a=candidate:1 1 udp 2122260223 10.20.30.40 5000 typ host\r\n" +
            "a=candidate:2 1 udp 2122260223 ::ffff:10.20.30.41 5001 typ host\r\n" +
            "a=candidate:3 1 udp 2122260223 printer.corp.example 5002 typ host\r\n" +
            "a=candidate:4 1 udp 1686052607 203.0.113.7 5003 typ srflx raddr 0.0.0.0 rport 0\r\n" +
            "a=rtpmap:111 opus/48000/2\r\n";

        var filtered = filter.Filter(sdp);

        filtered.ShouldNotContain("10.20.30.40");
        filtered.ShouldNotContain("10.20.30.41");
        filtered.ShouldNotContain("printer.corp.example");
        filtered.ShouldContain("a=candidate:4 1 udp 1686052607 203.0.113.7 5003 typ srflx raddr 0.0.0.0 rport 0\r\n");
        filtered.ShouldContain("a=rtpmap:111 opus/48000/2\r\n");
        filtered.ShouldStartWith("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");
        filter.Filter("v=0\r\na=candidate:4 1 udp 1 203.0.113.7 5003 typ srflx\r\n").ShouldBe("v=0\r\na=candidate:4 1 udp 1 203.0.113.7 5003 typ srflx\r\n");
    }

    [Fact]
    public void A_relayed_candidate_allocates_little_more_than_its_record()
    {
        const string line = "candidate:842163049 1 udp 1677729535 203.0.113.7 56843 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sK1A network-cost 999";
        IceCandidateValidator.Parse(line).IsSuccess.ShouldBeTrue();

        var before = GC.GetAllocatedBytesForCurrentThread();
        IceCandidateValidator.Parse(line);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The record, its foundation and address strings, and the IP addresses parsed to check them (was 1,240 B).
        allocated.ShouldBeLessThan(400);
    }
}
