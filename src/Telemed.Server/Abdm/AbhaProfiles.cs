using System.Globalization;
using System.Text.Json.Nodes;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;

namespace Telemed.Server.Abdm;

/// <summary>ABDM's profiles (an ABHA account, a PHR profile, a shared profile) in Telemed's terms.</summary>
public static class AbhaProfiles
{
    /// <summary>
    /// The profile from its parts: gender M/F/O (T), the date of birth from day, month and year or from <c>dob</c>
    /// (dd-MM-yyyy). Null without a valid ABHA number, a name or a year of birth.
    /// </summary>
    public static AbhaProfile? Read(JsonObject profile, string? number, string? address, string? name, string? mobile)
    {
        var parsed = AbhaNumber.Parse(number);
        if (!parsed.IsSuccess || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        DateOnly? dateOfBirth = null;
        int? year = int.TryParse(Text(profile["yearOfBirth"]), CultureInfo.InvariantCulture, out var y) ? y : null;
        if (year is { } born && int.TryParse(Text(profile["monthOfBirth"]), CultureInfo.InvariantCulture, out var month)
            && int.TryParse(Text(profile["dayOfBirth"]), CultureInfo.InvariantCulture, out var day)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(born, month))
        {
            dateOfBirth = new DateOnly(born, month, day);
        }
        else if (year is null && DateOnly.TryParseExact(Text(profile["dob"]), "dd-MM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            (dateOfBirth, year) = (dob, dob.Year);
        }
        if (year is null)
        {
            return null;
        }
        var sex = Text(profile["gender"]) switch
        {
            "F" => Sex.Female,
            "M" => Sex.Male,
            "O" or "T" => Sex.Other,
            _ => Sex.Unknown,
        };
        var abhaAddress = AbhaAddress.Parse(address);
        return new AbhaProfile(parsed.Value.Value, abhaAddress.IsSuccess ? abhaAddress.Value.Value : null, name.Trim(), sex, year.Value, dateOfBirth, mobile);
    }

    public static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}
