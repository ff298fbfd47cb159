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
            session.Insert(new PatientAccount(id, $"Test Patient {i}", 1980 + (i % 30), null, i % 2 == 0 ? Sex.Female : Sex.Male, Api.NewMobile(), abhaNumber, null, now));
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
}
