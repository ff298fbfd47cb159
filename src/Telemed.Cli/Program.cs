using System.Globalization;
using System.Text.Json.Nodes;
using Telemed.Domain;
using Telemed.Domain.Prescriptions;

// telemed verify <prescription.pdf | file with the JWS or the QR code's text | -> --jwks <jwks.json | https://…/.well-known/jwks.json>
//                [--revocations <saved list | https://…/api/prescriptions/revocations>]
// Checks a prescription's signature offline (with a saved JWKS) or against a server's published keys; the QR code's
// text can be piped in from a scanner (zbarimg --raw -q photo.png | telemed verify - --jwks jwks.json). With a saved
// revocation list it also says whether the prescription had been revoked when the list was signed, and how old that is.
// Exit codes: 0 genuine, 1 not genuine or revoked, 2 could not check (usage, unreadable input, no keys, a list that does not verify).
// telemed verify-events: see VerifyEvents.
const string Usage = "usage: telemed verify <prescription.pdf | jws-or-qr-text-file | -> --jwks <jwks.json | url> [--revocations <list-file | url>]";

if (args is ["verify-events", .. var rest])
{
    return await Telemed.Cli.VerifyEvents.Run(rest);
}
if (args is not ["verify", var input, "--jwks", var jwksSource, .. var options] || options is not ([] or ["--revocations", _]))
{
    await Console.Error.WriteLineAsync($"{Usage}\n{Telemed.Cli.VerifyEvents.Usage}");
    return 2;
}

byte[] bytes;
JsonNode? jwks;
string? revocations = null;
try
{
    bytes = input == "-" ? ReadStandardInput() : await File.ReadAllBytesAsync(input);
    jwks = JsonNode.Parse(await FileOrUrl(jwksSource));
    if (options is [_, var revocationsSource])
    {
        revocations = await FileOrUrl(revocationsSource);
    }
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
{
    await Console.Error.WriteLineAsync($"telemed: cannot read input or keys: {e.Message}");
    return 2;
}

var keys = (jwks?["keys"] as JsonArray ?? [])
    .Where(k => k?["kid"] is not null)
    .Select(k => (Id: k!["kid"]!.GetValue<string>(), Key: Jwk.ToPublicKey(k)))
    .Where(k => k.Key is not null)
    .ToDictionary(k => k.Id, k => k.Key!, StringComparer.Ordinal);
if (keys.Count == 0)
{
    await Console.Error.WriteLineAsync("telemed: the JWKS holds no P-256 keys.");
    return 2;
}

var jws = EmbeddedSignature.Find(bytes);
if (string.IsNullOrEmpty(jws))
{
    await Console.Error.WriteLineAsync("telemed: no Telemed signature found (a prescription PDF carries it in its Keywords).");
    return 2;
}
if (PrescriptionQr.CarriesSignature(jws))
{
    jws = PrescriptionQr.Decode(jws);
    if (jws is null)
    {
        Console.WriteLine("NOT GENUINE: the QR code's signed prescription is damaged or altered.");
        return 1;
    }
}
var revocationList = revocations is null ? (Result<RevocationList, SignatureProblem>?)null : RevocationList.Verify(revocations, keys.GetValueOrDefault);
if (revocationList is { IsSuccess: false } unverified)
{
    await Console.Error.WriteLineAsync($"telemed: the revocation list does not verify against this JWKS ({unverified.Error}).");
    return 2;
}

var verified = PrescriptionSignature.Verify(jws, keys.GetValueOrDefault);
if (!verified.IsSuccess)
{
    Console.WriteLine($"NOT GENUINE: {verified.Error switch
    {
        SignatureProblem.UnknownKey => "signed with a key that is not in this JWKS",
        SignatureProblem.BadSignature => "the signature does not match the content (altered, or forged)",
        SignatureProblem.UnsupportedAlgorithm => "not an ES256 signature",
        _ => "not a Telemed prescription signature",
    }}.");
    return 1;
}

var content = verified.Value.Content;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    GENUINE: signed with key {verified.Value.KeyId}.
    Prescription {content.PrescriptionId}, issued {content.IssuedAt.ToOffset(IndianTime.Offset):yyyy-MM-dd HH:mm} IST, valid until {content.ValidUntil:yyyy-MM-dd}.
    Doctor:   {content.Doctor.Name}, {content.Doctor.Qualification}; reg. {content.Doctor.RegistrationNumber} ({content.Doctor.StateCouncil}); HPR {content.Doctor.HprId}
    Facility: {content.Facility.Name} (HFR {content.Facility.HfrId})
    Patient:  {content.Patient.Name}, {content.Patient.AgeYears} y, {content.Patient.Sex}
    """));
foreach (var (medicine, line) in content.Medicines.Select((m, i) => (m, i)))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {line}. {medicine.Generic} {medicine.Strength} {medicine.Form}: {medicine.Dose}, {medicine.Frequency}, {medicine.Route}, {medicine.DurationDays} days, qty {medicine.Quantity}"));
}
if (revocationList is { Value: var list })
{
    var age = DateTimeOffset.UtcNow - list.IssuedAt;
    var asOf = string.Create(CultureInfo.InvariantCulture,
        $"the revocation list of {list.IssuedAt.ToOffset(IndianTime.Offset):yyyy-MM-dd HH:mm} IST ({(age.TotalHours >= 48 ? $"{age.TotalDays:0} days" : $"{age.TotalHours:0.#} hours")} old)");
    if (list.Revoked.Contains(content.PrescriptionId))
    {
        Console.WriteLine($"REVOKED by its doctor, according to {asOf}: do not dispense.");
        return 1;
    }
    Console.WriteLine($"Not revoked according to {asOf}; what was dispensed is checked online.");
    return 0;
}
Console.WriteLine("Offline this proves authenticity only (give --revocations for a saved revocation list); what was dispensed is checked online.");
return 0;

static async Task<string> FileOrUrl(string source) =>
    source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal)
        ? await new HttpClient { Timeout = TimeSpan.FromSeconds(10) }.GetStringAsync(new Uri(source))
        : await File.ReadAllTextAsync(source);

static byte[] ReadStandardInput()
{
    using var buffer = new MemoryStream();
    Console.OpenStandardInput().CopyTo(buffer);
    return buffer.ToArray();
}
