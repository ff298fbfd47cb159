using System.Collections.Frozen;
using System.Text;

namespace Telemed.Domain.Messages;

public enum MessageChannel
{
    Sms,
    Email,

    /// <summary>A web push notification to one of a patient's devices, carrying the text of an SMS template.</summary>
    Push,
}

/// <summary>A value a template takes, at most this long (an SMS variable is at most 30 characters under DLT).</summary>
public sealed record TemplateVariable(string Name, int MaxLength);

/// <summary>
/// One message Telemed sends, in every language the web client speaks. Texts name their variables as <c>{name}</c>;
/// as registered with DLT each becomes <c>{#var#}</c>. Essential messages (codes, "you are next", the doctor's call,
/// a password link someone needs) go at any hour and to people who opted out of the rest.
/// </summary>
public sealed record MessageTemplate(
    string Id,
    MessageChannel Channel,
    bool Essential,
    IReadOnlyList<TemplateVariable> Variables,
    IReadOnlyDictionary<string, string> Texts,
    IReadOnlyDictionary<string, string>? Subjects = null,
    int MaxSegments = 2)
{
    public const string DltVariable = "{#var#}";

    /// <summary>The text as registered on the DLT portal: every variable a <c>{#var#}</c>.</summary>
    public string DltText(string language) =>
        Variables.Aggregate(Texts[language], (text, variable) => text.Replace($"{{{variable.Name}}}", DltVariable, StringComparison.Ordinal));

    public string? Subject(string language) => Subjects?[language];
}

/// <summary>A template's text in one language, and an e-mail's subject.</summary>
public sealed record Translation(string Text, string? Subject = null);

/// <summary>The text a recipient receives, composed from a template, a language and its variables.</summary>
public sealed record ComposedMessage(string Text, string? Subject);

/// <summary>Every message Telemed can send. Texts are checked here, when a message is queued and again when it is sent.</summary>
public static class MessageCatalogue
{
    public const string English = "en";
    public const string Hindi = "hi";

    /// <summary>
    /// The languages besides English and Hindi, each with every template's text (and an e-mail's subject) by template
    /// id, from its own file in <c>Translations/</c>.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, Translation>> Translated =
        new Dictionary<string, IReadOnlyDictionary<string, Translation>>
        {
            [Translations.Bengali.Language] = Translations.Bengali.Templates,
            [Translations.Marathi.Language] = Translations.Marathi.Templates,
            [Translations.Telugu.Language] = Translations.Telugu.Templates,
            [Translations.Tamil.Language] = Translations.Tamil.Templates,
            [Translations.Gujarati.Language] = Translations.Gujarati.Templates,
            [Translations.Kannada.Language] = Translations.Kannada.Templates,
            [Translations.Malayalam.Language] = Translations.Malayalam.Templates,
            [Translations.Odia.Language] = Translations.Odia.Templates,
            [Translations.Punjabi.Language] = Translations.Punjabi.Templates,
        };

    public static readonly IReadOnlyList<string> Languages = [English, Hindi, .. Translated.Keys];

    /// <summary>
    /// Telemed's address as SMS carry it (<c>Messages:PublicUrl</c>): a whole DLT variable, so at most 30 characters.
    /// A link to one thing is this address and a fixed path with its id as a second variable.
    /// </summary>
    private static readonly TemplateVariable Site = new("site", 30);

    private static readonly TemplateVariable Token = new("token", 4);

    /// <summary>Rupees with paise, as "1500.00"; the currency is in the registered text ("Rs" keeps English SMS in GSM-7).</summary>
    private static readonly TemplateVariable Amount = new("amount", 10);

    private static readonly TemplateVariable Name = new("name", 100);

    private static readonly TemplateVariable Link = new("link", 300);

    private static MessageTemplate Sms(string id, bool essential, TemplateVariable[] variables, string english, string hindi, int maxSegments = 2) =>
        new(id, MessageChannel.Sms, essential, variables, InEveryLanguage(id, english, hindi, translation => translation.Text), MaxSegments: maxSegments);

    private static MessageTemplate Email(string id, bool essential, TemplateVariable[] variables, (string Subject, string Text) english, (string Subject, string Text) hindi) =>
        new(id, MessageChannel.Email, essential, variables,
            InEveryLanguage(id, english.Text, hindi.Text, translation => translation.Text),
            InEveryLanguage(id, english.Subject, hindi.Subject, translation => translation.Subject));

