namespace Telemed.Domain.Signalling;

public enum SdpType
{
    Offer,
    Answer,
}

/// <summary>How many media sections of each kind a consultation's SDP may carry.</summary>
public sealed record SdpLimits(int MaxBytes, int MaxAudio, int MaxVideo, int MaxApplication)
{
    public static SdpLimits Consultation { get; } = new(64 * 1024, MaxAudio: 1, MaxVideo: 1, MaxApplication: 1);
}

/// <summary>What the relay learned about an SDP it let through.</summary>
public sealed record SdpSummary(int Audio, int Video, int Application, int Candidates);

/// <summary>
/// Checks an SDP offer or answer before it is relayed to the other participant (RFC 8866 structure, with what
/// WebRTC requires on top: a DTLS fingerprint and ICE credentials for every media section in use). The server
/// does not interpret media beyond that; the point is that only well-formed, bounded, ASCII SDP reaches a peer.
/// </summary>
public static class SdpValidator
{
    private const int MaxLines = 2000;
    private const int MaxLineLength = 4096;
    private static readonly string[] MediaKinds = ["audio", "video", "application"];
    private static readonly string[] FingerprintHashes = ["sha-256", "sha-384", "sha-512"];

    public static Result<SdpSummary, SignallingError> Validate(string? sdp, SdpLimits limits)
    {
        if (string.IsNullOrWhiteSpace(sdp))
        {
            return SignallingError.Sdp("The SDP is empty.");
        }
        if (sdp.Length > limits.MaxBytes)
        {
            return SignallingError.Sdp($"The SDP is {sdp.Length} bytes; at most {limits.MaxBytes} are accepted.");
        }
        foreach (var c in sdp)
        {
            if (c is not ('\r' or '\n') && (c < 0x20 || c > 0x7E))
            {
                return SignallingError.Sdp($"The SDP contains a character that is not allowed (U+{(int)c:X4}).");
            }
        }
        var lines = sdp.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (lines.Length > MaxLines)
        {
            return SignallingError.Sdp($"The SDP has {lines.Length} lines; at most {MaxLines} are accepted.");
        }
        if (lines[0] != "v=0")
        {
            return SignallingError.Sdp("The SDP must start with v=0.");
        }

        var session = new Section();
        var media = new List<Section>();
        var current = session;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
            {
                return SignallingError.Sdp($"Line {i + 1} is not of the form <letter>=<value>.");
            }
            if (line.Length > MaxLineLength)
            {
                return SignallingError.Sdp($"Line {i + 1} is longer than {MaxLineLength} characters.");
            }
            var value = line[2..];
            switch (line[0])
            {
                case 'o' when current == session && !ValidOrigin(value):
                    return SignallingError.Sdp("The o= line must have six fields: username, session id, version, IN, IP4/IP6, address.");
                case 'm':
                    var parsed = ParseMedia(value);
                    if (parsed is null)
                    {
                        return SignallingError.Sdp($"Line {i + 1}: m= must be '<audio|video|application> <port> <protocol> <formats>'.");
                    }
                    current = parsed;
                    media.Add(current);
                    break;
                case 'a':
                    var attribute = current.Attribute(value);
                    if (attribute is not null)
                    {
                        return SignallingError.Sdp($"Line {i + 1}: {attribute}");
                    }
                    break;
            }
            current.Types.Add(line[0]);
        }

