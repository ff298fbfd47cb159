using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;

namespace Telemed.Server.Records;

/// <summary>
/// The entries of one document bundle. Every resource's id is a name-based UUID (RFC 9562 version 8, SHA-256) of the document's
/// own id and the resource's key, so the same record always yields the same bundle, and references can be made before the
/// resource they point at is built.
/// </summary>
internal sealed class FhirEntries(Guid documentId, string documentKind)
{
    private readonly List<Bundle.EntryComponent> entries = [];

    public IReadOnlyList<Bundle.EntryComponent> All => entries;

    public Guid IdOf(string key) => Infrastructure.Ids.NameBased(documentId, $"{documentKind}/{key}");

    public string UrlOf(string key) => $"urn:uuid:{IdOf(key)}";

    public ResourceReference Ref(string key, string type, string? display = null) =>
        new() { Reference = UrlOf(key), Type = type, Display = display };

    /// <summary>Adds the resource under its key; returns a reference to it.</summary>
    public ResourceReference Add(string key, Resource resource) => Insert(entries.Count, key, resource);

    public ResourceReference AddFirst(string key, Resource resource) => Insert(0, key, resource);

    private ResourceReference Insert(int index, string key, Resource resource)
    {
        resource.Id = IdOf(key).ToString();
        entries.Insert(index, new Bundle.EntryComponent { FullUrl = UrlOf(key), Resource = resource });
        return Ref(key, resource.TypeName);
    }

    public static Meta Profile(string profile) => new() { Profile = [FhirCodes.ProfileBase + profile] };

    /// <summary>Generated narrative: one paragraph per non-empty line of text, escaped.</summary>
    public static Narrative Narrative(params string?[] lines)
    {
        var body = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
        foreach (var line in lines.SelectMany(l => l?.Split('\n') ?? []).Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            body.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }
        return new Narrative { Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Generated, Div = body.Append("</div>").ToString() };
    }
}
