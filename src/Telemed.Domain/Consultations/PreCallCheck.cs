namespace Telemed.Domain.Consultations;

public enum NetworkPath
{
    /// <summary>No ICE candidate could be gathered at all.</summary>
    None,

    /// <summary>Host or server-reflexive candidates only: a direct call may work, a strict firewall would stop it.</summary>
    Direct,

    /// <summary>A TURN relay candidate was gathered: the call will get through.</summary>
    Relay,
}

public enum PreCallVerdict
{
    Ready,
    AudioOnly,
    CannotJoin,
}

public sealed record PreCallAssessment(PreCallVerdict Verdict, string Advice);

/// <summary>What a device and network test means for joining a consultation.</summary>
public static class PreCallCheck
{
    public static PreCallAssessment Assess(bool camera, bool microphone, NetworkPath network) => (camera, microphone, network) switch
    {
        (_, false, _) => new(PreCallVerdict.CannotJoin, "Your microphone is not working. Allow microphone access in the browser, or plug in a headset."),
        (_, _, NetworkPath.None) => new(PreCallVerdict.CannotJoin, "Your network does not let calls through. Try another Wi-Fi or mobile data."),
        (false, true, _) => new(PreCallVerdict.AudioOnly, "Your camera is not available; you can still join with audio only."),
        (true, true, NetworkPath.Direct) => new(PreCallVerdict.Ready, "Camera and microphone work. Your network allows direct calls."),
        _ => new(PreCallVerdict.Ready, "Camera, microphone and network work. You are ready."),
    };
}
