using System.Globalization;
using System.Text.Json.Nodes;
using QRCoder;

namespace Telemed.AbdmSimulator;

/// <summary>
/// The ABHA service's v3 APIs under /abha/api: the public certificate, login (verify) by ABHA number or ABHA address
/// with a mobile or an Aadhaar OTP, enrolment by Aadhaar OTP with the communication mobile, the profile and the card.
/// Identifiers and OTPs arrive RSA-OAEP (SHA-1) encrypted with the certificate's key, as the service requires.
/// </summary>
public static class AbhaService
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var abha = app.MapGroup("/abha/api/v3");
        abha.MapGet("/profile/public/certificate", (SimulatorState state) =>
            Results.Json(new JsonObject { ["publicKey"] = state.Keys.PublicKey, ["encryptionAlgorithm"] = SimulatorKeys.EncryptionAlgorithm }));
        abha.MapPost("/profile/login/request/otp", LoginByNumberRequestOtp);
        abha.MapPost("/profile/login/verify", LoginByNumberVerify);
        abha.MapGet("/profile/account", Profile);
        abha.MapGet("/profile/account/abha-card", Card);
        abha.MapPost("/phr/web/login/abha/request/otp", LoginByAddressRequestOtp);
        abha.MapPost("/phr/web/login/abha/verify", LoginByAddressVerify);
        abha.MapGet("/phr/web/login/profile/abha-profile", AddressProfile);
        abha.MapPost("/enrollment/request/otp", EnrolmentRequestOtp);
        abha.MapPost("/enrollment/enrol/byAadhaar", EnrolByAadhaar);
        abha.MapPost("/enrollment/auth/byAbdm", EnrolmentVerifyMobile);
        abha.MapGet("/enrollment/enrol/suggestion", AddressSuggestions);
        abha.MapPost("/enrollment/enrol/abha-address", ChooseAddress);
    }

    private static async Task<IResult> LoginByNumberRequestOtp(HttpRequest request, SimulatorState state)
    {
        var login = LoginRequest(await Body(request), "abha-number", "abha-login", state);
        if (login.Refusal is { } refusal)
        {
            return refusal;
        }
        if (!IsAbhaNumber(login.Id!))
        {
            return AbdmErrors.Field("loginId", "LoginId is invalid");
        }
        return state.People.ByNumber(login.Id!) is { } account
            ? SendLoginOtp(state, TransactionKind.LoginByAbhaNumber, login.Scope, login.System!, account)
            : AbdmErrors.Wrapped(400, "ABDM-1013", "Invalid ABHA Number");
    }

    private static async Task<IResult> LoginByAddressRequestOtp(HttpRequest request, SimulatorState state)
    {
        var login = LoginRequest(await Body(request), "abha-address", "abha-address-login", state);
        if (login.Refusal is { } refusal)
        {
            return refusal;
        }
        return state.People.ByAddress(login.Id!) is { } account
            ? SendLoginOtp(state, TransactionKind.LoginByAbhaAddress, login.Scope, login.System!, account)
            : AbdmErrors.Wrapped(400, "ABDM-1132", "Kindly enter valid linked ABHA Address");
    }

    private sealed record Login(string[] Scope, string? System, string? Id, IResult? Refusal);

    /// <summary>A login OTP request's hint, scope (login and how the OTP goes) and decrypted login id, or why it is refused.</summary>
    private static Login LoginRequest(JsonObject body, string hint, string login, SimulatorState state)
    {
        var scope = Scope(body);
        if (body["loginHint"]?.GetValue<string>() != hint)
        {
            return new(scope, null, null, AbdmErrors.Field("loginHint", "Invalid Login Hint"));
        }
        if (OtpSystem(scope, login, body) is not { } system)
        {
            return new(scope, null, null, AbdmErrors.Wrapped(400, "ABDM-1107", "Invalid combinations of scopes"));
        }
        return state.Keys.Decrypt(body["loginId"]?.GetValue<string>()) is { } id
            ? new(scope, system, id, null)
            : new(scope, system, null, AbdmErrors.Field("loginId", "Invalid LoginId"));
    }

    private static IResult SendLoginOtp(SimulatorState state, TransactionKind kind, string[] scope, string system, AbhaAccount account)
    {
        if (account.Status != "ACTIVE")
        {
            return AbdmErrors.Wrapped(400, "ABDM-1134", "Deactivated ABHA Account");
        }
        var aadhaar = system == "aadhaar";
        var mobile = aadhaar ? account.Person.Mobile : account.Mobile;
        if (mobile is null)
        {
            return AbdmErrors.Wrapped(400, "ABDM-1102", "Mobile number verification is pending.");
        }
        var transaction = state.Begin(kind, scope, mobile,
            aadhaar ? "{otp} is the OTP for Aadhaar authentication. UIDAI" : "{otp} is the OTP to log in to your ABHA. Valid for 10 minutes. ABDM", account);
        return Results.Json(new JsonObject
        {
            ["txnId"] = transaction.Id,
            ["message"] = aadhaar
                ? $"OTP sent to Aadhaar registered mobile number ending with {Masked(mobile)}"
                : $"OTP sent to mobile number ending with {Masked(mobile)}",
        });
    }

    private static async Task<IResult> LoginByNumberVerify(HttpRequest request, SimulatorState state)
    {
        var body = await Body(request);
        var checkedOtp = CheckOtp(state, body, TransactionKind.LoginByAbhaNumber);
        if (checkedOtp.Refusal is { } refusal)
        {
            return refusal;
        }
        var (transaction, right) = (checkedOtp.Transaction!, checkedOtp.Right);
        if (!right)
        {
            return Results.Json(new JsonObject
            {
                ["txnId"] = transaction.Id,
                ["authResult"] = "failed",
                ["message"] = "Entered OTP is incorrect. Kindly re-enter valid OTP.",
                ["accounts"] = new JsonArray(),
            });
        }
        var account = transaction.Account!;
        return Results.Json(new JsonObject
        {
            ["txnId"] = transaction.Id,
            ["authResult"] = "success",
            ["message"] = "OTP verified successfully",
            ["token"] = state.UserToken(account, state.Issuer),
            ["expiresIn"] = state.Options.UserTokenSeconds,
            ["refreshToken"] = Guid.NewGuid().ToString("N"),
            ["refreshExpiresIn"] = 1296000,
            ["accounts"] = new JsonArray(new JsonObject
            {
                ["ABHANumber"] = account.Number,
                ["preferredAbhaAddress"] = account.PreferredAddress,
                ["name"] = account.Person.Name,
                ["gender"] = account.Person.Gender,
                ["dob"] = account.Person.DateOfBirth.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
                ["status"] = account.Status,
                ["profilePhoto"] = null,
                ["kycVerified"] = true,
            }),
        });
    }

    private static async Task<IResult> LoginByAddressVerify(HttpRequest request, SimulatorState state)
    {
        var body = await Body(request);
        var checkedOtp = CheckOtp(state, body, TransactionKind.LoginByAbhaAddress);
        if (checkedOtp.Refusal is { } refusal)
        {
            return refusal;
        }
        var (transaction, right) = (checkedOtp.Transaction!, checkedOtp.Right);
        if (!right)
        {
            return Results.Json(new JsonObject
            {
                ["authResult"] = "failed",
                ["message"] = "Entered OTP is incorrect. Kindly re-enter valid OTP.",
                ["users"] = new JsonArray(),
            });
        }
        var account = transaction.Account!;
        return Results.Json(new JsonObject
        {
            ["message"] = "OTP verified successfully",
            ["authResult"] = "success",
            ["users"] = new JsonArray(new JsonObject
            {
                ["abhaAddress"] = account.PreferredAddress,
                ["fullName"] = account.Person.Name,
                ["abhaNumber"] = account.Number,
                ["status"] = account.Status,
                ["kycStatus"] = "VERIFIED",
            }),
            ["tokens"] = new JsonObject
            {
                ["token"] = state.UserToken(account, state.Issuer),
                ["expiresIn"] = state.Options.UserTokenSeconds,
                ["refreshToken"] = Guid.NewGuid().ToString("N"),
                ["refreshExpiresIn"] = 1296000,
            },
        });
    }

    private sealed record OtpCheck(IResult? Refusal, OtpTransaction? Transaction, bool Right);

    /// <summary>The transaction named in authData.otp and whether its OTP is right; a locked or expired one is refused.</summary>
    private static OtpCheck CheckOtp(SimulatorState state, JsonObject body, params TransactionKind[] kinds)
    {
        var otp = body["authData"]?["otp"];
        if (body["authData"]?["authMethods"]?.AsArray().Any(m => m?.GetValue<string>() == "otp") != true || otp is null)
        {
            return new(AbdmErrors.Field("authData", "Invalid Auth Data"), null, false);
        }
        var txnId = otp["txnId"]?.GetValue<string>() ?? "";
        if (!Guid.TryParse(txnId, out _))
        {
            return new(AbdmErrors.Field("txnId", "Invalid Transaction Id"), null, false);
        }
        if (!state.Transactions.TryGetValue(txnId, out var transaction) || !kinds.Contains(transaction.Kind) || transaction.Spent
            || transaction.ExpiresAt < DateTimeOffset.UtcNow)
        {
            return new(AbdmErrors.InvalidTransaction(), null, false);
        }
        if (body["scope"] is not null && !Scope(body).SequenceEqual(transaction.Scope))
        {
            return new(AbdmErrors.Wrapped(400, "ABDM-1107", "Invalid combinations of scopes"), null, false);
        }
        if (transaction.WrongAttempts >= state.Options.OtpAttempts)
        {
            return new(AbdmErrors.TooManyAttempts(), null, false);
        }
        var value = state.Keys.Decrypt(otp["otpValue"]?.GetValue<string>());
        if (value is null)
        {
            return new(AbdmErrors.Field("otpValue", "Invalid OTP value"), null, false);
        }
        if (value != transaction.Otp)
        {
            transaction.WrongAttempts++;
            return new(null, transaction, false);
        }
        transaction.Spent = true;
        return new(null, transaction, true);
    }

    private static async Task<IResult> EnrolmentRequestOtp(HttpRequest request, SimulatorState state)
    {
        var body = await Body(request);
        var scope = Scope(body);
        var hint = body["loginHint"]?.GetValue<string>();
        if (scope.SequenceEqual(["abha-enrol"]) && hint == "aadhaar" && body["otpSystem"]?.GetValue<string>() == "aadhaar")
        {
            var aadhaar = state.Keys.Decrypt(body["loginId"]?.GetValue<string>());
            if (aadhaar is null || !Verhoeff.IsValid(aadhaar))
            {
                // The enrolment endpoint answers every unreadable or invalid identifier alike (docs: it "refuses every input identically").
                return AbdmErrors.Field("loginId", "Invalid LoginId");
            }
            if (state.People.Resident(aadhaar) is not { } resident)
            {
                return AbdmErrors.Wrapped(400, "ABDM-1204", "UIDAI Error code : 998 : Invalid Aadhaar Number or Non Availability of Aadhaar data");
            }
            var transaction = state.Begin(TransactionKind.EnrolByAadhaar, scope, resident.Mobile, "{otp} is the OTP for Aadhaar authentication. UIDAI", resident: resident);
            return Results.Json(new JsonObject
            {
                ["txnId"] = transaction.Id,
                ["message"] = $"OTP sent to Aadhaar registered mobile number ending with {Masked(resident.Mobile)}",
            });
        }
        if (scope.SequenceEqual(["abha-enrol", "mobile-verify"]) && hint == "mobile" && body["otpSystem"]?.GetValue<string>() == "abdm")
        {
            var mobile = state.Keys.Decrypt(body["loginId"]?.GetValue<string>());
            if (mobile is null || mobile.Length != 10 || !mobile.All(char.IsAsciiDigit))
            {
                return AbdmErrors.Field("loginId", "Invalid LoginId");
            }
            if (!state.Transactions.TryGetValue(body["txnId"]?.GetValue<string>() ?? "", out var enrolment) || enrolment.Kind != TransactionKind.EnrolByAadhaar
                || enrolment.Account is null || enrolment.ExpiresAt < DateTimeOffset.UtcNow)
            {
                return AbdmErrors.InvalidTransaction();
            }
            var transaction = state.Begin(TransactionKind.EnrolMobile, scope, mobile, "{otp} is the OTP to verify your mobile for ABHA. ABDM",
                account: enrolment.Account, mobile: mobile);
            return Results.Json(new JsonObject { ["txnId"] = transaction.Id, ["message"] = $"OTP sent to mobile number ending with {Masked(mobile)}" });
        }
        return AbdmErrors.Wrapped(400, "ABDM-1107", "Invalid combinations of scopes");
    }

    private static async Task<IResult> EnrolByAadhaar(HttpRequest request, SimulatorState state)
    {
        var body = await Body(request);
        if (body["consent"]?["code"]?.GetValue<string>() != "abha-enrollment" || body["consent"]?["version"]?.GetValue<string>() is not { Length: > 0 })
        {
            return AbdmErrors.Field("consent", "Invalid Consent");
        }
        var mobile = body["authData"]?["otp"]?["mobile"]?.GetValue<string>();
        if (mobile is null || mobile.Length != 10 || !mobile.All(char.IsAsciiDigit))
        {
            return AbdmErrors.Field("mobile", "Invalid Mobile Number");
        }
        var checkedOtp = CheckOtp(state, body, TransactionKind.EnrolByAadhaar);
        if (checkedOtp.Refusal is { } refusal)
        {
            return refusal;
        }
        var (transaction, right) = (checkedOtp.Transaction!, checkedOtp.Right);
        if (!right)
        {
            return AbdmErrors.Wrapped(400, "ABDM-1204", "UIDAI Error code : 400 : Invalid Aadhaar OTP value.");
        }
        var resident = transaction.Resident!;
        var existing = state.People.ByResident(resident);
        var account = existing ?? state.People.Open(resident);
        if (existing is null)
        {
            // A communication mobile other than the Aadhaar-linked one is linked only once it is verified by its own OTP.
            account.Mobile = mobile == resident.Mobile ? mobile : null;
        }
        // The transaction carries on: the mobile is verified under it.
        transaction.Account = account;
        transaction.Spent = false;
        transaction.Otp = Guid.NewGuid().ToString();
        return Results.Json(new JsonObject
        {
            ["message"] = existing is null ? "Account created successfully" : "This account already exist",
            ["txnId"] = transaction.Id,
            ["tokens"] = new JsonObject
            {
                ["token"] = state.UserToken(account, state.Issuer),
                ["expiresIn"] = state.Options.UserTokenSeconds,
                ["refreshToken"] = Guid.NewGuid().ToString("N"),
                ["refreshExpiresIn"] = 1296000,
            },
            ["ABHAProfile"] = new JsonObject
            {
                ["firstName"] = account.FirstName,
                ["middleName"] = account.MiddleName,
                ["lastName"] = account.LastName,
                ["dob"] = resident.DateOfBirth.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
                ["gender"] = resident.Gender,
                ["photo"] = null,
                ["mobile"] = account.Mobile,
                ["email"] = null,
                ["phrAddress"] = new JsonArray([.. account.Addresses.Select(a => (JsonNode)a)]),
                ["address"] = $"{resident.District}, {resident.State}",
                ["districtCode"] = "521",
                ["stateCode"] = "27",
                ["pinCode"] = "411005",
                ["abhaType"] = "STANDARD",
                ["stateName"] = resident.State,
                ["districtName"] = resident.District,
                ["ABHANumber"] = account.Number,
                ["abhaStatus"] = account.Status,
            },
            ["isNew"] = existing is null,
        });
    }

    private static async Task<IResult> EnrolmentVerifyMobile(HttpRequest request, SimulatorState state)
    {
        var body = await Body(request);
        if (!Scope(body).SequenceEqual(["abha-enrol", "mobile-verify"]))
        {
            return AbdmErrors.Wrapped(400, "ABDM-1107", "Invalid combinations of scopes");
        }
        var checkedOtp = CheckOtp(state, body, TransactionKind.EnrolMobile);
        if (checkedOtp.Refusal is { } refusal)
        {
            return refusal;
        }
        var (transaction, right) = (checkedOtp.Transaction!, checkedOtp.Right);
        if (!right)
        {
            return Results.Json(new JsonObject
            {
                ["message"] = "Entered OTP is incorrect. Kindly re-enter valid OTP.",
                ["txnId"] = transaction.Id,
                ["authResult"] = "failed",
                ["accounts"] = new JsonArray(),
            });
        }
        transaction.Account!.Mobile = transaction.Mobile;
        return Results.Json(new JsonObject
        {
            ["message"] = "Mobile number is now successfully linked to your Account",
            ["txnId"] = transaction.Id,
            ["authResult"] = "success",
            ["accounts"] = new JsonArray(new JsonObject { ["ABHANumber"] = transaction.Account.Number }),
        });
    }

    private static async Task<IResult> Profile(HttpRequest request, SimulatorState state)
    {
        if (await Holder(request, state) is not { } account)
        {
            return AbdmErrors.Wrapped(401, "ABDM-1158", "Invalid X-Token");
        }
        var person = account.Person;
        return Results.Json(new JsonObject
        {
            ["ABHANumber"] = account.Number,
            ["preferredAbhaAddress"] = account.PreferredAddress,
            ["mobile"] = account.Mobile,
            ["mobileVerified"] = account.Mobile is not null,
            ["firstName"] = account.FirstName,
            ["middleName"] = account.MiddleName,
            ["lastName"] = account.LastName,
            ["name"] = person.Name,
            ["yearOfBirth"] = person.DateOfBirth.Year.ToString(CultureInfo.InvariantCulture),
            ["monthOfBirth"] = person.DateOfBirth.Month.ToString("D2", CultureInfo.InvariantCulture),
            ["dayOfBirth"] = person.DateOfBirth.Day.ToString("D2", CultureInfo.InvariantCulture),
            ["gender"] = person.Gender,
            ["email"] = null,
            ["profilePhoto"] = null,
            ["kycVerified"] = true,
            ["status"] = account.Status,
            ["abhaType"] = "STANDARD",
            ["phrAddress"] = new JsonArray([.. account.Addresses.Select(a => (JsonNode)a)]),
            ["address"] = $"{person.District}, {person.State}",
            ["districtName"] = person.District,
            ["stateName"] = person.State,
            ["pincode"] = "411005",
        });
    }

    private static async Task<IResult> AddressProfile(HttpRequest request, SimulatorState state)
    {
        if (await Holder(request, state) is not { } account)
        {
            return AbdmErrors.Wrapped(401, "ABDM-1158", "Invalid X-Token");
        }
        var person = account.Person;
        return Results.Json(new JsonObject
        {
            ["abhaAddress"] = account.PreferredAddress,
            ["fullName"] = person.Name,
            ["firstName"] = account.FirstName,
            ["middleName"] = account.MiddleName,
            ["lastName"] = account.LastName,
            ["dayOfBirth"] = person.DateOfBirth.Day.ToString("D2", CultureInfo.InvariantCulture),
            ["monthOfBirth"] = person.DateOfBirth.Month.ToString("D2", CultureInfo.InvariantCulture),
            ["yearOfBirth"] = person.DateOfBirth.Year.ToString(CultureInfo.InvariantCulture),
            ["gender"] = person.Gender,
            ["mobile"] = account.Mobile,
            ["email"] = null,
            ["abhaNumber"] = account.Number,
            ["status"] = account.Status,
            ["kycStatus"] = "VERIFIED",
            ["stateName"] = person.State,
            ["districtName"] = person.District,
            ["pinCode"] = "411005",
            ["address"] = $"{person.District}, {person.State}",
        });
    }

    /// <summary>The ABHA card as an image: a QR code carrying the holder's ABHA number, address and name (the card ABDM renders has these and more).</summary>
    private static async Task<IResult> Card(HttpRequest request, SimulatorState state)
    {
        if (await Holder(request, state) is not { } account)
        {
            return AbdmErrors.Wrapped(401, "ABDM-1158", "Invalid X-Token");
        }
        var content = new JsonObject { ["hidn"] = account.Number, ["hid"] = account.PreferredAddress, ["name"] = account.Person.Name }.ToJsonString();
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        return Results.File(new PngByteQRCode(code).GetGraphic(8), "image/png");
    }

    /// <summary>ABHA addresses free to take, made from the new account's name and birth date (without the @sbx suffix, as ABDM lists them).</summary>
    private static IResult AddressSuggestions(HttpRequest request, SimulatorState state)
    {
        if (Enrolled(state, request.Headers["Transaction_Id"].ToString()) is not { } account)
        {
            return AbdmErrors.InvalidTransaction();
        }
        var first = Handle(account.FirstName);
        var last = Handle(account.LastName);
        var born = account.Person.DateOfBirth;
        string[] candidates =
        [
            $"{first}.{last}", $"{first}{last}{born.Year}", $"{first}.{last}{born:ddMM}", $"{first}{born.Year}", $"{last}.{first}{born:yy}",
        ];
        var free = candidates.Where(c => IsAddressName(c) && state.People.ByAddress($"{c}{AddressSuffix}") is null).Distinct().ToList();
        return Results.Json(new JsonObject { ["txnId"] = request.Headers["Transaction_Id"].ToString(), ["abhaAddressList"] = new JsonArray([.. free.Select(a => (JsonNode)a)]) });
    }

    /// <summary>Gives the new account the ABHA address its holder chose (preferred: 1 makes it the one shown first).</summary>
    private static async Task<IResult> ChooseAddress(HttpRequest request, SimulatorState state)
    {
        var body = await Body(request);
        var transactionId = body["txnId"]?.GetValue<string>() ?? "";
        if (Enrolled(state, transactionId) is not { } account)
        {
            return AbdmErrors.InvalidTransaction();
        }
        var name = body["abhaAddress"]?.GetValue<string>()?.Trim().ToLowerInvariant() ?? "";
        if (name.EndsWith(AddressSuffix, StringComparison.Ordinal))
        {
            name = name[..^AddressSuffix.Length];
        }
        if (!IsAddressName(name))
        {
            return AbdmErrors.Field("abhaAddress", "Invalid Abha Address");
        }
        var address = $"{name}{AddressSuffix}";
        if (state.People.ByAddress(address) is { } holder && holder != account)
        {
            return AbdmErrors.Wrapped(400, "ABDM-1101", "This ABHA Address already exists. Please create with unique ABHA Address");
        }
        lock (account.Addresses)
        {
            account.Addresses.Remove(address);
            account.Addresses.Insert(body["preferred"]?.GetValue<int>() == 1 ? 0 : account.Addresses.Count, address);
        }
        return Results.Json(new JsonObject { ["txnId"] = transactionId, ["healthIdNumber"] = account.Number, ["preferredAbhaAddress"] = account.PreferredAddress });
    }

    private const string AddressSuffix = "@sbx";

    /// <summary>The account an enrolment transaction created (by Aadhaar, or its mobile's verification), while it lasts.</summary>
    private static AbhaAccount? Enrolled(SimulatorState state, string transactionId) =>
        state.Transactions.TryGetValue(transactionId, out var transaction) && transaction.Kind is TransactionKind.EnrolByAadhaar or TransactionKind.EnrolMobile
        && transaction.ExpiresAt >= DateTimeOffset.UtcNow ? transaction.Account : null;

    /// <summary>ABDM's address policy: 8 to 18 letters and digits with at most one dot and one underscore, neither first nor last.</summary>
    private static bool IsAddressName(string name) =>
        name.Length is >= 8 and <= 18 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_')
        && name.Count(c => c == '.') <= 1 && name.Count(c => c == '_') <= 1;

    private static string Handle(string name) => new([.. name.ToLowerInvariant().Where(char.IsAsciiLetterLower)]);

    /// <summary>The account an X-token (<c>Bearer</c> and the token, as ABDM asks) opens.</summary>
    private static async Task<AbhaAccount?> Holder(HttpRequest request, SimulatorState state)
    {
        var header = request.Headers["X-token"].ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..] : header;
        return state.UserTokens.TryGetValue(token, out var account) && await state.Keys.Read(token, state.Issuer) is not null ? account : null;
    }

    private static string? OtpSystem(string[] scope, string login, JsonObject body)
    {
        var system = body["otpSystem"]?.GetValue<string>();
        return scope.Length == 2 && scope[0] == login && ((scope[1] == "mobile-verify" && system == "abdm") || (scope[1] == "aadhaar-verify" && system == "aadhaar"))
            ? system
            : null;
    }

    private static bool IsAbhaNumber(string value) =>
        value.Length == 17 && value[2] == '-' && value[7] == '-' && value[12] == '-' && value.Replace("-", "", StringComparison.Ordinal).All(char.IsAsciiDigit);

    private static string Masked(string mobile) => $"******{mobile[^4..]}";

    private static string[] Scope(JsonObject body) =>
        body["scope"] is JsonArray scope ? [.. scope.Select(s => s?.GetValue<string>() ?? "")] : [];

    internal static async Task<JsonObject> Body(HttpRequest request)
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(request.Body) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