        foreach (var required in new[] { 'o', 's', 't' })
        {
            if (!session.Types.Contains(required))
            {
                return SignallingError.Sdp($"The SDP has no {required}= line before its media sections.");
            }
        }
        if (media.Count == 0)
        {
            return SignallingError.Sdp("The SDP has no media sections (m= lines).");
        }
        var counts = MediaKinds.ToDictionary(kind => kind, kind => media.Count(m => m.Kind == kind));
        if (counts["audio"] > limits.MaxAudio || counts["video"] > limits.MaxVideo || counts["application"] > limits.MaxApplication)
        {
            return SignallingError.Sdp(
                $"The SDP has {counts["audio"]} audio, {counts["video"]} video and {counts["application"]} data sections; "
                + $"a consultation allows at most {limits.MaxAudio}, {limits.MaxVideo} and {limits.MaxApplication}.");
        }
        foreach (var section in media.Where(m => m.Port != 0))
        {
            if (!section.HasFingerprint && !session.HasFingerprint)
            {
                return SignallingError.Sdp($"The {section.Kind} section has no a=fingerprint (DTLS is required).");
            }
            if ((section.IceUfrag ?? session.IceUfrag) is null || (section.IcePwd ?? session.IcePwd) is null)
            {
                return SignallingError.Sdp($"The {section.Kind} section has no a=ice-ufrag / a=ice-pwd.");
            }
        }
        return new SdpSummary(counts["audio"], counts["video"], counts["application"], media.Sum(m => m.Candidates) + session.Candidates);
    }

    private static bool ValidOrigin(string value)
    {
        var fields = value.Split(' ');
        return fields.Length == 6 && fields[1].All(char.IsAsciiDigit) && fields[2].All(char.IsAsciiDigit)
            && fields[3] == "IN" && fields[4] is "IP4" or "IP6" && fields[5].Length > 0;
    }

    private static Section? ParseMedia(string value)
    {
        var fields = value.Split(' ');
        if (fields.Length < 4 || !MediaKinds.Contains(fields[0]) || fields[1].Length is 0 or > 5 || !fields[1].All(char.IsAsciiDigit))
        {
            return null;
        }
        var port = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        var protocolValid = fields[2].Length > 0 && fields[2].All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '.');
        return port <= 65535 && protocolValid && fields.Skip(3).All(f => f.Length > 0) ? new Section { Kind = fields[0], Port = port } : null;
    }

    private sealed class Section
    {
        public string Kind { get; init; } = "session";

        public int Port { get; init; }

        public HashSet<char> Types { get; } = [];

        public bool HasFingerprint { get; private set; }

        public string? IceUfrag { get; private set; }

        public string? IcePwd { get; private set; }

        public int Candidates { get; private set; }

        /// <summary>Checks the attributes WebRTC depends on; returns what is wrong, or null.</summary>
        public string? Attribute(string value)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? value : value[..colon];
            var argument = colon < 0 ? "" : value[(colon + 1)..];
            switch (name)
            {
                case "fingerprint":
                    var parts = argument.Split(' ');
                    if (parts.Length != 2 || !FingerprintHashes.Contains(parts[0].ToLowerInvariant()) || !IsHexPairs(parts[1]))
                    {
                        return "a=fingerprint must be 'sha-256 AB:CD:…' (sha-256, sha-384 or sha-512).";
                    }
                    HasFingerprint = true;
                    return null;
                case "ice-ufrag":
                    if (argument.Length is < 4 or > 256 || !argument.All(IceCandidateValidator.IsIceChar))
                    {
                        return "a=ice-ufrag must be 4 to 256 ICE characters.";
                    }
                    IceUfrag = argument;
                    return null;
                case "ice-pwd":
                    if (argument.Length is < 22 or > 256 || !argument.All(IceCandidateValidator.IsIceChar))
                    {
                        return "a=ice-pwd must be 22 to 256 ICE characters.";
                    }
                    IcePwd = argument;
                    return null;
                case "candidate":
                    var candidate = IceCandidateValidator.Parse(value);
                    if (!candidate.IsSuccess)
                    {
                        return candidate.Error.Message;
                    }
                    Candidates++;
                    return null;
                default:
                    return name.Length == 0 ? "an a= line needs an attribute name." : null;
            }
        }

        private static bool IsHexPairs(string value)
        {
            var pairs = value.Split(':');
            return pairs.Length >= 20 && pairs.All(p => p.Length == 2 && p.All(char.IsAsciiHexDigit));
        }
    }
}