    /// <summary>A template's texts: English, Hindi and each translated language that has one (the catalogue's tests find any gap).</summary>
    private static Dictionary<string, string> InEveryLanguage(string id, string english, string hindi, Func<Translation, string?> part)
    {
        var texts = new Dictionary<string, string> { [English] = english, [Hindi] = hindi };
        foreach (var (language, templates) in Translated)
        {
            if (templates.TryGetValue(id, out var translation) && part(translation) is { } text)
            {
                texts[language] = text;
            }
        }
        return texts;
    }

    public static readonly MessageTemplate SignInCode = Sms(
        "SignInCode", essential: true, [new("code", 6), new("minutes", 2)],
        "{code} is your Telemed sign-in code. It expires in {minutes} minutes. Never share it with anyone.",
        "{code} आपका Telemed कोड है। {minutes} मिनट तक मान्य। किसी से साझा न करें।",
        maxSegments: 1);

    /// <summary>The OTP that confirms, in the patient's PHR app, the linking of Telemed's records to their ABHA.</summary>
    public static readonly MessageTemplate RecordLinkCode = Sms(
        "RecordLinkCode", essential: true, [new("code", 6), new("minutes", 2)],
        "{code} is your code to link your Telemed health records to your ABHA. It expires in {minutes} minutes. Never share it.",
        "{code} आपके Telemed स्वास्थ्य रिकॉर्ड को ABHA से जोड़ने का कोड है। {minutes} मिनट तक मान्य। किसी से साझा न करें।",
        maxSegments: 2);

    public static readonly MessageTemplate Welcome = Sms(
        "Welcome", essential: false, [Site],
        "Welcome to Telemed. To see a doctor online, sign in at {site} with this mobile number.",
        "Telemed में आपका स्वागत है। डॉक्टर से ऑनलाइन मिलने के लिए इस मोबाइल नंबर से {site} पर साइन इन करें।");

    public static readonly MessageTemplate CheckedIn = Sms(
        "CheckedIn", essential: false, [Token, Site],
        "Telemed: you are checked in with token {token}. We will text you as your turn nears. Follow the queue at {site}",
        "Telemed: आपका टोकन {token} है। बारी पास आने पर हम SMS भेजेंगे। कतार यहाँ देखें: {site}");

    public static readonly MessageTemplate PlacesAhead = Sms(
        "PlacesAhead", essential: false, [Token, new("ahead", 3), Site],
        "Telemed: {ahead} patients ahead of token {token}. Please be ready, with {site} open on your phone.",
        "Telemed: टोकन {token} से पहले {ahead} मरीज़ हैं। कृपया तैयार रहें और {site} खुला रखें।");

    public static readonly MessageTemplate YouAreNext = Sms(
        "YouAreNext", essential: true, [Token, Site],
        "Telemed: token {token}, you are next. Open {site} now and keep it open so the doctor can call you.",
        "Telemed: टोकन {token}, अगली बारी आपकी है। अभी {site} खोलें और खुला रखें ताकि डॉक्टर कॉल कर सकें।");

    public static readonly MessageTemplate DoctorCalling = Sms(
        "DoctorCalling", essential: true, [Token, Site],
        "Telemed: the doctor is calling token {token} now. Open {site} to join the consultation.",
        "Telemed: डॉक्टर अभी टोकन {token} को बुला रहे हैं। परामर्श से जुड़ने के लिए {site} खोलें।");

    public static readonly MessageTemplate SessionPaused = Sms(
        "SessionPaused", essential: false, [Token],
        "Telemed: the doctor has paused the session for a while. Token {token} keeps its place; please stay ready.",
        "Telemed: डॉक्टर ने सत्र कुछ देर के लिए रोका है। टोकन {token} की जगह बनी रहेगी; कृपया तैयार रहें।");

    public static readonly MessageTemplate SessionClosed = Sms(
        "SessionClosed", essential: false, [Token, Site],
        "Telemed: the doctor's session ended before token {token} was seen. Please check in to another session at {site}",
        "Telemed: टोकन {token} की बारी से पहले सत्र समाप्त हो गया। कृपया {site} पर दूसरे सत्र में चेक-इन करें।");

    public static readonly MessageTemplate SessionCancelled = Sms(
        "SessionCancelled", essential: false, [Token, Site],
        "Telemed: the session of token {token} has been cancelled. A fee paid is refunded. Please check in to another session at {site}",
        "Telemed: टोकन {token} का सत्र रद्द हो गया है। शुल्क लौटाया जाएगा। कृपया {site} पर दूसरे सत्र में चेक-इन करें।");

