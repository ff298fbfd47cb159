using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Messages;

public class SmsDeliveryTests(SmsFixture fixture) : IClassFixture<SmsFixture>
{
    private TelemedFactory Host => fixture.Host;

    private async Task<TakenSms> AskForCode(string mobile, string? language = null)
    {
        var before = fixture.Sms.To(mobile).Count;
        var sent = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile, language });
        await sent.ShouldHave(HttpStatusCode.Accepted);
        // A registered number also gets its welcome: a code is the message that starts with one.
        return await Api.Eventually(() => Task.FromResult(fixture.Sms.To(mobile).Skip(before).FirstOrDefault(sms => char.IsAsciiDigit(sms.Text[0]))));
    }

    private static string Code(TakenSms sms) => sms.Text[..6];

    /// <summary>Waits for a new patient's welcome, so it is not still on its way when the next test sets the gateway's faults.</summary>
    private Task<TakenSms> Welcomed(string mobile) =>
        Api.Eventually(() => Task.FromResult(fixture.Sms.To(mobile).FirstOrDefault(sms => sms.Text.StartsWith("Welcome to Telemed", StringComparison.Ordinal))));

    private TokenResponse? admin;

    /// <summary>
    /// The admin signs in once per test: each sign-in takes a fresh authenticator step, which moves the test clock on,
    /// and the polls below would otherwise move it past the retry and expiry times they watch.
    /// </summary>
    private async Task<List<JsonElement>> DeliveryStatus(string? state = null)
    {
        admin ??= await Host.SignInStaff(Api.AdminEmail);
        return (await Host.As(admin.AccessToken).GetFromJsonAsync<List<JsonElement>>($"/api/admin/messages{(state is null ? "" : $"?state={state}")}"))!;
    }

    private async Task<JsonElement> StatusOf(TakenSms sms, Func<JsonElement, bool>? until = null) =>
        await Api.Eventually(async () =>
        {
            var found = (await DeliveryStatus()).Where(m => m.GetProperty("providerId").GetString() == sms.RequestId).Cast<JsonElement?>().FirstOrDefault();
            return found is { } status && (until is null || until(status)) ? (object)status : null;
        }) is JsonElement element ? element : default;

    /// <summary>The admin view of a message, once it satisfies <paramref name="until"/>.</summary>
    private async Task<JsonElement> Status(Guid messageId, Func<JsonElement, bool> until) =>
        (JsonElement)await Api.Eventually(async () =>
            (await DeliveryStatus()).FirstOrDefault(m => m.GetProperty("id").GetGuid() == messageId) is { ValueKind: JsonValueKind.Object } found && until(found)
                ? (object)found
                : null);

    /// <summary>The id of the message queued to a number (a new number is sent its code and nothing else).</summary>
    private async Task<Guid> MessageTo(string mobile) =>
        Guid.Parse(await Api.Eventually(async () =>
        {
            await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var ids = await session.Query<OutgoingMessage>().Where(m => m.To == mobile).Select(m => m.Id).ToListAsync();
            return ids.Count == 1 ? ids[0].ToString() : null;
        }));

    /// <summary>
    /// Lets the refusals of the message to a number pass: after each, waits until the dispatcher has recorded it (so its
    /// back-off is counted from the clock as it was), then moves the clock past the back-off (10 s, doubling) and wakes
    /// the dispatcher.
    /// </summary>
    private async Task<Guid> SitOutRefusals(int refusals, string mobile)
    {
        var dispatcher = Host.Services.GetRequiredService<MessageDispatcher>();
        var messageId = await MessageTo(mobile);
        for (var refusal = 1; refusal <= refusals; refusal++)
        {
            var attempts = refusal;
            await Status(messageId, m => m.GetProperty("attempts").GetInt32() == attempts);
            fixture.Server.Time.Advance(TimeSpan.FromSeconds(10 << (refusal - 1)));
            dispatcher.Wake();
        }
        return messageId;
    }

    [Fact]
    public async Task A_sign_in_code_goes_to_the_gateway_as_its_registered_DLT_template_and_signs_the_patient_in()
    {
        var mobile = Api.NewMobile();
        var sms = await AskForCode(mobile);

        sms.Text.ShouldMatch(@"^\d{6} is your Telemed sign-in code\. It expires in 5 minutes\. Never share it with anyone\.$");
        fixture.Sms.Refusals.ShouldBeEmpty();
        SmsLength.Measure(sms.Text).ShouldBe(new SmsMeasure(SmsEncoding.Gsm7, sms.Text.Length, 1));
        var code = Code(sms);
        var registered = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Anita Desai", yearOfBirth = 1990, sex = "female", mobile, code });
        await registered.ShouldHave(HttpStatusCode.Created);
        await Welcomed(mobile);
    }

    [Fact]
    public async Task A_code_asked_for_in_Hindi_goes_in_Hindi_as_UCS2_within_one_segment()
    {
        var sms = await AskForCode(Api.NewMobile(), "hi");

        sms.Text.ShouldContain("आपका Telemed कोड है।");
        SmsLength.Measure(sms.Text).ShouldBe(new SmsMeasure(SmsEncoding.Ucs2, sms.Text.Length, 1));
        fixture.Sms.Refusals.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_signed_receipt_marks_the_message_delivered_and_admins_see_status_without_text_or_number()
    {
        var mobile = Api.NewMobile();
        var sms = await AskForCode(mobile);

        var status = await StatusOf(sms, s => s.GetProperty("state").GetString() == "delivered");

        status.GetProperty("template").GetString().ShouldBe("SignInCode");
        status.GetProperty("attempts").GetInt32().ShouldBe(1);
        status.GetProperty("to").GetString().ShouldBe($"+91******{mobile[^4..]}");
        var json = status.GetRawText();
        json.ShouldNotContain(Code(sms));
        json.ShouldNotContain(mobile);
        json.ShouldNotContain("variables");
    }

    [Fact]
    public async Task A_receipt_whose_reference_Telemed_did_not_sign_is_refused_and_changes_nothing()
    {
        var sms = await AskForCode(Api.NewMobile());
        await StatusOf(sms, s => s.GetProperty("state").GetString() == "delivered");
        var messageId = sms.Reference.Split('.')[0];

        var forged = await Host.CreateClient().PostAsJsonAsync("/api/messages/sms/receipts",
            new Dictionary<string, string> { ["request_id"] = sms.RequestId, ["status"] = "failed", ["udf1"] = $"{messageId}.AAAAAAAAAAAAAAAAAAAAAA" });

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await forged.Problem()).GetProperty("title").GetString().ShouldBe("Invalid signature");
        (await StatusOf(sms)).GetProperty("state").GetString().ShouldBe("delivered");
    }

    [Fact]
    public async Task Gateway_server_errors_are_retried_with_backoff_and_the_message_is_taken_once()
    {
        var mobile = Api.NewMobile();
        fixture.Sms.FailNext(2, to: mobile);
        var sent = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile });
        await sent.ShouldHave(HttpStatusCode.Accepted);

        var messageId = await SitOutRefusals(2, mobile);
        await fixture.Sms.Nth(mobile, 1);

        fixture.Sms.To(mobile).Count.ShouldBe(1);
        (await Status(messageId, m => m.GetProperty("state").GetString() is "sent" or "delivered")).GetProperty("attempts").GetInt32().ShouldBe(3);
        fixture.Sms.Arrivals.Where(key => key!.StartsWith(messageId.ToString("N"), StringComparison.Ordinal)).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task A_gateway_that_takes_the_message_but_answers_too_late_is_asked_again_with_the_same_key_and_sends_once()
    {
        var mobile = Api.NewMobile();
        fixture.Sms.DelayNext(1, TimeSpan.FromSeconds(3), to: mobile);

        var sms = await AskForCode(mobile);
        await StatusOf(sms, s => s.GetProperty("state").GetString() is "sent" or "delivered");

        fixture.Sms.To(mobile).Count.ShouldBe(1);
        fixture.Sms.Arrivals.Count(key => key == sms.Key).ShouldBeGreaterThanOrEqualTo(2);
        (await StatusOf(sms)).GetProperty("attempts").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task A_slow_gateway_within_the_time_out_is_waited_for()
    {
        var mobile = Api.NewMobile();
        fixture.Sms.DelayNext(1, TimeSpan.FromMilliseconds(600), to: mobile);

        var sms = await AskForCode(mobile);

        fixture.Sms.Arrivals.Count(key => key == sms.Key).ShouldBe(1);
    }

    [Fact]
    public async Task A_message_the_gateway_keeps_refusing_is_dead_lettered_after_the_last_attempt_and_counted()
    {
        var mobile = Api.NewMobile();
        fixture.Sms.FailNext(4, HttpStatusCode.ServiceUnavailable, to: mobile);
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile })).ShouldHave(HttpStatusCode.Accepted);

        var messageId = await SitOutRefusals(3, mobile);
        var dead = await Status(messageId, m => m.GetProperty("state").GetString() == "deadLettered");

        dead.GetProperty("attempts").GetInt32().ShouldBe(4);
        fixture.Sms.To(mobile).ShouldBeEmpty();
        (await Host.CreateClient().GetStringAsync("/metrics")).ShouldContain("telemed_messages_dead_lettered_total");
    }

    [Fact]
    public async Task A_code_that_could_not_be_handed_over_before_it_expired_lapses_instead_of_going_late()
    {
        var mobile = Api.NewMobile();
        fixture.Sms.FailNext(1, to: mobile);
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile })).ShouldHave(HttpStatusCode.Accepted);
        var messageId = await MessageTo(mobile);
        await Status(messageId, m => m.GetProperty("attempts").GetInt32() == 1);

        fixture.Server.Time.Advance(TimeSpan.FromMinutes(6));
        Host.Services.GetRequiredService<MessageDispatcher>().Wake();

        await Status(messageId, m => m.GetProperty("state").GetString() == "lapsed");
        (await DeliveryStatus("lapsed")).ShouldContain(m => m.GetProperty("id").GetGuid() == messageId);
        fixture.Sms.To(mobile).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_scheduled_message_fires_after_a_restart()
    {
        var mobile = Api.NewMobile();
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var queued = Host.Services.GetRequiredService<Messenger>().Queue(
                session, MessageCatalogue.SignInCode, mobile, MessageCatalogue.English, new Dictionary<string, string> { ["minutes"] = "5" },
                new SecretVariable("code", SecretKind.SignInCode, Guid.NewGuid()), dueAt: fixture.Server.Time.GetUtcNow().AddHours(1));
            queued.IsSuccess.ShouldBeTrue();
            await session.SaveChangesAsync();
        }
        await Task.Delay(300);
        fixture.Sms.To(mobile).ShouldBeEmpty();

        var restarted = await fixture.Restart();
        fixture.Server.Time.Advance(TimeSpan.FromHours(1));
        restarted.Services.GetRequiredService<MessageDispatcher>().Wake();

        (await fixture.Sms.Nth(mobile, 1)).Text.ShouldContain("is your Telemed sign-in code");
    }

    [Fact]
    public async Task Bad_messages_are_refused_at_the_call_site_and_nothing_is_queued()
    {
        var messenger = Host.Services.GetRequiredService<Messenger>();
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var code = new SecretVariable("code", SecretKind.SignInCode, Guid.NewGuid());
        await using var session = store.LightweightSession();
        var before = await session.Query<OutgoingMessage>().CountAsync();

        messenger.Queue(session, MessageCatalogue.SignInCode, "12345", "en", new Dictionary<string, string> { ["minutes"] = "5" }, code)
            .Error.Message.ShouldContain("Mobile number");
        messenger.Queue(session, MessageCatalogue.SignInCode, Api.NewMobile(), "en", new Dictionary<string, string>(), code)
            .Error.Message.ShouldBe("Template 'SignInCode' needs the variable 'minutes'.");
        messenger.Queue(session, MessageCatalogue.SignInCode, Api.NewMobile(), "en", new Dictionary<string, string> { ["minutes"] = "500" }, code)
            .Error.Message.ShouldContain("at most 2 characters");
        messenger.Queue(session, MessageCatalogue.SignInCode, Api.NewMobile(), "fr", new Dictionary<string, string> { ["minutes"] = "5" }, code)
            .Error.Message.ShouldContain("no text in language 'fr'");
        MessageCatalogue.Find("Horoscope").Error.Message.ShouldBe("There is no message template 'Horoscope'.");
        await session.SaveChangesAsync();

        (await session.Query<OutgoingMessage>().CountAsync()).ShouldBe(before);
        var refused = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile = Api.NewMobile(), language = "fr" });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Problem()).GetProperty("errors").GetProperty("language")[0].GetString().ShouldStartWith("Messages are written in en, hi");
    }

    [Fact]
    public async Task After_sign_in_no_code_or_message_text_is_readable_in_the_event_store_documents_or_logs()
    {
        var mobile = Api.NewMobile();
        var sms = await AskForCode(mobile);
        var code = Code(sms);
        var registered = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Meera Pillai", yearOfBirth = 1985, sex = "female", mobile, code });
        await registered.ShouldHave(HttpStatusCode.Created);
        await Welcomed(mobile);
        var signIn = await AskForCode(mobile);
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code = Code(signIn) })).ShouldHave(HttpStatusCode.OK);
        await StatusOf(signIn, s => s.GetProperty("state").GetString() == "delivered");

        var stored = await EverythingStored(fixture.Server.Schema);
        stored.ShouldNotContain("Welcome to Telemed", customMessage: "messages are stored as template and variables, never as text");
        foreach (var secret in new[] { code, Code(signIn) })
        {
            stored.ShouldNotContain($"\"{secret}\"");
            stored.ShouldNotContain($"{secret} is your");
            string.Join('\n', fixture.Server.Logs.Lines).ShouldNotContain(secret);
        }
        stored.ShouldNotContain("is your Telemed sign-in code");
    }

    /// <summary>
    /// Every endpoint that answers a GET (found by reflection, so a new one cannot be forgotten), called by each role
    /// while a code is waiting: the admin's delivery status, the patient's own views, the staff's lists. The code is only
    /// ever in the SMS.
    /// </summary>
    [Fact]
    public async Task No_role_can_read_a_waiting_sign_in_code_through_any_endpoint()
    {
        var mobile = Api.NewMobile();
        var registered = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Lata Kulkarni", yearOfBirth = 1972, sex = "female", mobile, code = Code(await AskForCode(mobile)) });
        await registered.ShouldHave(HttpStatusCode.Created);
        var patient = (await registered.Content.ReadFromJsonAsync<Telemed.Server.Identity.PatientRegistration>(Api.Json))!;
        await Welcomed(mobile);
        var sent = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile });
        var sms = await Api.Eventually(() => Task.FromResult(fixture.Sms.To(mobile).Skip(2).FirstOrDefault()));
        var code = Code(sms);
        await StatusOf(sms, s => s.GetProperty("state").GetString() == "delivered");
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var officerEmail = $"officer-{Guid.NewGuid():N}@health.example.in";
        await (await admin.PostAsJsonAsync("/api/admin/health-officers", new { name = "Anil Menon", email = officerEmail, password = "a-long-enough-password" }))
            .ShouldHave(HttpStatusCode.Created);
        var callers = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = Host.CreateClient(),
            ["admin"] = admin,
            ["doctor"] = Host.As((await Host.SignInStaff(Api.DoctorEmail)).AccessToken),
            ["pharmacist"] = Host.As((await Host.SignInStaff("meena.iyer@telemed.local")).AccessToken),
            ["health officer"] = Host.As((await Host.SignInStaff(officerEmail, "a-long-enough-password")).AccessToken),
            ["the patient"] = Host.As(patient.Tokens.AccessToken),
            ["another patient"] = Host.As((await Host.CreatePatients(1))[0].AccessToken),
        };
        var endpoints = Host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? false)
            .Select(e => "/" + System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), "\\{(\\w+)[^}]*\\}",
                m => m.Groups[1].Value switch { "patientId" or "dependantId" => patient.Patient.Id.ToString(), "documentName" => "v1", _ => Guid.NewGuid().ToString() }))
            .Distinct().ToList();
        endpoints.ShouldContain("/api/admin/messages");
        var standalone = new System.Text.RegularExpressions.Regex($"(?<![0-9]){code}(?![0-9])");

        standalone.IsMatch(await sent.Content.ReadAsStringAsync()).ShouldBeFalse("the answer to asking for a code");
        var leaks = new List<string>();
        foreach (var (role, client) in callers)
        {
            foreach (var path in endpoints)
            {
                var body = await (await client.GetAsync(path)).Content.ReadAsStringAsync();
                if (standalone.IsMatch(body))
                {
                    leaks.Add($"{role}: GET {path}");
                }
            }
        }
        leaks.ShouldBeEmpty();
    }

    /// <summary>Every row of every table in the schema (documents, events, streams), as text.</summary>
    private static async Task<string> EverythingStored(string schema)
    {
        await using var connection = new NpgsqlConnection(TelemedServer.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand($"select table_name from information_schema.tables where table_schema = '{schema}'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"select t::text from {schema}.{table} t", connection);
            await using var reader = await dump.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }
        return text.ToString();
    }
}
