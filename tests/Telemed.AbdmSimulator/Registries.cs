using System.Text.Json.Nodes;

namespace Telemed.AbdmSimulator;

/// <summary>
/// The NHPR's search APIs under /v4/int: a professional by HPR ID (<c>searchByHprId</c>, which answers an unknown ID with
/// HTTP 422 and HIS-3008 one level down) and a facility by its HFR ID (FacilityManagement v1.5 facility search).
/// </summary>
public static class Registries
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v4/int/v1/search/searchByHprId/{hprId}", (string hprId, SimulatorState state) =>
            state.People.Professional(hprId) is { } professional
                ? Results.Json(new JsonObject
                {
                    ["hprIdNumber"] = professional.HprIdNumber,
                    ["name"] = professional.Name,
                    ["hprId"] = professional.HprId,
                    ["categoryId"] = professional.CategoryId,
                    ["subCategoryId"] = professional.SubCategoryId,
                    ["authMethods"] = new JsonArray("PASSWORD", "MOBILE_OTP", "AADHAAR_OTP"),
                })
                : Results.Json(new JsonObject
                {
                    ["code"] = "HIS-422",
                    ["message"] = "Unprocessable Entity",
                    ["details"] = new JsonArray(new JsonObject { ["code"] = "HIS-3008", ["message"] = "Invalid HPID.", ["attribute"] = null }),
                }, statusCode: 422));

        app.MapPost("/v4/int/FacilityManagement/v1.5/facility/search", async (HttpRequest request, SimulatorState state) =>
        {
            var body = await AbhaService.Body(request);
            var id = body["facilityId"]?.GetValue<string>() ?? "";
            var facility = id.Length == 0 ? null : state.People.Facility(id.ToUpperInvariant());
            var found = facility is null
                ? new JsonArray()
                : new JsonArray(new JsonObject
                {
                    ["facilityId"] = facility.FacilityId,
                    ["facilityName"] = facility.FacilityName,
                    ["facilityStatus"] = facility.FacilityStatus,
                    ["ownership"] = facility.Ownership,
                    ["stateName"] = facility.State,
                    ["districtName"] = facility.District,
                });
            return Results.Json(new JsonObject
            {
                ["facilities"] = found,
                ["message"] = facility is null ? "No facility found" : "Facility found",
                ["totalFacilities"] = found.Count,
                ["numberOfPages"] = found.Count,
            });
        });
    }
}
