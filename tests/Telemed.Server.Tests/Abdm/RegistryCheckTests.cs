using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Abdm;
using Telemed.Server.Audit;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>HPR and HFR IDs checked against the (simulated) registries when an admin registers doctors and facilities.</summary>
public class RegistryCheckTests(AbdmFixture abdm) : IClassFixture<AbdmFixture>
{
    private async Task<HttpClient> Admin() => abdm.Host.As((await abdm.Host.SignInStaff(Api.AdminEmail)).AccessToken);

    private static object Doctor(string name, string hprId, bool? proceed = null, string? reason = null) => new
    {
        name,
        email = $"{Guid.NewGuid():N}@example.in",
        password = "a-long-enough-password",
        hprId,
        qualification = "MBBS",
        registrationNumber = "MMC-" + Random.Shared.Next(10000, 99999),
        stateCouncil = "Maharashtra Medical Council",
        proceedUnverified = proceed,
        unverifiedReason = reason,
    };

    private static string NewHprId() => "71" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_doctor_whose_hpr_id_the_registry_knows_under_their_name_is_registered_verified()
    {
        var hprId = NewHprId();
        var hyphenated = $"{hprId[..2]}-{hprId[2..6]}-{hprId[6..10]}-{hprId[10..]}";
        abdm.Abdm.People.Add(new Professional(hyphenated, "Neha Kulkarni", "neha.kulkarni@hpr.abdm"));

        var answer = await (await Admin()).PostAsJsonAsync("/api/admin/doctors", Doctor("Dr. Neha Kulkarni", hprId));

        await answer.ShouldHave(HttpStatusCode.Created);
        var hpr = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("doctor").GetProperty("hpr");
        hpr.GetProperty("verified").GetBoolean().ShouldBeTrue();
        var listed = await abdm.Host.As((await abdm.Host.SignInStaff(Api.AdminEmail)).AccessToken).GetFromJsonAsync<JsonElement>("/api/doctors");
        listed.EnumerateArray().Single(d => d.GetProperty("hprId").GetString() == hyphenated).GetProperty("hprVerified").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task An_hpr_id_the_registry_does_not_know_is_refused_unless_the_admin_proceeds_with_a_reason_which_is_audited()
    {
        var admin = await Admin();
        var hprId = NewHprId();

        var refused = await admin.PostAsJsonAsync("/api/admin/doctors", Doctor("Dr. Unknown Person", hprId));
        var proceeded = await admin.PostAsJsonAsync("/api/admin/doctors",
            Doctor("Dr. Unknown Person", hprId, proceed: true, reason: "Council certificate seen; HPR application pending"));

        (await refused.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("hprId")[0].GetString()!
            .ShouldContain("is not in the Healthcare Professionals Registry");
        await proceeded.ShouldHave(HttpStatusCode.Created);
        var created = await proceeded.Content.ReadFromJsonAsync<JsonElement>();
        var hpr = created.GetProperty("doctor").GetProperty("hpr");
        hpr.GetProperty("verified").GetBoolean().ShouldBeFalse();
        hpr.GetProperty("status").GetString().ShouldBe("notFound");
        await using var session = abdm.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var staffId = created.GetProperty("id").GetGuid();
        (await session.Events.FetchStreamAsync(staffId)).Select(e => e.Data).OfType<RegistryCheckRecorded>().Single().Check.ProceedReason
            .ShouldBe("Council certificate seen; HPR application pending");
        (await session.Query<AuditEntry>().Where(e => e.Resource == $"account/{staffId}").ToListAsync())
            .ShouldContain(e => e.Action.Contains("unverified") && e.Action.Contains("HPR application pending"));
    }

    [Fact]
    public async Task A_facility_the_hfr_knows_is_verified_and_one_it_does_not_is_refused()
    {
        var admin = await Admin();
        abdm.Abdm.People.Add(new HealthFacility("IN2710000777", "Rural Hospital Junnar", "Maharashtra", "Pune"));

        var known = await admin.PostAsJsonAsync("/api/admin/facilities", new { hfrId = "IN2710000777", name = "Rural Hospital Junnar", district = "Pune", state = "Maharashtra" });
        var unknown = await admin.PostAsJsonAsync("/api/admin/facilities", new { hfrId = "IN2710000778", name = "Nowhere Clinic", district = "Pune", state = "Maharashtra" });

        await known.ShouldHave(HttpStatusCode.Created);
        (await known.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hfr").GetProperty("verified").GetBoolean().ShouldBeTrue();
        (await unknown.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("hfrId")[0].GetString()!
            .ShouldContain("is not in the Health Facility Registry");
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_is_named_and_an_admin_may_still_proceed_with_a_reason()
    {
        var admin = await Admin();
        abdm.Abdm.Faults.FailNext(3, 503, "/v4/int");
        var refused = await admin.PostAsJsonAsync("/api/admin/facilities", new { hfrId = "IN2710000901", name = "PHC Velhe", district = "Pune", state = "Maharashtra" });
        abdm.Abdm.Faults.FailNext(3, 503, "/v4/int");
        var proceeded = await admin.PostAsJsonAsync("/api/admin/facilities", new
        {
            hfrId = "IN2710000901", name = "PHC Velhe", district = "Pune", state = "Maharashtra",
            proceedUnverified = true, unverifiedReason = "HFR down during go-live; will recheck",
        });

        (await refused.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("hfrId")[0].GetString()!.ShouldContain("did not answer");
        await proceeded.ShouldHave(HttpStatusCode.Created);
        (await proceeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hfr").GetProperty("status").GetString().ShouldBe("unavailable");
    }
}
