using Telemed.Domain.Analytics;
using Telemed.Domain.Consultations;
using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Analytics;

public class VisitTests
{
    private static readonly Guid Session = Guid.NewGuid();
    private static readonly Guid Facility = Guid.NewGuid();
    private static readonly Guid Doctor = Guid.NewGuid();
    private static readonly DateTimeOffset Morning = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero); // 09:30 IST

    private static Visit Seen(int token, int waitMinutes, int consultMinutes, string icd10, bool audioOnly = false) =>
        SeenBy(Doctor, token, waitMinutes, consultMinutes, icd10, audioOnly);

    private static Visit SeenBy(Guid doctor, int token, int waitMinutes, int consultMinutes, string icd10, bool audioOnly = false)
    {
        var consultation = Guid.NewGuid();
        var checkedIn = Morning.AddMinutes(token);
        var called = checkedIn.AddMinutes(waitMinutes);
        var visit = Visits.CheckedIn(new PatientCheckedIn(Session, token, Guid.NewGuid(), new PatientSummary("x", 30, "female"), null, [], checkedIn), Facility, "Pune");
        object[] events =
        [
            new TokenCalled(Session, token, doctor, false, called),
            new TokenConsultationStarted(Session, token, doctor, consultation, called),
            new CallConnected(consultation, doctor, called),
            .. audioOnly ? new object[] { new CallModeChanged(consultation, CallMode.AudioOnly, doctor, called) } : [],
            new DiagnosisRecorded(consultation, new Diagnosis("x", new CodedConcept("icd10", icd10)), doctor, called),
            new TokenCompleted(Session, token, doctor, called.AddMinutes(consultMinutes)),
        ];
        return events.Aggregate(visit, Visits.Apply);
    }

    [Fact]
    public void A_visit_folds_wait_length_call_and_syndrome()
    {
        var visit = Seen(1, 20, 8, "A90", audioOnly: true);
        visit.Day.ShouldBe(new DateOnly(2026, 11, 25));
        visit.Wait.ShouldBe(TimeSpan.FromMinutes(20));
        visit.ConsultationLength.ShouldBe(TimeSpan.FromMinutes(8));
        visit.Outcome.ShouldBe(VisitOutcome.Completed);
        visit.AudioOnly.ShouldBeTrue();
        visit.Syndrome.ShouldBe(Syndrome.DengueLikeIllness);
    }

    [Fact]
    public void A_day_report_computes_figures_and_suppresses_small_cells()
    {
        var visits = Enumerable.Range(1, 6).Select(t => Seen(t, t * 10, 5, "R50.9", audioOnly: t == 1)).ToList();
        var noShow = Visits.Apply(Visits.CheckedIn(new PatientCheckedIn(Session, 7, Guid.NewGuid(), new PatientSummary("y", 40, "male"), null, [], Morning), Facility, "Pune"),
            new TokenMarkedNoShow(Session, 7, Doctor, true, Morning));
        visits.Add(noShow);

        var day = OperationsReport.Daily(visits).ShouldHaveSingleItem();

        day.CheckedIn.ShouldBe(7);
        day.Seen.ShouldBe(6);
        day.NoShows.ShouldBeNull("one no-show is below k = 5");
        day.MedianWaitMinutes.ShouldBe(30); // waits 10..60, nearest-rank median of six is the 3rd
        day.P90WaitMinutes.ShouldBe(60);
        day.MedianConsultationMinutes.ShouldBe(5);
        day.AudioOnlyShare!.Value.ShouldBe(1.0 / 6, 1e-9);
    }

    [Fact]
    public void A_doctors_counts_are_suppressed_so_the_facility_figure_and_the_other_doctors_do_not_give_them_away()
    {
        var (asha, rahul, meera) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var visits = Enumerable.Range(1, 10).Select(t => SeenBy(asha, t, 5, 5, "R50.9"))
            .Concat(Enumerable.Range(11, 6).Select(t => SeenBy(rahul, t, 5, 5, "R50.9")))
            .Concat(Enumerable.Range(17, 2).Select(t => SeenBy(meera, t, 5, 5, "R50.9")))
            .ToList();

        OperationsReport.Daily(visits).ShouldHaveSingleItem().Seen.ShouldBe(18);
        OperationsReport.Daily(visits, doctorId: meera).ShouldHaveSingleItem().Seen.ShouldBeNull("2 is below k = 5");
        // 18 − 10 − 6 would be Meera's 2: the smallest other doctor's count goes too.
        OperationsReport.Daily(visits, doctorId: rahul).ShouldHaveSingleItem().Seen.ShouldBeNull("complementary suppression");
        OperationsReport.Daily(visits, doctorId: asha).ShouldHaveSingleItem().Seen.ShouldBe(10);
        OperationsReport.Daily(visits, doctorId: Guid.NewGuid()).ShouldBeEmpty();
    }

    [Fact]
    public void Ratings_are_counted_and_their_mean_is_published_only_from_k_ratings_on()
    {
        var ratings = new[] { 5, 4, 4, 3, 5, 2 };
        var visits = ratings.Select((rating, i) => Visits.Apply(Seen(i + 1, 5, 5, "R50.9"),
            new FeedbackGiven(Guid.NewGuid(), Doctor, rating, "never counted", Guid.NewGuid(), Morning.AddHours(2)))).ToList();

        var day = OperationsReport.Daily(visits).ShouldHaveSingleItem();
        day.Ratings.ShouldBe(6);
        day.MeanRating.ShouldBe(3.83);

        var few = OperationsReport.Daily(visits.Take(4).Append(Seen(9, 5, 5, "R50.9"))).ShouldHaveSingleItem();
        few.Ratings.ShouldBeNull("4 ratings are below k = 5");
        few.MeanRating.ShouldBeNull("a mean of 4 ratings is from fewer than k");
        OperationsReport.Daily([Seen(1, 5, 5, "R50.9")]).ShouldHaveSingleItem().Ratings.ShouldBe(0);
    }
}
