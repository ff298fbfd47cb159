using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;

namespace Telemed.Server.Abdm;

/// <summary>Who sends the OTP that proves an ABHA: ABDM, to the ABHA's mobile, or UIDAI, to the mobile linked to its Aadhaar.</summary>
public enum OtpVia
{
    Mobile,
    Aadhaar,
}

/// <summary>An OTP on its way: ABDM's transaction id, its scope (the verify call repeats it), and ABDM's words on where it went.</summary>
public sealed record OtpSent(string TransactionId, string[] Scope, string Message);

/// <summary>What a verified OTP gives: the user token (X-token) to read the account with, or ABDM's reason it was not right.</summary>
public sealed record OtpChecked(bool Verified, string? UserToken, string Message);

/// <summary>What an enrolment by Aadhaar gives: the ABHA (new or already held), a user token, and whether the mobile was linked with it.</summary>
public sealed record Enrolment(AbhaProfile Profile, string UserToken, bool MobileLinked, bool IsNew);

/// <summary>
/// The ABHA service's v3 APIs: login (to verify an ABHA) by ABHA number (/v3/profile/login) or ABHA address
/// (/v3/phr/web/login), enrolment by Aadhaar OTP with the communication mobile (/v3/enrollment), the profile and the
/// card. Identifiers and OTPs go encrypted; the user token goes as <c>X-token: Bearer …</c>.
/// </summary>
public sealed class AbhaClient(AbdmHttp abdm, AbhaEncryption encryption, IOptions<AbdmOptions> options)
{
    private AbdmOptions Settings => options.Value;

    public async Task<OtpSent> RequestLoginOtp(AbhaNumber? number, AbhaAddress? address, OtpVia via, CancellationToken cancellationToken)
    {
        var byNumber = number is not null;
        string[] scope = [byNumber ? "abha-login" : "abha-address-login", via == OtpVia.Aadhaar ? "aadhaar-verify" : "mobile-verify"];
        var answer = await abdm.Send(HttpMethod.Post,
            Settings.Abha(byNumber ? "/v3/profile/login/request/otp" : "/v3/phr/web/login/abha/request/otp"),
            new JsonObject
            {
                ["scope"] = Array(scope),
                ["loginHint"] = byNumber ? "abha-number" : "abha-address",
                ["loginId"] = await encryption.Encrypt(byNumber ? number!.Value : address!.Value, cancellationToken),
                ["otpSystem"] = via == OtpVia.Aadhaar ? "aadhaar" : "abdm",
            }, cancellationToken);
        return Sent(answer, scope);
    }

    public async Task<OtpChecked> VerifyLoginOtp(bool byNumber, OtpSent sent, string otp, CancellationToken cancellationToken)
    {
        var answer = await abdm.Send(HttpMethod.Post,
            Settings.Abha(byNumber ? "/v3/profile/login/verify" : "/v3/phr/web/login/abha/verify"),
            await OtpBody(sent, otp, null, cancellationToken), cancellationToken);
        var verified = answer["authResult"]?.GetValue<string>() == "success";
        var token = byNumber ? Text(answer["token"]) : Text(answer["tokens"]?["token"]);
        return new OtpChecked(verified && token is not null, token, Text(answer["message"]) ?? "");
    }

    /// <summary>The profile behind a user token from a login by ABHA number (account) or by ABHA address (PHR profile).</summary>
    public async Task<AbhaProfile> Profile(bool byNumber, string userToken, CancellationToken cancellationToken)
    {
        var answer = await abdm.Send(HttpMethod.Get,
            Settings.Abha(byNumber ? "/v3/profile/account" : "/v3/phr/web/login/profile/abha-profile"), null, cancellationToken, WithUser(userToken));
        return byNumber
            ? Read(Text(answer["ABHANumber"]), Text(answer["preferredAbhaAddress"]), Text(answer["name"]), answer)
            : Read(Text(answer["abhaNumber"]), Text(answer["abhaAddress"]), Text(answer["fullName"]), answer);
    }

    public async Task<OtpSent> RequestEnrolmentOtp(AadhaarNumber aadhaar, CancellationToken cancellationToken)
    {
        string[] scope = ["abha-enrol"];
        var answer = await abdm.Send(HttpMethod.Post, Settings.Abha("/v3/enrollment/request/otp"), new JsonObject
        {
            ["txnId"] = "",
            ["scope"] = Array(scope),
            ["loginHint"] = "aadhaar",
            ["loginId"] = await encryption.Encrypt(aadhaar.Digits, cancellationToken),
            ["otpSystem"] = "aadhaar",
        }, cancellationToken);
        return Sent(answer, scope);
    }

