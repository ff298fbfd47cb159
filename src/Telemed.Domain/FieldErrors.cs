namespace Telemed.Domain;

/// <summary>
/// Collects what is wrong with a request, field by field, so the caller hears about every problem at once
/// (and not one per round trip). Field names are the JSON names the client sent.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    /// <summary>How many problems are recorded, so a parser can tell whether its own part added any.</summary>
    public int Count => errors.Values.Sum(messages => messages.Count);

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>A required value: records the error and returns null when it does not parse.</summary>
    public T? Require<T>(string field, Result<T, Invalid> parsed) where T : class
    {
        if (parsed.IsSuccess)
        {
            return parsed.Value;
        }
        Add(field, parsed.Error.Message);
        return null;
    }

    /// <summary>A required value of a value type (an enum, a number).</summary>
    public T? RequireValue<T>(string field, Result<T, Invalid> parsed) where T : struct
    {
        if (parsed.IsSuccess)
        {
            return parsed.Value;
        }
        Add(field, parsed.Error.Message);
        return null;
    }

    /// <summary>An optional value: null or blank input is fine, anything else must parse.</summary>
    public T? Optional<T>(string field, string? raw, Func<string?, Result<T, Invalid>> parse) where T : class =>
        string.IsNullOrWhiteSpace(raw) ? null : Require(field, parse(raw));

    public IDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
