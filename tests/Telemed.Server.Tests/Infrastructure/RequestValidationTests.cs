using System.Net;
using System.Net.Http.Json;
using System.Text;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

public class RequestValidationTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Malformed_json_is_refused_as_a_problem()
    {
        var response = await Host.CreateClient().PostAsync("/api/auth/otp", Json("{\"mobile\": \"98765"));

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("title").GetString().ShouldContain("not valid JSON");
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_named()
    {
        var response = await Host.CreateClient().PostAsync("/api/patients", Json("{\"name\":\"A\",\"yearOfBirth\":\"nineteen eighty\"}"));

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").TryGetProperty("yearOfBirth", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Missing_fields_are_each_named()
    {
        var response = await Host.CreateClient().PostAsync("/api/patients", Json("{}"));

        await response.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await response.Problem()).GetProperty("errors");
        foreach (var field in new[] { "name", "yearOfBirth", "sex", "mobile", "code" })
        {
            errors.TryGetProperty(field, out _).ShouldBeTrue($"{field} should be named");
        }
    }

    [Fact]
    public async Task An_empty_body_is_refused()
    {
        var response = await Host.CreateClient().PostAsync("/api/auth/sign-in", Json(""));

        await response.ShouldHave(HttpStatusCode.BadRequest);
        await response.Problem();
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused()
    {
        var admin = await Host.SignInStaff(Api.AdminEmail);

        var response = await Host.As(admin.AccessToken).PostAsync("/api/admin/facilities", new StringContent("hfrId=IN1", Encoding.UTF8, "text/plain"));

        await response.ShouldHave(HttpStatusCode.UnsupportedMediaType);
        await response.Problem();
    }

    [Fact]
    public async Task An_invalid_mobile_number_is_explained()
    {
        var response = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile = "12345" });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").GetProperty("mobile")[0].GetString().ShouldContain("Indian number");
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_too()
    {
        var admin = await Host.SignInStaff(Api.AdminEmail);

        var response = await Host.As(admin.AccessToken).GetAsync("/api/no-such-thing");

        await response.ShouldHave(HttpStatusCode.NotFound);
        await response.Problem();
    }
}