    /// <summary>Creates the ABHA (or finds the one this Aadhaar already has), with <paramref name="mobile"/> as its communication mobile.</summary>
    public async Task<Enrolment> EnrolByAadhaar(OtpSent sent, string otp, MobileNumber mobile, CancellationToken cancellationToken)
    {
        var body = await OtpBody(sent, otp, mobile.Value[^10..], cancellationToken);
        body.Remove("scope");
        body["consent"] = new JsonObject { ["code"] = "abha-enrollment", ["version"] = "1.4" };
        var answer = await abdm.Send(HttpMethod.Post, Settings.Abha("/v3/enrollment/enrol/byAadhaar"), body, cancellationToken);
        var profile = answer["ABHAProfile"] as JsonObject ?? [];
        var name = string.Join(' ', new[] { Text(profile["firstName"]), Text(profile["middleName"]), Text(profile["lastName"]) }.Where(n => !string.IsNullOrWhiteSpace(n)));
        var addresses = profile["phrAddress"] as JsonArray;
        var read = Read(Text(profile["ABHANumber"]), addresses?.Select(Text).FirstOrDefault(a => a is not null), name, profile);
        var token = Text(answer["tokens"]?["token"]) ?? Text(answer["token"]) ?? throw new AbdmUnavailableException("the enrolment answer carried no token");
        return new Enrolment(read, token, Text(profile["mobile"]) is not null, answer["isNew"] is JsonValue isNew && isNew.TryGetValue<bool>(out var created) && created);
    }

    /// <summary>Sends an OTP to a communication mobile that is not the one linked to the Aadhaar, under the enrolment's transaction.</summary>
    public async Task<OtpSent> RequestMobileOtp(OtpSent enrolment, MobileNumber mobile, CancellationToken cancellationToken)
    {
        string[] scope = ["abha-enrol", "mobile-verify"];
        var answer = await abdm.Send(HttpMethod.Post, Settings.Abha("/v3/enrollment/request/otp"), new JsonObject
        {
            ["txnId"] = enrolment.TransactionId,
            ["scope"] = Array(scope),
            ["loginHint"] = "mobile",
            ["loginId"] = await encryption.Encrypt(mobile.Value[^10..], cancellationToken),
            ["otpSystem"] = "abdm",
        }, cancellationToken);
        return Sent(answer, scope);
    }

    public async Task<OtpChecked> VerifyMobileOtp(OtpSent sent, string otp, CancellationToken cancellationToken)
    {
        var answer = await abdm.Send(HttpMethod.Post, Settings.Abha("/v3/enrollment/auth/byAbdm"), await OtpBody(sent, otp, null, cancellationToken), cancellationToken);
        return new OtpChecked(answer["authResult"]?.GetValue<string>() == "success", null, Text(answer["message"]) ?? "");
    }

    /// <summary>ABHA addresses ABDM offers a new ABHA's holder (handles without the @abdm suffix), under the enrolment's transaction.</summary>
    public async Task<IReadOnlyList<string>> AddressSuggestions(OtpSent enrolment, CancellationToken cancellationToken)
    {
        var answer = await abdm.Send(HttpMethod.Get, Settings.Abha("/v3/enrollment/enrol/suggestion"), null, cancellationToken,
            request => request.Headers.TryAddWithoutValidation("Transaction_Id", enrolment.TransactionId));
        return answer["abhaAddressList"] is JsonArray list ? [.. list.Select(Text).OfType<string>()] : [];
    }

    /// <summary>Gives the new ABHA the address its holder chose (a handle, without the suffix) as its preferred one; ABDM's full address back.</summary>
    public async Task<AbhaAddress> ChooseAddress(OtpSent enrolment, string handle, CancellationToken cancellationToken)
    {
        var answer = await abdm.Send(HttpMethod.Post, Settings.Abha("/v3/enrollment/enrol/abha-address"), new JsonObject
        {
            ["txnId"] = enrolment.TransactionId,
            ["abhaAddress"] = handle,
            ["preferred"] = 1,
        }, cancellationToken);
        var chosen = AbhaAddress.Parse(Text(answer["preferredAbhaAddress"]));
        return chosen.IsSuccess ? chosen.Value : throw new AbdmUnavailableException("the ABHA address answer carried no valid preferredAbhaAddress");
    }

    /// <summary>The ABHA card, as the image the ABHA service renders.</summary>
    public Task<(byte[] Content, string ContentType)> Card(string userToken, CancellationToken cancellationToken) =>
        abdm.Download(Settings.Abha("/v3/profile/account/abha-card"), cancellationToken, WithUser(userToken));

    private async Task<JsonObject> OtpBody(OtpSent sent, string otp, string? mobile, CancellationToken cancellationToken)
    {
        var otpPart = new JsonObject
        {
            ["timeStamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["txnId"] = sent.TransactionId,
            ["otpValue"] = await encryption.Encrypt(otp, cancellationToken),
        };
        if (mobile is not null)
        {
            otpPart["mobile"] = mobile;
        }
        return new JsonObject
        {
            ["scope"] = Array(sent.Scope),
            ["authData"] = new JsonObject { ["authMethods"] = new JsonArray("otp"), ["otp"] = otpPart },
        };
    }

    private static Action<HttpRequestMessage> WithUser(string userToken) =>
        request => request.Headers.TryAddWithoutValidation(AbdmHeaders.UserToken, $"Bearer {userToken}");

    private static OtpSent Sent(JsonObject answer, string[] scope) =>
        new(Text(answer["txnId"]) ?? throw new AbdmUnavailableException("the OTP answer carried no txnId"), scope, Text(answer["message"]) ?? "");

    private static AbhaProfile Read(string? number, string? address, string? name, JsonObject profile) =>
        AbhaProfiles.Read(profile, number, address, name, Text(profile["mobile"]))
        ?? throw new AbdmUnavailableException("the ABHA profile carried no valid ABHA number, name or year of birth");

    private static JsonArray Array(string[] values) => new([.. values.Select(v => (JsonNode)v)]);

    private static string? Text(JsonNode? node) => AbhaProfiles.Text(node);
}
