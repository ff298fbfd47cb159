using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Messages;

/// <summary>Reading what was sent to a patient: from the fake gateway, and as stored.</summary>
internal static class Sent
{
    public static async Task<string> Mobile(this SmsFixture fixture, TestPatient patient)
    {
        await using var session = fixture.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<PatientAccount>(patient.Id))!.Mobile;
    }

    public static Task<TakenSms> Sms(this SmsFixture fixture, string mobile, string startsWith) =>
        Api.Eventually(() => Task.FromResult(fixture.Sms.To(mobile).FirstOrDefault(sms => sms.Text.StartsWith(startsWith, StringComparison.Ordinal))));

    public static async Task<OutgoingMessage> Stored(this SmsFixture fixture, string mobile, MessageTemplate template)
    {
        await using var session = fixture.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<OutgoingMessage>().SingleAsync(m => m.To == mobile && m.Template == template.Id);
    }
}

/// <summary>What patients hear from the queue and at registration, through the fake DLT gateway.</summary>
public class PatientMessageTests(SmsFixture fixture) : IClassFixture<SmsFixture>
{
    private TelemedFactory Host => fixture.Host;

    private Task<string> Mobile(TestPatient patient) => fixture.Mobile(patient);

    private Task<TakenSms> Sms(string mobile, string startsWith) => fixture.Sms(mobile, startsWith);

    [Fact]
    public async Task A_new_patient_is_welcomed_with_Telemeds_address()
    {
        var mobile = Api.NewMobile();
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile })).ShouldHave(HttpStatusCode.Accepted);
        var code = (await fixture.Sms.Nth(mobile, 1)).Text[..6];
        var registered = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Anita Desai", yearOfBirth = 1990, sex = "female", mobile, code });
        await registered.ShouldHave(HttpStatusCode.Created);

        var welcome = await Sms(mobile, "Welcome to Telemed.");
        welcome.Text.ShouldBe("Welcome to Telemed. To see a doctor online, sign in at http://127.0.0.1:5080 with this mobile number.");
    }

    [Fact]
    public async Task Patients_hear_their_token_how_many_are_ahead_that_they_are_next_and_that_the_doctor_calls()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(5);
        foreach (var patient in patients)
        {
            await Sessions.CheckIn(Host, sessionId, patient);
        }
        var mobiles = await Task.WhenAll(patients.Select(Mobile));
        (await Sms(mobiles[2], "Telemed: you are checked in")).Text
            .ShouldBe("Telemed: you are checked in with token 3. We will text you as your turn nears. Follow the queue at http://127.0.0.1:5080");

        var doctor = await Sessions.Doctor(Host);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);

        (await Sms(mobiles[0], "Telemed: the doctor is calling")).Text.ShouldBe("Telemed: the doctor is calling token 1 now. Open http://127.0.0.1:5080 to join the consultation.");
        (await Sms(mobiles[1], "Telemed: token 2, you are next")).Text.ShouldContain("Open http://127.0.0.1:5080 now");
        (await Sms(mobiles[4], "Telemed: 3 patients ahead")).Text.ShouldBe("Telemed: 3 patients ahead of token 5. Please be ready, with http://127.0.0.1:5080 open on your phone.");
        await Task.Delay(300);
        fixture.Sms.To(mobiles[3]).Count.ShouldBe(1, "token 4 was already within three places: only its check-in was confirmed");
    }

    [Fact]
    public async Task A_patient_who_opts_out_gets_only_the_essential_messages_and_the_rest_are_recorded_as_suppressed()
    {
        var patient = (await Host.CreatePatients(1))[0];
        var client = Host.As(patient.AccessToken);
        (await client.GetFromJsonAsync<JsonElement>("/api/me/message-preferences")).GetProperty("optOut").GetBoolean().ShouldBeFalse();
        var bad = await client.PutAsJsonAsync("/api/me/message-preferences", new { });
        (await bad.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("optOut")[0].GetString()!.ShouldContain("true or false");
        await (await client.PutAsJsonAsync("/api/me/message-preferences", new { optOut = true })).ShouldHave(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<JsonElement>("/api/me/message-preferences")).GetProperty("optOut").GetBoolean().ShouldBeTrue();

        var sessionId = await Sessions.Open(Host);
        await Sessions.CheckIn(Host, sessionId, patient);
        var doctor = await Sessions.Doctor(Host);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);

        var mobile = await Mobile(patient);
        await Sms(mobile, "Telemed: the doctor is calling token 1");
        var checkedIn = await fixture.Stored(mobile, MessageCatalogue.CheckedIn);
        checkedIn.State.ShouldBe(DeliveryState.Suppressed);
        fixture.Sms.To(mobile).ShouldHaveSingleItem();
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        (await admin.GetFromJsonAsync<List<JsonElement>>("/api/admin/messages?state=suppressed"))!.ShouldContain(m => m.GetProperty("id").GetGuid() == checkedIn.Id);
    }

    [Fact]
    public async Task Patients_may_not_read_or_set_preferences_without_signing_in_and_staff_have_none()
    {
        (await Host.CreateClient().GetAsync("/api/me/message-preferences")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var doctor = await Sessions.Doctor(Host);
        (await doctor.PutAsJsonAsync("/api/me/message-preferences", new { optOut = true })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Closing_a_session_before_anyone_was_seen_tells_those_waiting_it_was_cancelled()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, patient);
        var doctor = await Sessions.Doctor(Host);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/close", null)).ShouldHave(HttpStatusCode.OK);

        (await Sms(await Mobile(patient), "Telemed: the session of token 1 has been cancelled")).Text.ShouldEndWith("at http://127.0.0.1:5080");
    }
}

