namespace Telemed.Browser.Tests.Support;

/// <summary>The collection every browser test class but the session-expiry one joins, so they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class OneAtATime
{
    public const string Name = "One at a time";
}
