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
    private static readonly string[] Types = ["host", "srflx", "prflx", "relay"];

    public static bool IsIceChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

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
        var text = line.StartsWith("a=", StringComparison.Ordinal) ? line[2..] : line;
        if (!text.StartsWith("candidate:", StringComparison.Ordinal))
        {
            return SignallingError.Candidate("A candidate starts with 'candidate:'.");
        }
        if (text.Any(c => c < 0x20 || c > 0x7E))
        {
            return SignallingError.Candidate("The candidate contains a character that is not allowed.");
        }
        var fields = text["candidate:".Length..].Split(' ');
        if (fields.Length < 8 || fields[6] != "typ")
        {
            return SignallingError.Candidate("The candidate must be 'candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …'.");
        }
        var (foundation, component, transport, priority, address, port, type) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[7]);
        if (foundation.Length is < 1 or > 32 || !foundation.All(IsIceChar))
        {
            return SignallingError.Candidate("The foundation must be 1 to 32 ICE characters.");
        }
        if (!int.TryParse(component, NumberStyles.None, CultureInfo.InvariantCulture, out var componentId) || componentId is < 1 or > 256 || component.Length > 3)
        {
            return SignallingError.Candidate("The component id must be a number from 1 to 256.");
        }
        if (!transport.Equals("udp", StringComparison.OrdinalIgnoreCase) && !transport.Equals("tcp", StringComparison.OrdinalIgnoreCase))
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
        if (!Types.Contains(type))
        {
            return SignallingError.Candidate("The candidate type must be host, srflx, prflx or relay.");
        }
        var rest = fields.Skip(8).ToArray();
        if (rest.Length % 2 != 0 || rest.Any(part => part.Length is 0 or > 256))
        {
            return SignallingError.Candidate("Candidate extensions must come in name/value pairs.");
        }
        for (var i = 0; i < rest.Length; i += 2)
        {
            var valid = rest[i] switch
            {
                "raddr" => ValidAddress(rest[i + 1]),
                "rport" => ValidPort(rest[i + 1], out _),
                _ => rest[i].All(c => char.IsAsciiLetterOrDigit(c) || c is '-'),
            };
            if (!valid)
            {
                return SignallingError.Candidate($"The candidate extension '{rest[i]}' is malformed.");
            }
        }
        return new IceCandidate(foundation, componentId, transport.ToLowerInvariant(), priorityValue, address, portValue, type);
    }

    private static bool ValidPort(string value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && value.Length <= 5 && port <= 65535;

    private static bool ValidAddress(string value) =>
        value.Length is > 0 and <= 253
        && (IPAddress.TryParse(value, out _) || value.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')));
}

/// <summary>
/// Networks a deployment does not want candidates for (e.g. its own private ranges): such candidates are dropped
/// before relay rather than refused, since browsers gather them without asking.
/// </summary>
public sealed class CandidateFilter
{
    private readonly IReadOnlyList<IPNetwork> forbidden;

    public CandidateFilter(IEnumerable<string> forbiddenNetworks) =>
        forbidden = forbiddenNetworks.Select(network => IPNetwork.Parse(network)).ToList();

    public bool Allows(IceCandidate candidate) =>
        !IPAddress.TryParse(candidate.Address, out var address) || !forbidden.Any(network => network.Contains(address));
}
