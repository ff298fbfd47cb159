using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;

namespace Telemed.Server.Tests.Support;

public sealed record TestPatient(Guid Id, string AccessToken);

public static class People
{
    /// <summary>
    /// Patients for queue tests, made straight in the store with real tokens (registration itself is tested elsewhere;
    /// going through OTP for hundreds of patients would only slow these tests down).
    /// </summary>
    public static async Task<IReadOnlyList<TestPatient>> CreatePatients(this TelemedFactory host, int count, string? abhaNumber = null)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var tokens = host.Services.GetRequiredService<Tokens>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var session = store.LightweightSession();
        var patients = new List<TestPatient>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            session.Insert(new PatientAccount(id, $"Test Patient {i}", 1960 + (i % 40), null, i % 2 == 0 ? Sex.Female : Sex.Male, Api.NewMobile(), abhaNumber, null, now));
            patients.Add(new TestPatient(id, tokens.Issue(session, id, Role.Patient).AccessToken));
        }
        await session.SaveChangesAsync();
        return patients;
    }

    /// <summary>A fresh access token for a test patient (after the fake clock has moved past the old one's 15 minutes).</summary>
    public static async Task<TestPatient> SignInAgain(this TelemedFactory host, TestPatient patient)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var token = host.Services.GetRequiredService<Tokens>().Issue(session, patient.Id, Role.Patient).AccessToken;
        await session.SaveChangesAsync();
        return patient with { AccessToken = token };
    }

    /// <summary>A patient registered through the API (code and registration) on a new number, as a guardian of a family starts.</summary>
    public static async Task<TestPatient> RegisterNewPatient(this TelemedFactory host)
    {
        var registration = await host.RegisterPatient(Api.NewMobile());
        return new TestPatient(registration.Patient.Id, registration.Tokens.AccessToken);
    }

    /// <summary>
    /// A family member the guardian registers through the API, with a token of the dependant's held by the guardian (what
    /// the guardian's app takes to act for them). A child of nine unless told otherwise.
    /// </summary>
    public static async Task<TestPatient> AddDependant(
        this TelemedFactory host, TestPatient guardian, string name = "Aarav Rao", int? yearOfBirth = null, string relation = "parent")
    {
        var client = host.As(guardian.AccessToken);
        var year = yearOfBirth ?? host.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 9;
        var added = await client.PostAsJsonAsync("/api/dependants", new { name, yearOfBirth = year, sex = "male", relation });
        await added.ShouldHave(HttpStatusCode.Created);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new TestPatient(id, (await host.ActFor(guardian, id)).AccessToken);
    }

    /// <summary>The guardian takes a sign-in of the dependant's to act for them.</summary>
    public static async Task<TokenResponse> ActFor(this TelemedFactory host, TestPatient guardian, Guid dependantId)
    {
        var acting = await host.As(guardian.AccessToken).PostAsync($"/api/dependants/{dependantId}/session", null);
        await acting.ShouldHave(HttpStatusCode.OK);
        return (await acting.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
    }
}
