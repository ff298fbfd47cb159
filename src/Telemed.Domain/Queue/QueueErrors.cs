namespace Telemed.Domain.Queue;

public enum QueueErrorCode
{
    NotSessionDoctor,
    NotYourToken,
    SessionClosed,
    SessionPaused,
    SessionEnded,
    SessionNotToday,
    SessionFull,
    AlreadyInState,
    NobodyWaiting,
    TokenNotFound,
    WrongTokenState,
    DoctorBusy,
    CalledByAnotherDoctor,
    RecordIncomplete,
    PaymentRequired,
    PaymentTooLate,
    MinorUnaccompanied,
    SlotNotFound,
    SlotStarted,
    SlotTaken,
    AlreadyBooked,
    BookingNotFound,
    NotYourBooking,
    WrongBookingState,
    NotFollowUpDoctor,

    /// <summary>Completing would sign a prescription, and the doctor's signing key is not unlocked for it.</summary>
    SigningLocked,
}

/// <summary>Why a queue command was refused: a code clients can switch on and a sentence people can read.</summary>
public sealed record QueueError(QueueErrorCode Code, string Message)
{
    public static QueueError NotSessionDoctor => new(QueueErrorCode.NotSessionDoctor, "You are not a doctor of this OPD session.");

    public static QueueError NotYourToken => new(QueueErrorCode.NotYourToken, "This token belongs to another patient.");

    public static QueueError NotYourBooking => new(QueueErrorCode.NotYourBooking, "This booking belongs to another patient.");

    public static QueueError BookingNotFound => new(QueueErrorCode.BookingNotFound, "There is no such booking in this session.");

    public static QueueError Closed => new(QueueErrorCode.SessionClosed, "This OPD session is closed.");

    public static QueueError Paused => new(QueueErrorCode.SessionPaused, "This OPD session is paused; resume it to call patients.");

    public static QueueError TokenNotFound(int token) => new(QueueErrorCode.TokenNotFound, $"There is no token {token} in this session.");

    public static QueueError WrongState(QueueEntry entry, string action) =>
        new(QueueErrorCode.WrongTokenState, $"Token {entry.Token} is {Describe(entry.State)}, so it cannot be {action}.");

    public static string Describe(TokenState state) => state switch
    {
        TokenState.Waiting => "waiting",
        TokenState.Called => "already called",
        TokenState.InConsultation => "in consultation",
        TokenState.Completed => "completed",
        TokenState.Skipped => "skipped",
        TokenState.NoShow => "marked no-show",
        TokenState.Recalled => "recalled and waiting",
        TokenState.Cancelled => "cancelled",
        TokenState.Left => "marked as left",
        TokenState.AwaitingPayment => "awaiting payment",
        TokenState.PaymentExpired => "expired unpaid",
        TokenState.NotHeld => "marked as not held",
        _ => state.ToString(),
    };
}
