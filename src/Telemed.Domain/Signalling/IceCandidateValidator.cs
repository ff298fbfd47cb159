using System.Buffers;
using System.Globalization;
using System.Net;

namespace Telemed.Domain.Signalling;

public sealed record IceCandidate(string Foundation, int Component, string Transport, uint Priority, string Address, int Port, string Type)
{
    /// <summary>An mDNS name such as 1f4712db-ea17-4bcf-a596-105139dfd8bf.local (browsers hide host addresses this way).</summary>
    public bool IsMdns => Address.EndsWith(".local", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Parses one ICE candidate line by the RFC 8839 grammar, as browsers send it (with or without "a=" and
/// trailing extensions such as "generation 0 ufrag … network-cost 999"). Bounded and strict: anything else is refused.
/// </summary>
public static class IceCandidateValidator
{
    public const int MaxLength = 1024;
    private const string PairsError = "Candidate extensions must come in name/value pairs.";
    private static readonly SearchValues<char> IceChars = SearchValues.Create("+/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<char> NameChars = SearchValues.Create("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsIceChar(char c) => IceChars.Contains(c);

    /// <summary>Parsed over spans: a relayed candidate allocates only its record, foundation and address.</summary>
    public static Result<IceCandidate, SignallingError> Parse(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return SignallingError.Candidate("The candidate is empty; send end-of-candidates instead.");
        }
        if (line.Length > MaxLength)
        {
            return SignallingError.Candidate($"The candidate is {line.Length} characters; at most {MaxLength} are accepted.");
        }
        var text = line.AsSpan();
        text = text.StartsWith("a=", StringComparison.Ordinal) ? text[2..] : text;
        if (!text.StartsWith("candidate:", StringComparison.Ordinal))
        {
            return SignallingError.Candidate("A candidate starts with 'candidate:'.");
        }
        if (text.ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            return SignallingError.Candidate("The candidate contains a character that is not allowed.");
        }
        text = text["candidate:".Length..];
        // Eight fields, then (in the ninth range) whatever follows them: the extensions.
        Span<Range> fields = stackalloc Range[9];
        var count = text.Split(fields, ' ');
        if (count < 8 || !text[fields[6]].SequenceEqual("typ"))
        {
            return SignallingError.Candidate("The candidate must be 'candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …'.");
        }
        var foundation = text[fields[0]];
        var component = text[fields[1]];
        var transport = text[fields[2]];
        var priority = text[fields[3]];
        var address = text[fields[4]];
        var port = text[fields[5]];
        var type = text[fields[7]];
        if (foundation.Length is < 1 or > 32 || foundation.ContainsAnyExcept(IceChars))
        {
            return SignallingError.Candidate("The foundation must be 1 to 32 ICE characters.");
        }
        if (!int.TryParse(component, NumberStyles.None, CultureInfo.InvariantCulture, out var componentId) || componentId is < 1 or > 256 || component.Length > 3)
        {
            return SignallingError.Candidate("The component id must be a number from 1 to 256.");
        }
        string? transportName = transport.Equals("udp", StringComparison.OrdinalIgnoreCase) ? "udp"
            : transport.Equals("tcp", StringComparison.OrdinalIgnoreCase) ? "tcp" : null;
        if (transportName is null)
        {
            return SignallingError.Candidate("The transport must be UDP or TCP.");
        }
        if (priority.Length > 10 || !uint.TryParse(priority, NumberStyles.None, CultureInfo.InvariantCulture, out var priorityValue))
        {
            return SignallingError.Candidate("The priority must be a number up to 4294967295.");
        }
        if (!ValidAddress(address))
        {
            return SignallingError.Candidate("The connection address must be an IPv4 or IPv6 address or a host name.");
        }
        if (!ValidPort(port, out var portValue))
        {
            return SignallingError.Candidate("The port must be a number from 0 to 65535.");
        }
        string? typeName = type switch { "host" => "host", "srflx" => "srflx", "prflx" => "prflx", "relay" => "relay", _ => null };
        if (typeName is null)
        {
            return SignallingError.Candidate("The candidate type must be host, srflx, prflx or relay.");
        }
        if (count == 9 && ExtensionError(text[fields[8]]) is { } extensionError)
        {
            return SignallingError.Candidate(extensionError);
        }
        return new IceCandidate(foundation.ToString(), componentId, transportName, priorityValue, address.ToString(), portValue, typeName);
    }

    /// <summary>Null when the extensions are well-formed name/value pairs (raddr and rport checked as such).</summary>
    private static string? ExtensionError(ReadOnlySpan<char> extensions)
    {
        var parts = 0;
        foreach (var part in extensions.Split(' '))
        {
            if (extensions[part].Length is 0 or > 256)
            {
                return PairsError;
            }
            parts++;
        }
        if (parts % 2 != 0)
        {
            return PairsError;
        }
        ReadOnlySpan<char> name = default;
        var index = 0;
        foreach (var part in extensions.Split(' '))
        {
            if (index++ % 2 == 0)
            {
                name = extensions[part];
                continue;
            }
            var value = extensions[part];
            var valid = name switch
            {
                "raddr" => ValidAddress(value),
                "rport" => ValidPort(value, out _),
                _ => !name.ContainsAnyExcept(NameChars),
            };
            if (!valid)
            {
                return $"The candidate extension '{name}' is malformed.";
            }
        }
        return null;
    }

    private static bool ValidPort(ReadOnlySpan<char> value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && value.Length <= 5 && port <= 65535;

    private static bool ValidAddress(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > 253)
        {
            return false;
        }
        if (IPAddress.TryParse(value, out _))
        {
            return true;
        }
        foreach (var range in value.Split('.'))
        {
            var label = value[range];
            if (label.Length is 0 or > 63 || label.ContainsAnyExcept(NameChars))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// Candidates a deployment does not want relayed: addresses in its forbidden networks (e.g. its own private ranges),
/// an IPv4 address written as IPv4-mapped IPv6 (::ffff:10.1.2.3) judged as the IPv4 address it is, and host names
/// other than the mDNS .local names browsers use to hide host addresses (a name could resolve anywhere). Such candidates
/// are dropped before relay rather than refused, since browsers gather them without asking; the same goes for the
/// candidates written into an offer or answer.
/// </summary>
public sealed class CandidateFilter
{
    private readonly IReadOnlyList<IPNetwork> forbidden;

    public CandidateFilter(IEnumerable<string> forbiddenNetworks) =>
        forbidden = forbiddenNetworks.Select(network => IPNetwork.Parse(network)).ToList();

    public bool Allows(IceCandidate candidate)
    {
        if (!IPAddress.TryParse(candidate.Address, out var address))
        {
            return candidate.IsMdns;
        }
        var judged = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return !forbidden.Any(network => network.Contains(judged));
    }

    /// <summary>The session description without its a=candidate lines that <see cref="Allows"/> would drop (it was validated before).</summary>
    public string Filter(string sdp)
    {
        var lines = sdp.Split('\n');
        var kept = lines.Where(line =>
        {
            var trimmed = line.TrimEnd('\r');
            return !trimmed.StartsWith("a=candidate:", StringComparison.Ordinal)
                || IceCandidateValidator.Parse(trimmed) is { IsSuccess: true } parsed && Allows(parsed.Value);
        }).ToList();
        return kept.Count == lines.Length ? sdp : string.Join('\n', kept);
    }
}
