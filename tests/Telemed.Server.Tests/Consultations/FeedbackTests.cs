using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Consultations;
using Telemed.Server.Analytics;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Analytics;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

/// <summary>
/// After the visit the patient (or their guardian) rates it once; its doctor reads the feedback on their visits without
/// learning whose it is; the operations analytics count the ratings.
/// </summary>
public class FeedbackTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private async Task<Room> Completed(TestPatient? patient = null)
    {
        var room = await Room.Start(Host, patient);
        await (await Host.As(room.DoctorToken).PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);
        return room;
    }

    private static string Path(Room room) => $"/api/consultations/{room.ConsultationId}/feedback";

    [Fact]
    public async Task The_patient_rates_a_completed_visit_once_and_sees_the_rating_in_their_records()
    {
        var room = await Completed();
        var patient = Host.As(room.Patient.AccessToken);

        var given = await patient.PostAsJsonAsync(Path(room), new { rating = 4, comment = "  Clear advice, a short wait.  " });

        await given.ShouldHave(HttpStatusCode.Created);
        var view = await given.Content.ReadFromJsonAsync<JsonElement>();
        view.GetProperty("rating").GetInt32().ShouldBe(4);
        view.GetProperty("comment").GetString().ShouldBe("Clear advice, a short wait.");
        (await patient.GetFromJsonAsync<JsonElement>(Path(room))).GetProperty("rating").GetInt32().ShouldBe(4);
        var records = await patient.GetFromJsonAsync<JsonElement>("/api/records");
        records.EnumerateArray().Single(r => r.GetProperty("consultationId").GetGuid() == room.ConsultationId).GetProperty("rating").GetInt32().ShouldBe(4);

        var again = await patient.PostAsJsonAsync(Path(room), new { rating = 1 });
        await again.ShouldHave(HttpStatusCode.Conflict);
        (await again.Problem()).GetProperty("code").GetString().ShouldBe("FeedbackAlreadyGiven");

        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var recorded = (await query.Events.FetchStreamAsync(room.ConsultationId)).Select(e => e.Data).OfType<FeedbackGiven>().ShouldHaveSingleItem();
        recorded.By.ShouldBe(room.Patient.Id);
        recorded.DoctorId.ShouldBe(Room.DoctorId);
        recorded.Rating.ShouldBe(4);
    }

    [Fact]
    public async Task The_doctor_reads_feedback_on_their_visits_without_the_patient_or_the_consultation()
    {
        var room = await Completed();
        await (await Host.As(room.Patient.AccessToken).PostAsJsonAsync(Path(room), new { rating = 5, comment = "Very kind doctor" })).ShouldHave(HttpStatusCode.Created);
        var doctor = Host.As(room.DoctorToken);

        var json = await doctor.GetStringAsync("/api/feedback/mine");

        var feedback = JsonDocument.Parse(json).RootElement;
        feedback.GetProperty("count").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        var item = feedback.GetProperty("items").EnumerateArray().First(i => i.GetProperty("comment").GetString() == "Very kind doctor");
        item.GetProperty("rating").GetInt32().ShouldBe(5);
        item.EnumerateObject().Select(p => p.Name).ShouldBe(["day", "rating", "comment"], ignoreOrder: true);
        json.ShouldNotContain(room.Patient.Id.ToString());
        json.ShouldNotContain(room.ConsultationId.ToString());
        var patientName = (await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("name").GetString()!;
        json.ShouldNotContain(patientName);

        // Nor does the consultation's history tell the doctor that, or when, its patient gave feedback.
        var consultation = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");
        consultation.GetProperty("history").EnumerateArray().ShouldNotContain(e => e.GetProperty("event").GetString() == nameof(FeedbackGiven));

        var rahul = await Sessions.Doctor(Host, "rahul.nair@telemed.local");
        (await rahul.GetStringAsync("/api/feedback/mine")).ShouldNotContain("Very kind doctor");
    }

    [Fact]
    public async Task A_guardian_acting_for_a_dependant_gives_it_and_is_recorded_as_its_giver()
    {
        var registration = await Host.RegisterPatient(Api.NewMobile());
        var guardian = new TestPatient(registration.Patient.Id, registration.Tokens.AccessToken);
        var child = await Host.AddDependant(guardian);
        var room = await Completed(child);

        await (await Host.As(child.AccessToken).PostAsJsonAsync(Path(room), new { rating = 3 })).ShouldHave(HttpStatusCode.Created);

        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await query.Events.FetchStreamAsync(room.ConsultationId)).Select(e => e.Data).OfType<FeedbackGiven>().ShouldHaveSingleItem().By.ShouldBe(guardian.Id);
        // The guardian's own account is not the visit's patient.
        await (await Host.As(guardian.AccessToken).PostAsJsonAsync(Path(room), new { rating = 3 })).ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Other_callers_an_open_visit_and_bad_input_are_refused()
    {
        var open = await Room.Start(Host);
        var notYet = await Host.As(open.Patient.AccessToken).PostAsJsonAsync(Path(open), new { rating = 5 });
        await notYet.ShouldHave(HttpStatusCode.Conflict);
        (await notYet.Problem()).GetProperty("code").GetString().ShouldBe("ConsultationNotCompleted");

        var room = await Completed();
        var stranger = (await Host.CreatePatients(1))[0];
        var refused = await Host.As(stranger.AccessToken).PostAsJsonAsync(Path(room), new { rating = 1, comment = "not my visit" });
        await refused.ShouldHave(HttpStatusCode.Forbidden);
        (await Host.As(stranger.AccessToken).GetAsync(Path(room))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using (var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            (await query.Events.FetchStreamAsync(stranger.Id)).Select(e => e.Data).OfType<AccessRefused>()
                .ShouldContain(r => r.Resource == $"consultation/{room.ConsultationId}/feedback");
        }
        await (await Host.As(room.DoctorToken).PostAsJsonAsync(Path(room), new { rating = 5 })).ShouldHave(HttpStatusCode.Forbidden);
        await (await Host.CreateClient().PostAsJsonAsync(Path(room), new { rating = 5 })).ShouldHave(HttpStatusCode.Unauthorized);
        await (await Host.As(room.Patient.AccessToken).GetAsync("/api/feedback/mine")).ShouldHave(HttpStatusCode.Forbidden);

        var invalid = await Host.As(room.Patient.AccessToken).PostAsJsonAsync(Path(room), new { rating = 6, comment = new string('x', 1001) });
        await invalid.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await invalid.Problem()).GetProperty("errors");
        errors.TryGetProperty("rating", out _).ShouldBeTrue();
        errors.TryGetProperty("comment", out _).ShouldBeTrue();
        await (await Host.As(room.Patient.AccessToken).PostAsJsonAsync($"/api/consultations/{Guid.NewGuid()}/feedback", new { rating = 5 }))
            .ShouldHave(HttpStatusCode.NotFound);
        // Nothing refused was recorded: the patient may still give their feedback.
        await (await Host.As(room.Patient.AccessToken).PostAsJsonAsync(Path(room), new { rating = 2 })).ShouldHave(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Operations_analytics_count_ratings_and_publish_their_mean_from_k_ratings()
    {
        var rooms = new List<Room>();
        for (var i = 0; i < 5; i++)
        {
            rooms.Add(await Completed());
        }
        var officer = await AnalyticsScript.Officer(Host);
        var today = Telemed.Domain.IndianTime.Day(server.Time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var path = $"/api/analytics/operations?facilityId={Sessions.Facility}&from={today}&to={today}";
        async Task<JsonElement> Day()
        {
            await Host.Services.GetRequiredService<AnalyticsProjector>().CatchUp(CancellationToken.None);
            return (await officer.GetFromJsonAsync<JsonElement>(path)).EnumerateArray().Single();
        }
        var before = await Day();
        var ratedBefore = before.GetProperty("ratings").ValueKind == JsonValueKind.Number ? before.GetProperty("ratings").GetInt32() : (int?)null;

        foreach (var room in rooms)
        {
            await (await Host.As(room.Patient.AccessToken).PostAsJsonAsync(Path(room), new { rating = 4, comment = "words never counted" })).ShouldHave(HttpStatusCode.Created);
        }

        var after = await Day();
        var ratings = after.GetProperty("ratings").GetInt32();
        ratings.ShouldBeGreaterThanOrEqualTo(5);
        if (ratedBefore is { } counted)
        {
            ratings.ShouldBe(counted + 5);
        }
        after.GetProperty("meanRating").GetDouble().ShouldBeInRange(1, 5);
        var csv = await officer.GetStringAsync(path + "&format=csv");
        csv.ShouldStartWith("day,checked_in,");
        csv.Split('\n')[0].ShouldEndWith(",ratings,mean_rating");
        csv.ShouldNotContain("words never counted");
    }
}
