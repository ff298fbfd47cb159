using Telemed.Domain.Signalling;

namespace Telemed.Domain.Tests.Signalling;

public class SdpValidatorTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Signalling", "TestData", name));

    private static readonly string Offer = Sample("chromium-156-offer.sdp");
    private static readonly string Answer = Sample("chromium-156-answer.sdp");

    private static string Invalid(string sdp) => SdpValidator.Validate(sdp, SdpLimits.Consultation).Error.Message;

    [Fact]
    public void A_real_chromium_offer_with_audio_video_and_data_passes()
    {
        var summary = SdpValidator.Validate(Offer, SdpLimits.Consultation).Value;

        summary.ShouldBe(new SdpSummary(Audio: 1, Video: 1, Application: 1, Candidates: summary.Candidates));
        summary.Candidates.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void A_real_chromium_answer_passes() => SdpValidator.Validate(Answer, SdpLimits.Consultation).IsSuccess.ShouldBeTrue();

    [Fact]
    public void Line_feeds_without_carriage_returns_are_tolerated() =>
        SdpValidator.Validate(Offer.Replace("\r\n", "\n", StringComparison.Ordinal), SdpLimits.Consultation).IsSuccess.ShouldBeTrue();

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("hello", "v=0")]
    [InlineData("<script>alert(1)</script>", "v=0")]
    public void Garbage_is_refused(string? sdp, string reason) =>
        SdpValidator.Validate(sdp, SdpLimits.Consultation).Error.Message.ShouldContain(reason);

    [Fact]
    public void An_oversized_sdp_is_refused() =>
        Invalid(Offer + string.Concat(Enumerable.Repeat("a=x-padding:0123456789\r\n", 3000))).ShouldContain("at most 65536");

    [Fact]
    public void A_truncated_sdp_without_media_is_refused() => Invalid(Offer[..Offer.IndexOf("m=audio", StringComparison.Ordinal)]).ShouldContain("no media");

    [Fact]
    public void A_truncated_sdp_cut_mid_line_is_refused() =>
        Invalid(Offer[..(Offer.IndexOf("a=fingerprint:", StringComparison.Ordinal) + 20)]).ShouldContain("fingerprint");

    [Fact]
    public void Missing_session_lines_are_named() => Invalid(Offer.Replace("s=-\r\n", "", StringComparison.Ordinal)).ShouldContain("no s= line");

    [Fact]
    public void A_malformed_origin_is_refused() =>
        Invalid(Offer.Replace("o=- ", "o=", StringComparison.Ordinal)).ShouldContain("o= line");

    [Fact]
    public void Control_characters_are_refused() =>
        Invalid(Offer.Replace("s=-", "s=-\u0000", StringComparison.Ordinal)).ShouldContain("U+0000");

    [Fact]
    public void Non_ascii_text_is_refused() => Invalid(Offer.Replace("s=-", "s=नमस्ते", StringComparison.Ordinal)).ShouldContain("not allowed");

    [Fact]
    public void Lines_that_are_not_type_equals_value_are_refused() =>
        Invalid(Offer.Replace("t=0 0\r\n", "t=0 0\r\nthis is not sdp\r\n", StringComparison.Ordinal)).ShouldContain("<letter>=<value>");

    [Fact]
    public void Sdp_without_a_fingerprint_is_refused()
    {
        var stripped = string.Join("\r\n", Offer.Split("\r\n").Where(line => !line.StartsWith("a=fingerprint", StringComparison.Ordinal)));

        Invalid(stripped).ShouldContain("no a=fingerprint");
    }

    [Fact]
    public void A_weak_fingerprint_hash_is_refused() =>
        Invalid(Offer.Replace("a=fingerprint:sha-256", "a=fingerprint:md5", StringComparison.Ordinal)).ShouldContain("sha-256");

    [Fact]
    public void Sdp_without_ice_credentials_is_refused()
    {
        var stripped = string.Join("\r\n", Offer.Split("\r\n").Where(line => !line.StartsWith("a=ice-pwd", StringComparison.Ordinal)));

        Invalid(stripped).ShouldContain("ice-pwd");
    }

    [Fact]
    public void More_media_sections_than_a_consultation_needs_are_refused()
    {
        var video = Offer[Offer.IndexOf("m=video", StringComparison.Ordinal)..Offer.IndexOf("m=application", StringComparison.Ordinal)];

        Invalid(Offer + video).ShouldContain("2 video");
    }

    [Fact]
    public void A_malformed_media_line_is_refused() =>
        Invalid(Offer.Replace("m=audio ", "m=smell ", StringComparison.Ordinal)).ShouldContain("m= must be");

    [Fact]
    public void A_malformed_candidate_inside_the_sdp_is_refused() =>
        Invalid(Offer.Replace(" typ host", " typ sneaky", StringComparison.Ordinal)).ShouldContain("candidate type");
}
