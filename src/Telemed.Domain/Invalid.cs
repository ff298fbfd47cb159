namespace Telemed.Domain;

/// <summary>Why an input was refused, in words a user can act on.</summary>
public sealed record Invalid(string Message)
{
    public override string ToString() => Message;
}
