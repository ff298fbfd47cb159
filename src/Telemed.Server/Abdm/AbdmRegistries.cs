using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Server.Identity;

namespace Telemed.Server.Abdm;

/// <summary>
/// The NHPR's searches: a professional by HPR ID (<c>/v1/search/searchByHprId/{id}</c>, which answers an unknown ID with
/// HTTP 422 and <c>HIS-3008</c> one level down, or 404) and a facility by HFR ID (<c>/FacilityManagement/v1.5/facility/search</c>).
/// Without ABDM configured nothing is asked.
/// </summary>
public sealed class AbdmRegistries(AbdmHttp abdm, IOptions<AbdmOptions> options) : IRegistryLookup
{
    public async Task<RegistryAnswer> Professional(string hprId, CancellationToken cancellationToken) =>
        await Ask(async () =>
        {
            var answer = await abdm.Send(HttpMethod.Get, options.Value.Registry($"/v1/search/searchByHprId/{Uri.EscapeDataString(hprId)}"), null, cancellationToken);
            return answer["hprIdNumber"]?.GetValue<string>() == hprId
                ? new RegistryAnswer(RegistryStatus.Verified, answer["name"]?.GetValue<string>())
                : new RegistryAnswer(RegistryStatus.NotFound, null);
        });

    public async Task<RegistryAnswer> Facility(string hfrId, CancellationToken cancellationToken) =>
        await Ask(async () =>
        {
            var answer = await abdm.Send(HttpMethod.Post, options.Value.Registry("/FacilityManagement/v1.5/facility/search"), new JsonObject
            {
                ["ownershipCode"] = "",
                ["stateLGDCode"] = "",
                ["districtLGDCode"] = "",
                ["subDistrictLGDCode"] = "",
                ["pincode"] = "",
                ["facilityName"] = "",
                ["facilityId"] = hfrId,
                ["page"] = 1,
                ["resultsPerPage"] = 10,
            }, cancellationToken);
            var facility = (answer["facilities"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(f => string.Equals(f["facilityId"]?.GetValue<string>(), hfrId, StringComparison.OrdinalIgnoreCase));
            return facility is null
                ? new RegistryAnswer(RegistryStatus.NotFound, null)
                : new RegistryAnswer(RegistryStatus.Verified, facility["facilityName"]?.GetValue<string>());
        });

    private async Task<RegistryAnswer> Ask(Func<Task<RegistryAnswer>> ask)
    {
        if (!options.Value.Configured)
        {
            return new RegistryAnswer(RegistryStatus.NotChecked, null);
        }
        try
        {
            return await ask();
        }
        catch (AbdmRefusedException e) when (e.Error.Status is 404 or 422 || e.Error.Code == "HIS-3008")
        {
            return new RegistryAnswer(RegistryStatus.NotFound, null);
        }
        catch (Exception e) when (e is AbdmRefusedException or AbdmUnavailableException)
        {
            return new RegistryAnswer(RegistryStatus.Unavailable, null);
        }
    }
}
