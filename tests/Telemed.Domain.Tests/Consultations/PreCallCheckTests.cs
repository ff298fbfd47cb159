using Telemed.Domain.Consultations;

namespace Telemed.Domain.Tests.Consultations;

public class PreCallCheckTests
{
    [Theory]
    [InlineData(true, true, NetworkPath.Relay, PreCallVerdict.Ready)]
    [InlineData(true, true, NetworkPath.Direct, PreCallVerdict.Ready)]
    [InlineData(false, true, NetworkPath.Relay, PreCallVerdict.AudioOnly)]
    [InlineData(true, false, NetworkPath.Relay, PreCallVerdict.CannotJoin)]
    [InlineData(true, true, NetworkPath.None, PreCallVerdict.CannotJoin)]
    public void The_verdict_follows_what_works(bool camera, bool microphone, NetworkPath network, PreCallVerdict verdict)
    {
        var assessment = PreCallCheck.Assess(camera, microphone, network);

        assessment.Verdict.ShouldBe(verdict);
        assessment.Advice.ShouldNotBeNullOrWhiteSpace();
    }
}