    /// <summary><c>{site}/v/{rx}</c> is the prescription's public verification page (<c>rx</c>: its id in 22 URL-safe characters).</summary>
    public static readonly MessageTemplate PrescriptionReady = Sms(
        "PrescriptionReady", essential: false, [Site, new("rx", 22)],
        "Telemed: your prescription is ready. A pharmacy can check it at {site}/v/{rx}",
        "Telemed: आपका पर्चा तैयार है। फ़ार्मेसी इसे यहाँ जाँच सकती है: {site}/v/{rx}");

    public static readonly MessageTemplate PaymentReceipt = Sms(
        "PaymentReceipt", essential: false, [Amount, Token],
        "Telemed: received Rs {amount} for token {token}. Thank you. The receipt is in the app.",
        "Telemed: टोकन {token} के लिए ₹{amount} प्राप्त हुए। धन्यवाद। रसीद ऐप में है।");

    public static readonly MessageTemplate PaymentRefund = Sms(
        "PaymentRefund", essential: false, [Amount, Token],
        "Telemed: Rs {amount} paid for token {token} has been refunded. Banks take 5-10 working days to credit it.",
        "Telemed: टोकन {token} के ₹{amount} लौटा दिए गए हैं। खाते में आने में 5-10 कार्यदिवस लगते हैं।");

    public static readonly MessageTemplate FollowUpReminder = Sms(
        "FollowUpReminder", essential: false, [new("date", 11), Site],
        "Telemed: your doctor asked to see you again tomorrow, {date}. Check in to a session at {site}",
        "Telemed: डॉक्टर ने आपको कल, {date} को फिर दिखाने को कहा है। {site} पर चेक-इन करें।");

    /// <summary><c>{time}</c> is the slot's start in India time, "7 Dec 10:30".</summary>
    public static readonly MessageTemplate BookingReminder = Sms(
        "BookingReminder", essential: false, [new("time", 12), Site],
        "Telemed: your consultation is booked for {time}. Check in at {site} within 15 minutes of it to keep your place.",
        "Telemed: आपका परामर्श {time} पर बुक है। जगह बनाए रखने के लिए 15 मिनट के भीतर {site} पर चेक-इन करें।");

    public static readonly MessageTemplate BookingCancelled = Sms(
        "BookingCancelled", essential: false, [new("time", 12), Site],
        "Telemed: the OPD you booked for {time} has been cancelled. Please book another time at {site}",
        "Telemed: {time} के लिए बुक किया गया OPD रद्द हो गया है। कृपया {site} पर दूसरा समय बुक करें।");

    /// <summary><c>{from}</c> and <c>{time}</c>: the old and new slot's start in India time, "7 Dec 10:30".</summary>
    public static readonly MessageTemplate BookingMoved = Sms(
        "BookingMoved", essential: false, [new("from", 12), new("time", 12), Site],
        "Telemed: your health worker moved your consultation of {from} to {time}. Check in at {site} within 15 minutes of it to keep your place.",
        "Telemed: आपका {from} का परामर्श अब {time} पर है। 15 मिनट के भीतर {site} पर चेक-इन करें।");

    public static readonly MessageTemplate PrescriptionEmail = Email(
        "PrescriptionEmail", essential: false, [Name, new("doctor", 100), Link],
        ("Your Telemed prescription",
            "Hello {name},\n\nyour prescription from {doctor} is ready. Any pharmacy can check that it is genuine here:\n\n{link}\n\nSign in to Telemed to download it as a PDF."),
        ("आपका Telemed पर्चा",
            "नमस्ते {name},\n\n{doctor} का लिखा आपका पर्चा तैयार है। कोई भी फ़ार्मेसी यहाँ जाँच सकती है कि यह असली है:\n\n{link}\n\nPDF डाउनलोड करने के लिए Telemed में साइन इन करें।"));

    public static readonly MessageTemplate ReceiptEmail = Email(
        "ReceiptEmail", essential: false, [Name, Amount, Token, new("date", 11), Link],
        ("Your Telemed payment receipt",
            "Hello {name},\n\nTelemed received Rs {amount} on {date} for the consultation of token {token}. Thank you.\n\nThe receipt (PDF) is in Telemed: {link}"),
        ("आपकी Telemed भुगतान रसीद",
            "नमस्ते {name},\n\nटोकन {token} के परामर्श के लिए {date} को ₹{amount} प्राप्त हुए। धन्यवाद।\n\nरसीद (PDF) Telemed में है: {link}"));