/// <summary>A session at 22:00 IST.</summary>
public class QuietHourTests(SmsFixture fixture) : IClassFixture<SmsFixture>
{
    [Fact]
    public async Task At_night_a_check_in_confirmation_waits_for_8_IST_and_lapses_there_while_the_doctors_call_goes_at_once()
    {
        var today = IndianTime.Day(fixture.Server.Time.GetUtcNow());
        var night = new DateTimeOffset(today.ToDateTime(new TimeOnly(22, 0)), IndianTime.Offset);
        fixture.Server.Time.SetUtcNow((night > fixture.Server.Time.GetUtcNow() ? night : night.AddDays(1)).ToUniversalTime());
        var host = fixture.Host;
        var sessionId = await Sessions.Open(host);
        var patient = (await host.CreatePatients(1))[0];
        await Sessions.CheckIn(host, sessionId, patient);
        await (await (await Sessions.Doctor(host)).PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);

        var mobile = await fixture.Mobile(patient);
        await fixture.Sms(mobile, "Telemed: the doctor is calling token 1");
        var checkedIn = await fixture.Stored(mobile, MessageCatalogue.CheckedIn);
        checkedIn.State.ShouldBe(DeliveryState.Pending);
        checkedIn.DueAt.ToOffset(IndianTime.Offset).TimeOfDay.ShouldBe(TimeSpan.FromHours(8));
        checkedIn.DueAt.ShouldBeGreaterThan(checkedIn.CreatedAt);

        fixture.Server.Time.SetUtcNow(checkedIn.DueAt);
        await Api.Eventually(async () => (await fixture.Stored(mobile, MessageCatalogue.CheckedIn)).State == DeliveryState.Lapsed ? "lapsed" : null);
        fixture.Sms.To(mobile).ShouldHaveSingleItem();
    }
}

/// <summary>A completed consultation: the prescription's link by SMS and e-mail, and a reminder the day before the follow-up.</summary>
public class PrescriptionMessageTests(SmsFixture fixture) : IClassFixture<SmsFixture>
{
    private TelemedFactory Host => fixture.Host;

    [Fact]
    public async Task A_signed_prescription_is_texted_as_a_short_verification_link_and_the_follow_up_is_reminded_the_day_before_even_after_a_restart()
    {
        var patient = (await Host.CreatePatients(1))[0];
        string mobile;
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var account = (await session.LoadAsync<PatientAccount>(patient.Id))!;
            mobile = account.Mobile;
            session.Store(account with { Language = MessageCatalogue.Hindi });
            await session.SaveChangesAsync();
        }
        var room = await Clinical.OnVideo(Host, patient);
        var doctor = Host.As(room.DoctorToken);
        var followUp = IndianTime.Day(fixture.Server.Time.GetUtcNow()).AddDays(7);
        await Clinical.Write(doctor, room,
            ("notes", new { chiefComplaints = "Fever for 2 days", followUpOn = followUp }),
            ("diagnosis", new { text = "Viral fever", codeSystem = "icd10", code = "B34.9" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        var prescriptionId = await Clinical.Complete(doctor, room);

        var ready = await Api.Eventually(() => Task.FromResult(fixture.Sms.To(mobile).FirstOrDefault(s => s.Text.Contains("पर्चा", StringComparison.Ordinal))));
        ready.Text.ShouldBe($"Telemed: आपका पर्चा तैयार है। फ़ार्मेसी इसे यहाँ जाँच सकती है: http://127.0.0.1:5080/v/{Telemed.Server.Infrastructure.Ids.Compact(prescriptionId)}");
        var link = await Host.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(ready.Text[ready.Text.IndexOf("/v/", StringComparison.Ordinal)..]);
        link.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        link.Headers.Location!.ToString().ShouldBe($"/verify/{prescriptionId}");

        // The reminder waits in PostgreSQL: a restarted node sends it at 10:00 IST the day before, not earlier.
        var remindAt = Delivery.FollowUpReminderAt(followUp, fixture.Server.Time.GetUtcNow())!.Value;
        var restarted = await fixture.Restart();
        fixture.Server.Time.SetUtcNow(remindAt - TimeSpan.FromMinutes(1));
        restarted.Services.GetRequiredService<MessageDispatcher>().Wake();
        await Task.Delay(500);
        fixture.Sms.To(mobile).ShouldNotContain(s => s.Text.Contains("दोबारा", StringComparison.Ordinal) || s.Text.Contains("फिर दिखाने", StringComparison.Ordinal));
        fixture.Server.Time.SetUtcNow(remindAt);
        var reminder = await Api.Eventually(() => Task.FromResult(fixture.Sms.To(mobile).FirstOrDefault(s => s.Text.Contains("फिर दिखाने", StringComparison.Ordinal))));
        reminder.Text.ShouldContain(followUp.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_short_link_Telemed_did_not_make_is_not_found() =>
        (await Host.CreateClient().GetAsync("/v/not-a-prescription")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
}
