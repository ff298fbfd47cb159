using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Telemed.Domain.Identity;

namespace Telemed.Benchmarks;

/// <summary>
/// A doctor with an open session of their own and a registered patient, as the load drivers use them; the doctor's
/// signing key unlocked once (<see cref="BenchCast.UnlockSigning"/>), as at the start of a shift.
/// </summary>
public sealed record BenchPair(int Index, string Doctor, string Patient, Guid Session, string SigningUnlock);

/// <summary>
/// The people and sessions load drivers need, made through the public API as an admin, doctors and patients would
/// (patients register with the OTP the server hands to its development sink).
/// </summary>
public sealed partial class BenchCast(Uri server)
{
    public static readonly Guid Facility = Guid.Parse("0193a000-0000-7000-8000-000000000001");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public HttpClient Http { get; } = new() { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>One doctor, one patient and one session per index, made eight at a time.</summary>
    public async Task<BenchPair[]> Pairs(int count, int capacity)
    {
        var admin = await SignIn("admin@telemed.local", "telemed-demo");
        var pairs = new BenchPair[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"bench{i}@telemed.local");
            await Send(HttpMethod.Post, "/api/admin/doctors", admin, new
            {
                name = $"Bench Doctor {i}", email, password = "bench-password-1", hprId = string.Create(CultureInfo.InvariantCulture, $"71{i:D12}"),
                qualification = "MBBS", registrationNumber = $"B-{i}", stateCouncil = "Bench Council",
            });
            var doctor = await SignIn(email, "bench-password-1");
            var unlock = await UnlockSigning(doctor, "bench-password-1");
            var patient = await RegisterPatient(admin, i);
            var now = DateTimeOffset.UtcNow;
            var session = (await Send(HttpMethod.Post, "/api/sessions", doctor, new { facilityId = Facility, startsAt = now, endsAt = now.AddHours(4), capacity }))
                .GetProperty("id").GetGuid();
            pairs[i] = new BenchPair(i, doctor, patient, session, unlock);
        });
        return pairs;
    }

    /// <summary>The account an access token was issued to (its <c>sub</c> claim): where hub signalling to that participant is addressed.</summary>
    public static Guid AccountOf(string accessToken) =>
        JsonSerializer.Deserialize<JsonElement>(System.Buffers.Text.Base64Url.DecodeFromChars(accessToken.Split('.')[1])).GetProperty("sub").GetGuid();

    /// <summary>Signs in; the demo admin's second step takes its authenticator's code from the published demo secret.</summary>
    public async Task<string> SignIn(string email, string password)
    {
        var answer = await Send(HttpMethod.Post, "/api/auth/sign-in", null, new { email, password });
        if (answer.TryGetProperty("challenge", out var challenge))
        {
            answer = await Send(HttpMethod.Post, "/api/auth/mfa/verify", null, new { challenge = challenge.GetString(), code = DemoAdminCode() });
        }
        return answer.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The doctor's signing unlock, which the completions that sign present.</summary>
    public async Task<string> UnlockSigning(string doctor, string password) =>
        (await Send(HttpMethod.Post, "/api/doctors/me/signing-unlock", doctor, new { password })).GetProperty("unlockToken").GetString()!;

    /// <summary>Completes the token, signing its prescription with the pair's unlocked doctor key.</summary>
    public async Task<JsonElement> Complete(BenchPair pair, Guid session, int token) =>
        (await Exchange(HttpMethod.Post, $"/api/sessions/{session}/tokens/{token}/complete", pair.Doctor, null, signingUnlock: pair.SigningUnlock)).Body;

    public static string DemoAdminCode() =>
        TotpCodes.Code(TotpCodes.FromBase32(Telemed.Server.Identity.DemoOptions.DemoAdminTotpSecret), DateTimeOffset.UtcNow);

    /// <summary>Sends a JSON request and returns the JSON answer; anything but success throws with the problem details.</summary>
    public async Task<JsonElement> Send(HttpMethod method, string path, string? token, object? body) => (await Exchange(method, path, token, body)).Body;

    /// <summary>As <see cref="Send"/>, with an If-Match version and the ETag the answer carries.</summary>
    public async Task<(JsonElement Body, string? ETag)> Exchange(
        HttpMethod method, string path, string? token, object? body, string? ifMatch = null, string? signingUnlock = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(body ?? new { }) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }
        if (signingUnlock is not null)
        {
            request.Headers.Add(Telemed.Server.Prescriptions.PresentedUnlock.Header, signingUnlock);
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }
        return (text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text, Json), response.Headers.ETag?.Tag);
    }

    /// <summary>
    /// The doctor writes a consultation's record as the page does, each part with the version the last answer gave
    /// (If-Match): vitals, notes, a diagnosis and a one-medicine prescription; the record as the last answer gives it.
    /// </summary>
    public async Task<JsonElement> WriteRecord(Guid consultationId, string doctor)
    {
        var record = $"/api/consultations/{consultationId}/record";
        var (_, etag) = await Exchange(HttpMethod.Get, record, doctor, null);
        (_, etag) = await Exchange(HttpMethod.Put, $"{record}/vitals", doctor,
            new { systolic = new { value = 128, unit = "mmHg" }, diastolic = new { value = 82, unit = "mmHg" }, pulse = new { value = 88, unit = "/min" } }, etag);
        (_, etag) = await Exchange(HttpMethod.Put, $"{record}/notes", doctor, new { chiefComplaints = "Fever for 2 days", advice = "Rest and fluids" }, etag);
        (_, etag) = await Exchange(HttpMethod.Put, $"{record}/diagnosis", doctor, new { text = "Fever, unspecified", codeSystem = "icd10", code = "R50.9" }, etag);
        return (await Exchange(HttpMethod.Put, $"{record}/prescription", doctor, new
        {
            kind = "firstConsult",
            medicines = new[] { new { generic = "Paracetamol", strength = "500 mg", form = "tablet", dose = new { morning = 1, night = 1, unit = "tablet" }, route = "oral", durationDays = 3, quantity = 6 } },
        }, etag)).Body;
    }

    private async Task<string> RegisterPatient(string admin, int index)
    {
        var mobile = string.Create(CultureInfo.InvariantCulture, $"+9170{index:D8}");
        await Send(HttpMethod.Post, "/api/auth/otp", null, new { mobile });
        var code = await SunkCode(Http, mobile);
        var registered = await Send(HttpMethod.Post, "/api/patients", null, new { name = $"Bench Patient {index}", yearOfBirth = 1980, sex = "other", mobile, code });
        return registered.GetProperty("tokens").GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// The sign-in code of a number that was sent one, read from the development sink (bench.sh runs the server with it)
    /// once the dispatcher has handed it over.
    /// </summary>
    public static async Task<string> SunkCode(HttpClient http, string mobile)
    {
        for (var attempt = 0; ; attempt++)
        {
            var messages = await http.GetFromJsonAsync<JsonElement>($"/api/dev/messages?to={Uri.EscapeDataString(mobile)}");
            if (messages.EnumerateArray().FirstOrDefault(m => m.GetProperty("template").GetString() == "SignInCode") is { ValueKind: JsonValueKind.Object } code)
            {
                return SixDigits().Match(code.GetProperty("text").GetString()!).Value;
            }
            if (attempt > 600)
            {
                throw new TimeoutException($"No code reached the development sink for {mobile}.");
            }
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}
