using Telemed.Domain.Messages;

namespace Telemed.Domain.Tests.Messages;

public class SmsLengthTests
{
    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Gsm7_texts_take_160_units_alone_and_153_a_segment_when_concatenated(int length, int segments) =>
        SmsLength.Measure(new string('a', length)).ShouldBe(new SmsMeasure(SmsEncoding.Gsm7, length, segments));

    [Fact]
    public void Extension_characters_take_two_units() =>
        SmsLength.Measure("[x]€").Units.ShouldBe(7);

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void One_Indian_script_character_sends_the_whole_text_as_UCS2_of_70_or_67_a_segment(int length, int segments) =>
        SmsLength.Measure("क" + new string('a', length - 1)).ShouldBe(new SmsMeasure(SmsEncoding.Ucs2, length, segments));
}

public class MessageCatalogueTests
{
    private static readonly Dictionary<string, string> Code = new() { ["code"] = "123456", ["minutes"] = "5" };

    [Fact]
    public void Every_SMS_template_fits_its_segment_budget_in_every_language_with_its_longest_variables()
    {
        foreach (var template in MessageCatalogue.All.Values.Where(t => t.Channel == MessageChannel.Sms))
        {
            var longest = template.Variables.ToDictionary(v => v.Name, v => new string('0', v.MaxLength));
            foreach (var language in MessageCatalogue.Languages)
            {
                MessageCatalogue.Compose(template, language, longest).IsSuccess.ShouldBeTrue($"{template.Id} in {language}");
                template.Variables.ShouldAllBe(v => v.MaxLength <= 30, "a DLT variable holds at most 30 characters");
            }
        }
    }

    [Fact]
    public void Every_template_is_written_in_every_language_the_web_client_speaks_with_each_of_its_variables()
    {
        foreach (var template in MessageCatalogue.All.Values)
        {
            template.Texts.Keys.Order().ShouldBe(MessageCatalogue.Languages.Order(), template.Id);
            foreach (var (language, text) in template.Texts)
            {
                template.Variables.ShouldAllBe(v => text.Contains($"{{{v.Name}}}"), $"{template.Id} in {language}");
                if (template.Channel == MessageChannel.Email)
                {
                    template.Subject(language).ShouldNotBeNullOrWhiteSpace();
                }
            }
        }
    }

    [Fact]
    public void English_SMS_stay_in_GSM7_so_they_cost_a_third_of_UCS2()
    {
        foreach (var template in MessageCatalogue.All.Values.Where(t => t.Channel == MessageChannel.Sms))
        {
            SmsLength.Measure(template.Texts[MessageCatalogue.English]).Encoding.ShouldBe(SmsEncoding.Gsm7, template.Id);
        }
    }

    [Fact]
    public void A_link_in_an_SMS_is_the_site_and_an_id_each_within_a_DLT_variable() =>
        MessageCatalogue.PrescriptionReady.DltText("en").ShouldEndWith("{#var#}/v/{#var#}");

    [Fact]
    public void The_DLT_text_is_the_template_with_each_variable_as_var() =>
        MessageCatalogue.SignInCode.DltText("en").ShouldBe("{#var#} is your Telemed sign-in code. It expires in {#var#} minutes. Never share it with anyone.");

    [Fact]
    public void Variables_are_filled_in_exactly() =>
        MessageCatalogue.Compose(MessageCatalogue.SignInCode, "hi", Code).Value.Text.ShouldBe("123456 आपका Telemed कोड है। 5 मिनट तक मान्य। किसी से साझा न करें।");

    [Theory]
    [InlineData("minutes", null, "needs the variable 'minutes'")]
    [InlineData("minutes", "", "needs the variable 'minutes'")]
    [InlineData("minutes", "120", "at most 2 characters")]
    [InlineData("minutes", "5\n", "one line")]
    [InlineData("sender", "x", "has no variable 'sender'")]
    public void Missing_over_long_multi_line_or_unknown_variables_are_refused(string name, string? value, string error)
    {
        var variables = new Dictionary<string, string>(Code);
        variables.Remove(name);
        if (value is not null)
        {
            variables[name] = value;
        }
        MessageCatalogue.Compose(MessageCatalogue.SignInCode, "en", variables).Error.Message.ShouldContain(error);
    }

    [Fact]
    public void A_language_the_catalogue_lacks_is_refused() =>
        MessageCatalogue.Compose(MessageCatalogue.SignInCode, "fr", Code).Error.Message.ShouldContain("no text in language 'fr'");
}

public class DeliveryTests
{
    private static readonly DeliveryPolicy Policy = new(4, TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1));
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_accepted_attempt_makes_the_message_sent() =>
        Delivery.Attempted(0, 0, AttemptOutcome.Accepted, Now, Policy).ShouldBe(new AfterAttempt(DeliveryState.Sent, 1, 0, Now));

    [Fact]
    public void A_refused_attempt_backs_off_exponentially_to_the_ceiling_and_moves_to_the_next_key()
    {
        Delivery.Attempted(0, 0, AttemptOutcome.Refused, Now, Policy).ShouldBe(new AfterAttempt(DeliveryState.Pending, 1, 1, Now.AddSeconds(15)));
        Delivery.Attempted(1, 1, AttemptOutcome.Refused, Now, Policy).ShouldBe(new AfterAttempt(DeliveryState.Pending, 2, 2, Now.AddSeconds(30)));
        Delivery.Attempted(2, 2, AttemptOutcome.Refused, Now, Policy).DueAt.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void An_attempt_of_unknown_outcome_keeps_its_key_so_the_provider_never_takes_it_twice() =>
        Delivery.Attempted(0, 0, AttemptOutcome.Unknown, Now, Policy).KeyGeneration.ShouldBe(0);

    [Fact]
    public void The_last_attempt_or_a_rejection_dead_letters_the_message()
    {
        Delivery.Attempted(3, 0, AttemptOutcome.Unknown, Now, Policy).State.ShouldBe(DeliveryState.DeadLettered);
        Delivery.Attempted(0, 0, AttemptOutcome.Rejected, Now, Policy).State.ShouldBe(DeliveryState.DeadLettered);
    }

    [Theory]
    [InlineData("2026-03-02T14:00:00+05:30", "2026-03-02T14:00:00+05:30")]
    [InlineData("2026-03-02T08:00:00+05:30", "2026-03-02T08:00:00+05:30")]
    [InlineData("2026-03-02T20:59:00+05:30", "2026-03-02T20:59:00+05:30")]
    [InlineData("2026-03-02T21:00:00+05:30", "2026-03-03T08:00:00+05:30")]
    [InlineData("2026-03-02T23:30:00+05:30", "2026-03-03T08:00:00+05:30")]
    [InlineData("2026-03-03T02:00:00+05:30", "2026-03-03T08:00:00+05:30")]
    [InlineData("2026-03-02T17:00:00+00:00", "2026-03-03T08:00:00+05:30")]
    public void Non_essential_messages_wait_out_quiet_hours_from_21_to_8_IST(string due, string sent) =>
        Delivery.OutsideQuietHours(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(DateTimeOffset.Parse(sent, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Receipts_only_move_a_message_forward()
    {
        Delivery.Receipt(DeliveryState.Sent, delivered: true).ShouldBe(DeliveryState.Delivered);
        Delivery.Receipt(DeliveryState.Sent, delivered: false).ShouldBe(DeliveryState.Undelivered);
        Delivery.Receipt(DeliveryState.Delivered, delivered: false).ShouldBeNull();
        Delivery.Receipt(DeliveryState.DeadLettered, delivered: true).ShouldBeNull();
    }
}
