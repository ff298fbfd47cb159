using System.Collections.Concurrent;
using System.Globalization;

namespace Telemed.AbdmSimulator;

/// <summary>A person as UIDAI knows them: what an Aadhaar OTP proves and an ABHA created from it carries.</summary>
public sealed record Resident(string Aadhaar, string Name, string Gender, DateOnly DateOfBirth, string Mobile, string District = "Pune", string State = "Maharashtra");

/// <summary>An ABHA account: its number, its addresses (the first preferred), the person, and the mobile ABDM sends OTPs to.</summary>
public sealed class AbhaAccount
{
    public required string Number { get; init; }

    public required List<string> Addresses { get; init; }

    public required Resident Person { get; init; }

    /// <summary>The communication mobile (null until verified when it is not the Aadhaar-linked one).</summary>
    public string? Mobile { get; set; }

    public string Status { get; set; } = "ACTIVE";

    public string PreferredAddress => Addresses[0];

    public string Digits => Number.Replace("-", "", StringComparison.Ordinal);

    public string FirstName => Person.Name.Split(' ')[0];

    public string LastName => Person.Name.Contains(' ', StringComparison.Ordinal) ? Person.Name[(Person.Name.LastIndexOf(' ') + 1)..] : "";

    public string MiddleName
    {
        get
        {
            var words = Person.Name.Split(' ');
            return words.Length > 2 ? string.Join(' ', words[1..^1]) : "";
        }
    }
}

/// <summary>A professional in the HPR.</summary>
public sealed record Professional(string HprIdNumber, string Name, string HprId, string CategoryId = "1", string SubCategoryId = "1");

/// <summary>A facility in the HFR.</summary>
public sealed record HealthFacility(string FacilityId, string FacilityName, string State, string District, string FacilityStatus = "Approved", string Ownership = "G");

/// <summary>Everyone and everything the simulated ABDM knows, seeded with the demo cast (Telemed's demo accounts).</summary>
public sealed class Population
{
    private readonly ConcurrentDictionary<string, Resident> residents = new();
    private readonly ConcurrentDictionary<string, AbhaAccount> accounts = new();
    private readonly ConcurrentDictionary<string, Professional> professionals = new();
    private readonly ConcurrentDictionary<string, HealthFacility> facilities = new();
    private int nextNumber = 1000;

    /// <summary>Aadhaar numbers of the demo cast (valid Verhoeff check digits; UIDAI's sandbox uses made-up numbers too).</summary>
    public static readonly string PriyaAadhaar = WithCheckDigit("49876543210");
    public static readonly string RameshAadhaar = WithCheckDigit("58123456789");
    public static readonly string FatimaAadhaar = WithCheckDigit("67012345678");
    public static readonly string SunitaAadhaar = WithCheckDigit("74455667788");
    public static readonly string ArjunAadhaar = WithCheckDigit("83322114455");

    public void SeedDemo()
    {
        Open(new Resident(PriyaAadhaar, "Priya Sharma", "F", new DateOnly(1988, 6, 14), "9876543210"), "91-1111-2222-3333", "priya.sharma@sbx");
        Open(new Resident(RameshAadhaar, "Ramesh Kumar", "M", new DateOnly(1956, 1, 1), "9812345678"), "91-2222-3333-4444", "ramesh.kumar56@sbx");
        Open(new Resident(FatimaAadhaar, "Fatima Shaikh", "F", new DateOnly(1995, 1, 30), "7012345678"), "91-3333-4444-5555", "fatima.shaikh@sbx");
        // Two residents with no ABHA yet, to create one in the demo.
        Add(new Resident(SunitaAadhaar, "Sunita Devi", "F", new DateOnly(1990, 8, 2), "9000011111"));
        Add(new Resident(ArjunAadhaar, "Arjun Patil", "M", new DateOnly(2001, 11, 23), "9000022222"));
        Add(new Professional("71-1234-5678-9012", "Asha Verma", "asha.verma@hpr.abdm"));
        Add(new Professional("71-2345-6789-0123", "Rahul Nair", "rahul.nair@hpr.abdm"));
        Add(new HealthFacility("IN2710000123", "Telemed District Hospital", "Maharashtra", "Pune"));
        // The ones docs/api.md's walkthrough registers.
        Add(new Professional("71-9876-5432-1098", "Sunita Reddy", "sunita.reddy@hpr.abdm"));
        Add(new HealthFacility("IN2910000777", "PHC Hebbal", "Karnataka", "Bengaluru Urban"));
    }

    public void Add(Resident resident) => residents[resident.Aadhaar] = resident;

    /// <summary>A resident with an ABHA (its number and address given, or made up), its mobile the Aadhaar-linked one.</summary>
    public AbhaAccount Open(Resident resident, string? number = null, string? address = null)
    {
        Add(resident);
        number ??= NewNumber();
        var account = new AbhaAccount
        {
            Number = number,
            Addresses = [address ?? $"{number.Replace("-", "", StringComparison.Ordinal)}@sbx"],
            Person = resident,
            Mobile = resident.Mobile,
        };
        accounts[number] = account;
        return account;
    }

    public void Add(Professional professional) => professionals[professional.HprIdNumber] = professional;

    public void Add(HealthFacility facility) => facilities[facility.FacilityId] = facility;

    public Resident? Resident(string aadhaar) => residents.GetValueOrDefault(aadhaar);

    public AbhaAccount? ByNumber(string number) => accounts.GetValueOrDefault(number);

    public AbhaAccount? ByAddress(string address) =>
        accounts.Values.FirstOrDefault(a => a.Addresses.Contains(address, StringComparer.OrdinalIgnoreCase));

    public AbhaAccount? ByResident(Resident resident) => accounts.Values.FirstOrDefault(a => a.Person.Aadhaar == resident.Aadhaar);

    public Professional? Professional(string hprIdNumber) => professionals.GetValueOrDefault(hprIdNumber);

    public HealthFacility? Facility(string facilityId) => facilities.GetValueOrDefault(facilityId);

    public string NewNumber()
    {
        var serial = Interlocked.Increment(ref nextNumber);
        var digits = $"91{Random.Shared.Next(1000, 9999)}{serial:D4}{Random.Shared.Next(1000, 9999)}";
        var number = $"{digits[..2]}-{digits[2..6]}-{digits[6..10]}-{digits[10..]}";
        return accounts.ContainsKey(number) ? NewNumber() : number;
    }

    /// <summary>A made-up but well-formed Aadhaar number (its Verhoeff check digit appended), for tests' residents.</summary>
    public static string NewAadhaar() => WithCheckDigit(Random.Shared.NextInt64(20_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture));

    public static string WithCheckDigit(string elevenDigits) => elevenDigits + Verhoeff.CheckDigit(elevenDigits);
}

/// <summary>
/// The Verhoeff check digit UIDAI puts last on every Aadhaar number. The stand-in keeps its own copy rather than Telemed's:
/// a mistake in Telemed's check must not be mirrored by the service it is tested against.
/// </summary>
internal static class Verhoeff
{
    private static readonly int[,] D =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly int[,] P =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly int[] Inv = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

    public static char CheckDigit(string digits) => (char)('0' + Inv[Checksum(digits + "0")]);

    public static bool IsValid(string digits) => digits.Length == 12 && digits.All(char.IsAsciiDigit) && digits[0] is not ('0' or '1') && Checksum(digits) == 0;

    private static int Checksum(string digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            c = D[c, P[i % 8, digits[digits.Length - 1 - i] - '0']];
        }
        return c;
    }
}
