namespace Telemed.Server.Infrastructure;

/// <summary>The one place new identifiers come from: time-ordered (v7) so indexes stay compact.</summary>
public static class Ids
{
    public static Guid New() => Guid.CreateVersion7();
}
