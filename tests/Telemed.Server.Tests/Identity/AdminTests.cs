using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

public class AdminTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private async Task<HttpClient> Admin() => Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

    [Fact]
    public async Task An_admin_registers_a_facility_and_a_doctor_who_can_then_sign_in()
    {
        var admin = await Admin();
        var facility = await admin.PostAsJsonAsync("/api/admin/facilities", new { hfrId = "in2910000777", name = "PHC Hebbal", district = "Bengaluru Urban", state = "Karnataka" });
        await facility.ShouldHave(HttpStatusCode.Created);
        var facilityId = (await facility.Content.ReadFromJsonAsync<Facility>(Api.Json))!.Id;

        var doctor = await admin.PostAsJsonAsync("/api/admin/doctors", new
        {
            name = "Dr. Sunita Reddy",
            email = "Sunita.Reddy@Example.IN",
            password = "a-long-enough-password",
            hprId = "71987654321098",
            qualification = "MBBS, MS (Obstetrics & Gynaecology)",
            registrationNumber = "KMC-88123",
            stateCouncil = "Karnataka Medical Council",
            specialty = "Obstetrics",
            facilityIds = new[] { facilityId },
        });
        await doctor.ShouldHave(HttpStatusCode.Created);
        var created = await doctor.Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("doctor").GetProperty("hprId").GetString().ShouldBe("71-9876-5432-1098");
        created.GetProperty("email").GetString().ShouldBe("sunita.reddy@example.in");

        var tokens = await Host.SignInStaff("sunita.reddy@example.in", "a-long-enough-password");
        tokens.Role.ShouldBe("doctor");
        var listed = await Host.As(tokens.AccessToken).GetFromJsonAsync<List<DoctorListing>>("/api/doctors", Api.Json);
        listed!.ShouldContain(d => d.HprId == "71-9876-5432-1098");
    }

    [Fact]
    public async Task An_admin_registers_a_pharmacy_and_its_pharmacist_who_can_then_sign_in()
    {
        var admin = await Admin();
        var pharmacy = await admin.PostAsJsonAsync("/api/admin/pharmacies", new
        {
            name = "Mathew Medicals", licenceNumber = "KL-EKM-20-4411", district = "Ernakulam", state = "Kerala",
        });
        await pharmacy.ShouldHave(HttpStatusCode.Created);
        var pharmacyId = (await pharmacy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var pharmacist = new
        {
            name = "Joseph Mathew",
            email = "joseph@pharmacy.example.in",
            password = "another-long-password",
            registrationNumber = "KSPC-4411",
            stateCouncil = "Kerala State Pharmacy Council",
            pharmacyId = (Guid?)null,
        };
        var withoutPharmacy = await admin.PostAsJsonAsync("/api/admin/pharmacists", pharmacist);
        (await withoutPharmacy.Problem()).GetProperty("errors").GetProperty("pharmacyId").GetArrayLength().ShouldBe(1);
        var response = await admin.PostAsJsonAsync("/api/admin/pharmacists", pharmacist with { pharmacyId = pharmacyId });
        await response.ShouldHave(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/admin/pharmacies", new { name = "Copy", licenceNumber = "KL-EKM-20-4411", district = "x", state = "y" }))
            .ShouldHave(HttpStatusCode.Conflict);

        (await Host.SignInStaff("joseph@pharmacy.example.in", "another-long-password")).Role.ShouldBe("pharmacist");
    }

    [Fact]
    public async Task Registered_pharmacies_are_listed_for_admins_to_choose_a_pharmacists_pharmacy_from()
    {
        var admin = await Admin();
        var pharmacy = await admin.PostAsJsonAsync("/api/admin/pharmacies", new { name = "Apollo Pharmacy, Jayanagar", licenceNumber = "KA-BLR-20-7788", district = "Bengaluru Urban", state = "Karnataka" });
        await pharmacy.ShouldHave(HttpStatusCode.Created);

        var listed = await admin.GetFromJsonAsync<List<Pharmacy>>("/api/admin/pharmacies", Api.Json);

        listed!.ShouldContain(p => p.LicenceNumber == "KA-BLR-20-7788" && p.Name == "Apollo Pharmacy, Jayanagar");
        listed.Select(p => p.Name).ShouldBeInOrder();
        var doctor = Host.As((await Host.SignInStaff(Api.DoctorEmail)).AccessToken);
        await (await doctor.GetAsync("/api/admin/pharmacies")).ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_second_doctor_with_the_same_hpr_id_is_refused()
    {
        var admin = await Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/doctors", new
        {
            name = "Dr. Impostor",
            email = "impostor@example.in",
            password = "a-long-enough-password",
            hprId = "71-1234-5678-9012",
            qualification = "MBBS",
            registrationNumber = "X-1",
            stateCouncil = "Delhi Medical Council",
        });

        await response.ShouldHave(HttpStatusCode.Conflict);
        (await response.Problem()).GetProperty("detail").GetString().ShouldContain("71-1234-5678-9012");
    }

    [Fact]
    public async Task Invalid_doctor_details_are_reported_field_by_field()
    {
        var admin = await Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/doctors", new
        {
            name = "Dr. Typo",
            email = "not-an-email",
            password = "short",
            hprId = "72-1234-5678-9012",
            qualification = "MBBS",
            stateCouncil = "Delhi Medical Council",
            facilityIds = new[] { Guid.NewGuid() },
        });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await response.Problem()).GetProperty("errors");
        errors.GetProperty("email")[0].GetString().ShouldContain("name@example.org");
        errors.GetProperty("password")[0].GetString().ShouldContain("at least 10");
        errors.GetProperty("hprId")[0].GetString().ShouldContain("begin with 71");
        errors.GetProperty("registrationNumber")[0].GetString().ShouldContain("required");
    }

    [Fact]
    public async Task A_doctor_may_not_register_other_staff()
    {
        var doctor = Host.As((await Host.SignInStaff(Api.DoctorEmail)).AccessToken);

        var response = await doctor.PostAsJsonAsync("/api/admin/pharmacists", new { name = "X" });

        await response.ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_facility_with_a_malformed_hfr_id_is_refused()
    {
        var admin = await Admin();

        var response = await admin.PostAsJsonAsync("/api/admin/facilities", new { hfrId = "IN12", name = "PHC", district = "D", state = "S" });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").GetProperty("hfrId")[0].GetString().ShouldContain("IN followed by 10");
    }
}
