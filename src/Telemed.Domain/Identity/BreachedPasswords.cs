namespace Telemed.Domain.Identity;

/// <summary>
/// Passwords long enough to pass the length rule that breached-password lists hold anyway (breached-passwords.txt, case
/// ignored): OWASP ASVS V6 asks new passwords to be checked against such a list.
/// </summary>
public static class BreachedPasswords
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static bool Contains(string password) => List.Value.Contains(password);

    private static HashSet<string> Load()
    {
        using var stream = typeof(BreachedPasswords).Assembly.GetManifestResourceStream("Telemed.Domain.Identity.breached-passwords.txt")
            ?? throw new InvalidOperationException("The breached-password list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                passwords.Add(line);
            }
        }
        return passwords;
    }
}