    public static readonly MessageTemplate StaffFirstPassword = Email(
        "StaffFirstPassword", essential: true, [Name, Link, new("hours", 2)],
        ("Your Telemed account",
            "Hello {name},\n\nan administrator has registered you on Telemed. Choose your password here within {hours} hours:\n\n{link}\n\nThe link works once. If it has expired, ask for a new one with \"Forgot password\" on the sign-in page."),
        ("आपका Telemed खाता",
            "नमस्ते {name},\n\nएक प्रशासक ने आपको Telemed पर पंजीकृत किया है। {hours} घंटे के भीतर यहाँ अपना पासवर्ड चुनें:\n\n{link}\n\nयह लिंक एक ही बार काम करता है। समय बीत जाने पर साइन-इन पेज पर \"पासवर्ड भूल गए\" से नया लिंक मँगाएँ।"));

    public static readonly MessageTemplate StaffPasswordReset = Email(
        "StaffPasswordReset", essential: true, [Name, Link, new("minutes", 2)],
        ("Reset your Telemed password",
            "Hello {name},\n\nsomeone (we hope you) asked to reset your Telemed password. Choose a new one here within {minutes} minutes:\n\n{link}\n\nThe link works once. If you did not ask, ignore this e-mail: your password stays as it is."),
        ("अपना Telemed पासवर्ड बदलें",
            "नमस्ते {name},\n\nआपके Telemed पासवर्ड को बदलने का अनुरोध मिला है। {minutes} मिनट के भीतर यहाँ नया पासवर्ड चुनें:\n\n{link}\n\nयह लिंक एक ही बार काम करता है। यदि आपने अनुरोध नहीं किया, तो इस ई-मेल को अनदेखा करें।"));

    public static readonly IReadOnlyDictionary<string, MessageTemplate> All = new[]
    {
        SignInCode, RecordLinkCode, Welcome, CheckedIn, PlacesAhead, YouAreNext, DoctorCalling, SessionPaused, SessionClosed, SessionCancelled,
        PrescriptionReady, PaymentReceipt, PaymentRefund, FollowUpReminder, BookingReminder, BookingCancelled, BookingMoved, PrescriptionEmail, ReceiptEmail, StaffFirstPassword, StaffPasswordReset,
    }.ToFrozenDictionary(template => template.Id, StringComparer.Ordinal);

    /// <summary>A recipient's language as a request names it (English when it names none).</summary>
    public static Result<string, Invalid> ParseLanguage(string? raw)
    {
        var language = raw?.Trim().ToLowerInvariant() ?? English;
        return Languages.Contains(language) ? language : new Invalid($"Messages are written in {string.Join(", ", Languages)}.");
    }

    public static Result<MessageTemplate, Invalid> Find(string? id) =>
        id is not null && All.TryGetValue(id, out var template) ? template : new Invalid($"There is no message template '{id}'.");

    /// <summary>
    /// The text for these variables, or what is wrong with them: a variable missing, unknown, empty, too long or with
    /// line breaks (a DLT variable is one line), a language the catalogue lacks, an SMS beyond its length budget.
    /// </summary>
    public static Result<ComposedMessage, Invalid> Compose(MessageTemplate template, string language, IReadOnlyDictionary<string, string> variables)
    {
        if (!template.Texts.TryGetValue(language, out var text))
        {
            return new Invalid($"Template '{template.Id}' has no text in language '{language}' (it has {string.Join(", ", template.Texts.Keys)}).");
        }
        if (variables.Keys.FirstOrDefault(name => template.Variables.All(v => v.Name != name)) is { } unknown)
        {
            return new Invalid($"Template '{template.Id}' has no variable '{unknown}'.");
        }
        var composed = new StringBuilder(text);
        foreach (var variable in template.Variables)
        {
            if (!variables.TryGetValue(variable.Name, out var value) || string.IsNullOrWhiteSpace(value))
            {
                return new Invalid($"Template '{template.Id}' needs the variable '{variable.Name}'.");
            }
            if (value.Length > variable.MaxLength)
            {
                return new Invalid($"Variable '{variable.Name}' of template '{template.Id}' may be at most {variable.MaxLength} characters; this is {value.Length}.");
            }
            if (value.Any(char.IsControl))
            {
                return new Invalid($"Variable '{variable.Name}' of template '{template.Id}' must be one line without control characters.");
            }
            composed.Replace($"{{{variable.Name}}}", value);
        }
        var result = composed.ToString();
        if (template.Channel == MessageChannel.Sms && SmsLength.Measure(result) is { } measure && measure.Segments > template.MaxSegments)
        {
            return new Invalid($"Template '{template.Id}' in '{language}' would take {measure.Segments} SMS segments; its budget is {template.MaxSegments}.");
        }
        return new ComposedMessage(result, template.Subject(language));
    }
}
