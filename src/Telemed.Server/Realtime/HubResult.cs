namespace Telemed.Server.Realtime;

/// <summary>A hub reply: the value, or a typed error for this caller only (the connection stays open).</summary>
public sealed record HubResult<T>(bool Ok, T? Value, HubError? Error)
{
    public static HubResult<T> Success(T value) => new(true, value, null);

    public static HubResult<T> Failure(string code, string message) => new(false, default, new HubError(code, message));
}

public sealed record HubError(string Code, string Message);
