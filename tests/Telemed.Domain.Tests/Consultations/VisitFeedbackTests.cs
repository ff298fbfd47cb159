using Telemed.Domain.Consultations;

namespace Telemed.Domain.Tests.Consultations;

public class VisitFeedbackTests
{
    private static readonly Guid Id = Guid.Parse("66666666-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("66666666-0000-0000-0000-00000000000d");
    private static readonly Guid Patient = Guid.Parse("66666666-0000-0000-0000-00000000000e");
    private static readonly Guid Guardian = Guid.Parse("66666666-0000-0000-0000-00000000000f");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    private static Consultation Given(params IConsultationEvent[] events) =>
        events.Aggregate((Consultation?)null, Consultation.Evolve)!;

    private static Consultation Open => Given(new ConsultationStarted(Id, Guid.NewGuid(), 1, Doctor, Patient, Now));

    private static Consultation Completed => Given(new ConsultationStarted(Id, Guid.NewGuid(), 1, Doctor, Patient, Now), new ConsultationCompleted(Id, Doctor, Now.AddMinutes(9)));

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_rating_from_one_to_five_with_a_trimmed_comment_is_read(int rating)
    {
        var errors = new FieldErrors();
        VisitFeedback.Read(rating, "  Kind and clear.  ", errors).ShouldBe((rating, "Kind and clear."));
        errors.Any.ShouldBeFalse();
    }

    [Fact]
    public void A_blank_comment_is_no_comment()
    {
        var errors = new FieldErrors();
        VisitFeedback.Read(4, "   ", errors).ShouldBe((4, (string?)null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(6)]
    public void A_rating_outside_one_to_five_is_refused_by_field(int? rating)
    {
        var errors = new FieldErrors();
        VisitFeedback.Read(rating, null, errors).ShouldBeNull();
        errors.ToDictionary()["rating"].ShouldHaveSingleItem().ShouldContain("1 to 5");
    }

    [Fact]
    public void A_comment_longer_than_the_limit_is_refused_by_field_with_the_rating_checked_too()
    {
        var errors = new FieldErrors();
        VisitFeedback.Read(9, new string('a', VisitFeedback.MaxCommentLength + 1), errors).ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["rating", "comment"], ignoreOrder: true);
        errors.ToDictionary()["comment"].ShouldHaveSingleItem().ShouldContain("1000");
    }

    [Fact]
    public void The_patient_gives_feedback_on_a_completed_consultation_once_and_it_names_the_doctor()
    {
        var given = VisitFeedback.Give(Completed, Patient, Patient, 5, "Thank you", Now.AddHours(1));
        var @event = given.Value.ShouldHaveSingleItem().ShouldBeOfType<FeedbackGiven>();
        @event.ShouldBe(new FeedbackGiven(Id, Doctor, 5, "Thank you", Patient, Now.AddHours(1)));

        var after = Consultation.Evolve(Completed, @event);
        after.Feedback.ShouldBe(@event);
        after.Record.Version.ShouldBe(Completed.Record.Version, "feedback is not part of the doctor's record");
        VisitFeedback.Give(after, Patient, Patient, 1, null, Now.AddHours(2)).Error.ShouldBe(VisitFeedback.AlreadyGiven);
    }

    [Fact]
    public void A_guardian_acting_with_the_dependants_account_gives_it_and_is_recorded_as_its_giver()
    {
        var given = VisitFeedback.Give(Completed, Patient, Guardian, 4, null, Now);
        given.Value.ShouldHaveSingleItem().ShouldBeOfType<FeedbackGiven>().By.ShouldBe(Guardian);
    }

    [Fact]
    public void Nobody_but_the_patient_gives_feedback()
    {
        VisitFeedback.Give(Completed, Doctor, Doctor, 5, null, Now).Error.ShouldBe(VisitFeedback.NotThePatient);
        VisitFeedback.Give(Completed, Guardian, Guardian, 5, null, Now).Error.ShouldBe(VisitFeedback.NotThePatient);
    }

    [Fact]
    public void Feedback_waits_for_the_consultation_to_complete()
    {
        VisitFeedback.Give(Open, Patient, Patient, 5, null, Now).Error.ShouldBe(VisitFeedback.NotCompleted);
        var abandoned = Consultation.Evolve(Open, new ConsultationAbandoned(Id, "patient did not join", Now));
        VisitFeedback.Give(abandoned, Patient, Patient, 5, null, Now).Error.ShouldBe(VisitFeedback.NotCompleted);
    }
}
