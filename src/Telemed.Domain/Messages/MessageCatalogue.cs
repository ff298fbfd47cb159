using System.Collections.Frozen;
using System.Text;

namespace Telemed.Domain.Messages;

public enum MessageChannel
{
    Sms,
    Email,
}

/// <summary>A value a template takes, at most this long (an SMS variable is at most 30 characters under DLT).</summary>
public sealed record TemplateVariable(string Name, int MaxLength);

/// <summary>
/// One message Telemed sends, in every language the web client speaks. Texts name their variables as <c>{name}</c>;
/// as registered with DLT each becomes <c>{#var#}</c>. Essential messages (codes, "you are next", a reset someone
/// asked for) go at any hour and to people who opted out of the rest.
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

/// <summary>The text a recipient receives, composed from a template, a language and its variables.</summary>
public sealed record ComposedMessage(string Text, string? Subject);

/// <summary>Every message Telemed can send. Texts are checked here, when a message is queued and again when it is sent.</summary>
public static class MessageCatalogue
{
    public const string English = "en";
    public const string Hindi = "hi";
    public static readonly IReadOnlyList<string> Languages = [English, Hindi];

    public static readonly MessageTemplate SignInCode = new(
        "SignInCode", MessageChannel.Sms, Essential: true,
        [new("code", 6), new("minutes", 2)],
        new Dictionary<string, string>
        {
            [English] = "{code} is your Telemed sign-in code. It expires in {minutes} minutes. Never share it with anyone.",
            [Hindi] = "{code} आपका Telemed कोड है। {minutes} मिनट तक मान्य। किसी से साझा न करें।",
        },
        MaxSegments: 1);

    public static readonly MessageTemplate PasswordReset = new(
        "PasswordReset", MessageChannel.Email, Essential: true,
        [new("name", 100), new("link", 300), new("minutes", 2)],
        new Dictionary<string, string>
        {
            [English] = "Hello {name},\n\nsomeone (we hope you) asked to reset your Telemed password. Choose a new one here within {minutes} minutes:\n\n{link}\n\nThe link works once. If you did not ask, ignore this e-mail: your password stays as it is.",
            [Hindi] = "नमस्ते {name},\n\nआपके Telemed पासवर्ड को बदलने का अनुरोध मिला है। {minutes} मिनट के भीतर यहाँ नया पासवर्ड चुनें:\n\n{link}\n\nयह लिंक एक ही बार काम करता है। यदि आपने अनुरोध नहीं किया, तो इस ई-मेल को अनदेखा करें।",
        },
        new Dictionary<string, string> { [English] = "Reset your Telemed password", [Hindi] = "अपना Telemed पासवर्ड बदलें" });

    public static readonly IReadOnlyDictionary<string, MessageTemplate> All =
        new[] { SignInCode, PasswordReset }.ToFrozenDictionary(template => template.Id, StringComparer.Ordinal);

    /// <summary>A recipient's language as a request names it (English when it names none).</summary>
    public static Result<string, Invalid> ParseLanguage(string? raw)
    {
        var language = raw?.Trim().ToLowerInvariant() ?? English;
        return Languages.Contains(language) ? language : new Invalid($"Messages are written in {string.Join(" or ", Languages)}.");
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
