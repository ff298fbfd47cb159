using System.Text.Json.Nodes;

namespace Telemed.AbdmSimulator;

/// <summary>
/// The four error shapes ABDM answers with (docs: "Four error shapes, not one"): the wrapped ABDM error, the flat one
/// with a timestamp, field validation (a key per bad field), and the API gateway's numeric code with a description.
/// </summary>
public static class AbdmErrors
{
    private static string Now => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static IResult Wrapped(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    public static IResult Flat(int status, string code, string message) =>
        Results.Json(new JsonObject { ["code"] = code, ["message"] = message, ["timestamp"] = Now }, statusCode: status);

    public static IResult Field(string field, string message) =>
        Results.Json(new JsonObject { [field] = message, ["timestamp"] = Now }, statusCode: 400);

    public static IResult InvalidCredentials() =>
        Results.Json(new JsonObject
        {
            ["code"] = "900901",
            ["message"] = "Invalid Credentials",
            ["description"] = "Invalid JWT token. Make sure you have provided the correct security credentials",
        }, statusCode: 401);

    public static IResult InvalidTransaction() => Wrapped(400, "ABDM-1017", "Invalid Transaction Id");

    public static IResult TooManyAttempts() =>
        Wrapped(400, "ABDM-1100", "You have requested multiple OTPs Or Exceeded maximum number of attempts for OTP match in this transaction. Please try again in 30 minutes.");

    public static IResult Unavailable() => Wrapped(503, "ABDM-1019", "Dependent Service Unavailable");
}
