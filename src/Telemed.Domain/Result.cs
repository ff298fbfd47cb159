namespace Telemed.Domain;

/// <summary>Either a value or the reason there is none. Decisions and parsers return this instead of throwing.</summary>
public readonly struct Result<T, TError>
{
    private readonly T? value;
    private readonly TError? error;

    private Result(T? value, TError? error, bool isSuccess)
    {
        this.value = value;
        this.error = error;
        IsSuccess = isSuccess;
    }

    public bool IsSuccess { get; }

    public T Value => IsSuccess ? value! : throw new InvalidOperationException($"No value: {error}");

    public TError Error => IsSuccess ? throw new InvalidOperationException("No error: the result is a success.") : error!;

    public static Result<T, TError> Success(T value) => new(value, default, true);

    public static Result<T, TError> Failure(TError error) => new(default, error, false);

#pragma warning disable CA2225 // Friendly alternates are Success/Failure above.
    public static implicit operator Result<T, TError>(T value) => Success(value);

    public static implicit operator Result<T, TError>(TError error) => Failure(error);
#pragma warning restore CA2225

    public override string ToString() => IsSuccess ? $"Success({value})" : $"Failure({error})";
}
