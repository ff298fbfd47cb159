using System.Globalization;
using System.Text.Json.Nodes;
using Telemed.Domain;
using Telemed.Domain.Prescriptions;

// telemed verify <prescription.pdf | file with the JWS | -> --jwks <jwks.json | https://…/.well-known/jwks.json>
// Checks a prescription's signature offline (with a saved JWKS) or against a server's published keys.
// Exit codes: 0 genuine, 1 not genuine, 2 could not check (usage, unreadable input, no keys).
// telemed verify-events: see VerifyEvents.
const string Usage = "usage: telemed verify <prescription.pdf | jws-file | -> --jwks <jwks.json | url>";

if (args is ["verify-events", .. var rest])
{
    return await Telemed.Cli.VerifyEvents.Run(rest);
}
if (args is not ["verify", var input, "--jwks", var jwksSource])
{
    await Console.Error.WriteLineAsync($"{Usage}\n{Telemed.Cli.VerifyEvents.Usage}");
    return 2;
}

byte[] bytes;
JsonNode? jwks;
try
{
    bytes = input == "-" ? ReadStandardInput() : await File.ReadAllBytesAsync(input);
    jwks = JsonNode.Parse(jwksSource.StartsWith("http://", StringComparison.Ordinal) || jwksSource.StartsWith("https://", StringComparison.Ordinal)
        ? await new HttpClient { Timeout = TimeSpan.FromSeconds(10) }.GetStringAsync(new Uri(jwksSource))
        : await File.ReadAllTextAsync(jwksSource));
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
Console.WriteLine("Offline this proves authenticity only; revocation and what was dispensed are checked online.");
return 0;

static byte[] ReadStandardInput()
{
    using var buffer = new MemoryStream();
    Console.OpenStandardInput().CopyTo(buffer);
    return buffer.ToArray();
}
