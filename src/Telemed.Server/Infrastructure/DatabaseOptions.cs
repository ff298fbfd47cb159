using System.ComponentModel.DataAnnotations;

namespace Telemed.Server.Infrastructure;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string of the PostgreSQL database that holds every event stream and document.</summary>
    [Required(ErrorMessage = "Database:ConnectionString is required (the PostgreSQL connection string).")]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// When set, the schema is created and updated through this connection (the role that owns the tables), and the
    /// role of <see cref="ConnectionString"/> is granted what the server needs and no more: it may read and append
    /// events and audit entries but not change or delete them. Unset, the server's own role applies the schema.
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>PostgreSQL schema for Telemed's tables; tests use one per test class.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Database:Schema must be a lower-case PostgreSQL identifier.")]
    public string Schema { get; set; } = "telemed";
}
