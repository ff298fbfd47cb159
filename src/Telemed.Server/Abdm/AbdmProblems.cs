using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain.Abdm;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Abdm;

/// <summary>ABDM's refusals and silences as RFC 7807 answers a patient or an admin can act on.</summary>
public static class AbdmProblems
{
    /// <summary>Seconds a client is asked to wait before trying ABDM again.</summary>
    public const int RetryAfterSeconds = 30;

    public static ProblemHttpResult NotConfigured() => TypedResults.Problem(
        "ABDM is not configured on this server (Abdm:ClientId), so ABHA cannot be verified or created here.",
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "ABDM not configured");

    public static ProblemHttpResult Unavailable(HttpContext http, int attempts)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"ABDM did not answer after {attempts} tries: it may be busy or down. Nothing was changed; try again in a minute.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "ABDM is not answering");
    }

    public static ProblemHttpResult Refused(AbdmError error) => error.Code switch
    {
        "ABDM-1017" => Gone("ABDM no longer knows this verification: it expired or was already used. Start again and a new OTP will be sent."),
        "ABDM-1100" => Problems.TooManyRequests("Too many wrong OTPs: ABDM locked this verification. Start again and a new OTP will be sent."),
        "ABDM-1013" => Problems.NotFound("ABDM has no ABHA with this number. Check the 14 digits on the ABHA card."),
        "ABDM-1132" => Problems.NotFound("ABDM has no ABHA with this address. Check the address (name@abdm, or name@sbx in the sandbox)."),
        "ABDM-1134" => Problems.Conflict("This ABHA is deactivated. Its holder can reactivate it in the ABHA app."),
        "ABDM-1101" => Problems.Conflict("This ABHA address is taken. Choose another one."),
        "ABDM-1102" => Problems.Conflict("This ABHA has no verified mobile number: verify it with an OTP to the Aadhaar-linked mobile instead."),
        "ABDM-1204" when error.Message.Contains("OTP", StringComparison.OrdinalIgnoreCase) => WrongOtp(),
        "ABDM-1204" when error.Message.Contains("998", StringComparison.Ordinal) => Problems.NotFound("UIDAI has no record of this Aadhaar number."),
        _ => TypedResults.Problem($"ABDM refused the request: {error.Message}{(error.Code is null ? "" : $" ({error.Code})")}.",
            statusCode: StatusCodes.Status502BadGateway, title: "ABDM refused the request"),
    };

    public static ProblemHttpResult WrongOtp() => Problems.Invalid("otp", "The OTP is not right. Check the SMS and type the 6 digits again.");

    public static ProblemHttpResult Gone(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status410Gone, title: "Gone");

    public static ProblemHttpResult Refused(AbhaRefusal refusal) => refusal.Code switch
    {
        AbhaRefusalCode.NotThisPatient => TypedResults.Problem(refusal.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Not this patient's ABHA"),
        _ => Problems.Conflict(refusal.Message),
    };
}
