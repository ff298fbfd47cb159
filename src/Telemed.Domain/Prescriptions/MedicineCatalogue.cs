using System.Collections.Frozen;

namespace Telemed.Domain.Prescriptions;

/// <summary>The lists of the Telemedicine Practice Guidelines 2020 (India), Annex: which medicines may be prescribed how.</summary>
public enum TpgList
{
    /// <summary>Over-the-counter type: any mode of teleconsultation.</summary>
    O,

    /// <summary>Low potential for abuse: in a video consultation, for a first consult or a refill.</summary>
    A,

    /// <summary>Add-on medicines optimising an existing condition: follow-up consultations only.</summary>
    B,

    /// <summary>Schedule X and NDPS substances: never by telemedicine.</summary>
    Prohibited,
}

/// <summary>
/// Where the TPG 2020 annex places a medicine. With the purpose of a prescription line it gives the line's
/// <see cref="TpgList"/> (<see cref="MedicineRules.ListOf"/>).
/// </summary>
public enum TpgGroup
{
    /// <summary>Over-the-counter type: List O whatever the purpose.</summary>
    O,

    /// <summary>Diagnosed on video: started or continued in List A, added on in List B.</summary>
    A,

    /// <summary>Chronic-disease medicine: refilled in List A or added on in List B; never started by telemedicine.</summary>
    Chronic,

    /// <summary>Schedule X, NDPS and anti-cancer medicines: never by telemedicine.</summary>
    Prohibited,
}

/// <summary>Why the doctor prescribes a line: TPG 2020 lists a medicine by what it is and by this.</summary>
public enum MedicinePurpose
{
    /// <summary>A new medicine for the condition.</summary>
    Start,

    /// <summary>More of a medicine the patient already takes (in an earlier prescription).</summary>
    Refill,

    /// <summary>Added to the patient's existing therapy for the same condition, on a follow-up.</summary>
    AddOn,
}

/// <summary>One catalogue row; <see cref="Source"/> says where its group comes from, for clinical review.</summary>
public sealed record CatalogueMedicine(string Generic, IReadOnlyList<string> Forms, TpgGroup Group, string Source);

/// <summary>Generic medicines the doctor may pick from, each with its TPG list. Seeded from medicines.csv in this assembly.</summary>
public sealed class MedicineCatalogue
{
    private readonly FrozenDictionary<string, CatalogueMedicine> byGeneric;

    public MedicineCatalogue(IEnumerable<CatalogueMedicine> medicines) =>
        byGeneric = medicines.ToFrozenDictionary(m => Key(m.Generic), StringComparer.Ordinal);

    public static MedicineCatalogue Seeded { get; } = new(ReadSeed());

    public IReadOnlyCollection<CatalogueMedicine> All => byGeneric.Values;

    public CatalogueMedicine? Find(string? generic) => generic is null ? null : byGeneric.GetValueOrDefault(Key(generic));

    /// <summary>Medicines whose generic name contains the text, best (prefix) matches first; for the doctor's picker.</summary>
    public IEnumerable<CatalogueMedicine> Search(string text, int limit)
    {
        var key = Key(text);
        return byGeneric.Values
            .Where(m => m.Generic.Contains(key, StringComparison.Ordinal))
            .OrderBy(m => m.Generic.StartsWith(key, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(m => m.Generic, StringComparer.Ordinal)
            .Take(limit);
    }

    private static string Key(string generic) =>
        string.Join(' ', generic.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static List<CatalogueMedicine> ReadSeed()
    {
        using var stream = typeof(MedicineCatalogue).Assembly.GetManifestResourceStream("Telemed.Domain.Prescriptions.medicines.csv")
            ?? throw new InvalidOperationException("medicines.csv is not embedded in Telemed.Domain.");
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine();
        if (header != "generic,forms,group,source")
        {
            throw new InvalidOperationException($"medicines.csv starts with '{header}', expected 'generic,forms,group,source'.");
        }
        var medicines = new List<CatalogueMedicine>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split(',');
            var group = fields[2] switch
            {
                "O" => TpgGroup.O,
                "A" => TpgGroup.A,
                "C" => TpgGroup.Chronic,
                "P" => TpgGroup.Prohibited,
                _ => throw new InvalidOperationException($"medicines.csv: unknown group '{fields[2]}' for {fields[0]}."),
            };
            if (fields.Length != 4 || fields[3].Length == 0)
            {
                throw new InvalidOperationException($"medicines.csv: {fields[0]} needs its source.");
            }
            medicines.Add(new CatalogueMedicine(fields[0], fields[1].Split('|'), group, fields[3]));
        }
        return medicines;
    }
}
