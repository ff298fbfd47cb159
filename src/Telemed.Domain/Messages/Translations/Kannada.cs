namespace Telemed.Domain.Messages.Translations;

/// <summary>Kannada texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Kannada
{
    public const string Language = "kn";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} ನಿಮ್ಮ Telemed ಕೋಡ್. {minutes} ನಿಮಿಷ ಮಾನ್ಯ. ಯಾರಿಗೂ ಹೇಳಬೇಡಿ."),
        ["RecordLinkCode"] = new("{code} ನಿಮ್ಮ Telemed ಆರೋಗ್ಯ ದಾಖಲೆಗಳನ್ನು ABHA ಗೆ ಜೋಡಿಸುವ ಕೋಡ್. {minutes} ನಿಮಿಷ ಮಾನ್ಯ. ಯಾರಿಗೂ ಹೇಳಬೇಡಿ."),
        ["Welcome"] = new("Telemed ಗೆ ಸ್ವಾಗತ. ವೈದ್ಯರನ್ನು ಆನ್‌ಲೈನ್‌ನಲ್ಲಿ ಕಾಣಲು ಈ ಮೊಬೈಲ್ ಸಂಖ್ಯೆಯಿಂದ ಸೈನ್ ಇನ್ ಮಾಡಿ: {site}"),
        ["CheckedIn"] = new("Telemed: ನಿಮ್ಮ ಟೋಕನ್ {token}. ನಿಮ್ಮ ಸರದಿ ಹತ್ತಿರವಾದಾಗ SMS ಕಳುಹಿಸುತ್ತೇವೆ. ಸರತಿಯನ್ನು ಇಲ್ಲಿ ನೋಡಿ: {site}"),
        ["PlacesAhead"] = new("Telemed: ಟೋಕನ್ {token} ಗಿಂತ ಮೊದಲು {ahead} ರೋಗಿಗಳಿದ್ದಾರೆ. ದಯವಿಟ್ಟು ಸಿದ್ಧರಾಗಿರಿ, {site} ತೆರೆದಿಡಿ."),
        ["YouAreNext"] = new("Telemed: ಟೋಕನ್ {token}, ಮುಂದಿನ ಸರದಿ ನಿಮ್ಮದು. ವೈದ್ಯರು ಕರೆ ಮಾಡಲು ಈಗಲೇ {site} ತೆರೆದಿಡಿ."),
        ["DoctorCalling"] = new("Telemed: ವೈದ್ಯರು ಈಗ ಟೋಕನ್ {token} ಅನ್ನು ಕರೆಯುತ್ತಿದ್ದಾರೆ. ಸಮಾಲೋಚನೆಗೆ ಸೇರಲು {site} ತೆರೆಯಿರಿ."),
        ["SessionPaused"] = new("Telemed: ವೈದ್ಯರು ಸೆಷನ್ ಅನ್ನು ಸ್ವಲ್ಪ ಸಮಯ ನಿಲ್ಲಿಸಿದ್ದಾರೆ. ಟೋಕನ್ {token} ಸ್ಥಾನ ಉಳಿಯುತ್ತದೆ; ದಯವಿಟ್ಟು ಸಿದ್ಧರಾಗಿರಿ."),
        ["SessionClosed"] = new("Telemed: ಟೋಕನ್ {token} ಸರದಿಗೆ ಮೊದಲೇ ಸೆಷನ್ ಮುಗಿದಿದೆ. ದಯವಿಟ್ಟು {site} ನಲ್ಲಿ ಬೇರೆ ಸೆಷನ್‌ಗೆ ಚೆಕ್ ಇನ್ ಮಾಡಿ."),
        ["SessionCancelled"] = new("Telemed: ಟೋಕನ್ {token} ಸೆಷನ್ ರದ್ದಾಗಿದೆ. ಶುಲ್ಕ ಮರುಪಾವತಿಯಾಗುತ್ತದೆ. {site} ನಲ್ಲಿ ಬೇರೆ ಸೆಷನ್‌ಗೆ ಚೆಕ್ ಇನ್ ಮಾಡಿ."),
        ["PrescriptionReady"] = new("Telemed: ನಿಮ್ಮ ಪ್ರಿಸ್ಕ್ರಿಪ್ಷನ್ ಸಿದ್ಧ. ಫಾರ್ಮಸಿ ಇದನ್ನು ಇಲ್ಲಿ ಪರಿಶೀಲಿಸಬಹುದು: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: ಟೋಕನ್ {token} ಗಾಗಿ ₹{amount} ಸ್ವೀಕರಿಸಲಾಗಿದೆ. ಧನ್ಯವಾದಗಳು. ರಸೀದಿ ಆ್ಯಪ್‌ನಲ್ಲಿದೆ."),
        ["PaymentRefund"] = new("Telemed: ಟೋಕನ್ {token} ಗಾಗಿ ಪಾವತಿಸಿದ ₹{amount} ಮರುಪಾವತಿಯಾಗಿದೆ. ಖಾತೆಗೆ ಜಮೆಯಾಗಲು 5-10 ಕೆಲಸದ ದಿನಗಳು ಬೇಕು."),
        ["FollowUpReminder"] = new("Telemed: ನಾಳೆ, {date} ರಂದು ಮತ್ತೆ ಬರಲು ವೈದ್ಯರು ಹೇಳಿದ್ದಾರೆ. {site} ನಲ್ಲಿ ಚೆಕ್ ಇನ್ ಮಾಡಿ."),
        ["BookingReminder"] = new("Telemed: ಸಮಾಲೋಚನೆ {time} ಕ್ಕೆ ಬುಕ್ ಆಗಿದೆ. ಸ್ಥಾನ ಉಳಿಸಿಕೊಳ್ಳಲು 15 ನಿಮಿಷದೊಳಗೆ {site} ನಲ್ಲಿ ಚೆಕ್ ಇನ್ ಮಾಡಿ."),
        ["BookingCancelled"] = new("Telemed: {time} ಕ್ಕೆ ನೀವು ಬುಕ್ ಮಾಡಿದ OPD ರದ್ದಾಗಿದೆ. ದಯವಿಟ್ಟು {site} ನಲ್ಲಿ ಬೇರೆ ಸಮಯ ಬುಕ್ ಮಾಡಿ."),
        ["BookingMoved"] = new("Telemed: ನಿಮ್ಮ {from} ಸಮಾಲೋಚನೆ ಈಗ {time} ಕ್ಕೆ. 15 ನಿಮಿಷದೊಳಗೆ {site} ನಲ್ಲಿ ಚೆಕ್ ಇನ್ ಮಾಡಿ."),
        ["PrescriptionEmail"] = new(
            "ನಮಸ್ಕಾರ {name},\n\n{doctor} ಅವರು ಬರೆದ ನಿಮ್ಮ ಪ್ರಿಸ್ಕ್ರಿಪ್ಷನ್ ಸಿದ್ಧವಾಗಿದೆ. ಇದು ನಿಜವಾದದ್ದೇ ಎಂದು ಯಾವುದೇ ಫಾರ್ಮಸಿ ಇಲ್ಲಿ ಪರಿಶೀಲಿಸಬಹುದು:\n\n{link}\n\nಇದನ್ನು PDF ಆಗಿ ಡೌನ್‌ಲೋಡ್ ಮಾಡಲು Telemed ಗೆ ಸೈನ್ ಇನ್ ಮಾಡಿ.",
            "ನಿಮ್ಮ Telemed ಪ್ರಿಸ್ಕ್ರಿಪ್ಷನ್"),
        ["ReceiptEmail"] = new(
            "ನಮಸ್ಕಾರ {name},\n\nಟೋಕನ್ {token} ಸಮಾಲೋಚನೆಗಾಗಿ {date} ರಂದು Telemed ₹{amount} ಸ್ವೀಕರಿಸಿದೆ. ಧನ್ಯವಾದಗಳು.\n\nರಸೀದಿ (PDF) Telemed ನಲ್ಲಿದೆ: {link}",
            "ನಿಮ್ಮ Telemed ಪಾವತಿ ರಸೀದಿ"),
        ["StaffFirstPassword"] = new(
            "ನಮಸ್ಕಾರ {name},\n\nನಿರ್ವಾಹಕರೊಬ್ಬರು ನಿಮ್ಮನ್ನು Telemed ನಲ್ಲಿ ನೋಂದಾಯಿಸಿದ್ದಾರೆ. {hours} ಗಂಟೆಗಳೊಳಗೆ ಇಲ್ಲಿ ನಿಮ್ಮ ಪಾಸ್‌ವರ್ಡ್ ಆಯ್ಕೆಮಾಡಿ:\n\n{link}\n\nಈ ಲಿಂಕ್ ಒಮ್ಮೆ ಮಾತ್ರ ಕೆಲಸ ಮಾಡುತ್ತದೆ. ಅವಧಿ ಮುಗಿದಿದ್ದರೆ, ಸೈನ್ ಇನ್ ಪುಟದಲ್ಲಿ \"ಪಾಸ್‌ವರ್ಡ್ ಮರೆತಿರಾ?\" ಮೂಲಕ ಹೊಸ ಲಿಂಕ್ ಕೇಳಿ.",
            "ನಿಮ್ಮ Telemed ಖಾತೆ"),
        ["StaffPasswordReset"] = new(
            "ನಮಸ್ಕಾರ {name},\n\nನಿಮ್ಮ Telemed ಪಾಸ್‌ವರ್ಡ್ ಬದಲಿಸಲು ಯಾರೋ (ನೀವೇ ಎಂದು ಭಾವಿಸುತ್ತೇವೆ) ಕೇಳಿದ್ದಾರೆ. {minutes} ನಿಮಿಷಗಳೊಳಗೆ ಇಲ್ಲಿ ಹೊಸ ಪಾಸ್‌ವರ್ಡ್ ಆಯ್ಕೆಮಾಡಿ:\n\n{link}\n\nಈ ಲಿಂಕ್ ಒಮ್ಮೆ ಮಾತ್ರ ಕೆಲಸ ಮಾಡುತ್ತದೆ. ನೀವು ಕೇಳದಿದ್ದರೆ, ಈ ಇಮೇಲ್ ಅನ್ನು ನಿರ್ಲಕ್ಷಿಸಿ: ನಿಮ್ಮ ಪಾಸ್‌ವರ್ಡ್ ಹಾಗೆಯೇ ಇರುತ್ತದೆ.",
            "ನಿಮ್ಮ Telemed ಪಾಸ್‌ವರ್ಡ್ ಬದಲಿಸಿ"),
    };
}
