namespace Telemed.Domain.Messages.Translations;

/// <summary>Punjabi (Gurmukhi) texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Punjabi
{
    public const string Language = "pa";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} ਤੁਹਾਡਾ Telemed ਕੋਡ ਹੈ। {minutes} ਮਿੰਟ ਲਈ ਵੈਧ। ਕਿਸੇ ਨਾਲ ਸਾਂਝਾ ਨਾ ਕਰੋ।"),
        ["RecordLinkCode"] = new("{code} ਤੁਹਾਡੇ Telemed ਸਿਹਤ ਰਿਕਾਰਡ ਨੂੰ ABHA ਨਾਲ ਜੋੜਨ ਦਾ ਕੋਡ ਹੈ। {minutes} ਮਿੰਟ ਲਈ ਵੈਧ। ਕਿਸੇ ਨਾਲ ਸਾਂਝਾ ਨਾ ਕਰੋ।"),
        ["Welcome"] = new("Telemed ਵਿੱਚ ਜੀ ਆਇਆਂ ਨੂੰ। ਡਾਕਟਰ ਨੂੰ ਔਨਲਾਈਨ ਮਿਲਣ ਲਈ ਇਸ ਮੋਬਾਈਲ ਨੰਬਰ ਨਾਲ {site} ’ਤੇ ਸਾਈਨ ਇਨ ਕਰੋ।"),
        ["CheckedIn"] = new("Telemed: ਤੁਹਾਡਾ ਟੋਕਨ {token} ਹੈ। ਵਾਰੀ ਨੇੜੇ ਆਉਣ ’ਤੇ ਅਸੀਂ SMS ਭੇਜਾਂਗੇ। ਕਤਾਰ ਇੱਥੇ ਦੇਖੋ: {site}"),
        ["PlacesAhead"] = new("Telemed: ਟੋਕਨ {token} ਤੋਂ ਪਹਿਲਾਂ {ahead} ਮਰੀਜ਼ ਹਨ। ਕਿਰਪਾ ਕਰਕੇ ਤਿਆਰ ਰਹੋ ਅਤੇ {site} ਖੁੱਲ੍ਹਾ ਰੱਖੋ।"),
        ["YouAreNext"] = new("Telemed: ਟੋਕਨ {token}, ਅਗਲੀ ਵਾਰੀ ਤੁਹਾਡੀ ਹੈ। ਹੁਣੇ {site} ਖੋਲ੍ਹੋ ਅਤੇ ਖੁੱਲ੍ਹਾ ਰੱਖੋ ਤਾਂ ਜੋ ਡਾਕਟਰ ਕਾਲ ਕਰ ਸਕਣ।"),
        ["DoctorCalling"] = new("Telemed: ਡਾਕਟਰ ਹੁਣ ਟੋਕਨ {token} ਨੂੰ ਬੁਲਾ ਰਹੇ ਹਨ। ਸਲਾਹ-ਮਸ਼ਵਰੇ ਵਿੱਚ ਸ਼ਾਮਲ ਹੋਣ ਲਈ {site} ਖੋਲ੍ਹੋ।"),
        ["SessionPaused"] = new("Telemed: ਡਾਕਟਰ ਨੇ ਸੈਸ਼ਨ ਕੁਝ ਸਮੇਂ ਲਈ ਰੋਕਿਆ ਹੈ। ਟੋਕਨ {token} ਦੀ ਥਾਂ ਬਣੀ ਰਹੇਗੀ; ਕਿਰਪਾ ਕਰਕੇ ਤਿਆਰ ਰਹੋ।"),
        ["SessionClosed"] = new("Telemed: ਟੋਕਨ {token} ਦੀ ਵਾਰੀ ਤੋਂ ਪਹਿਲਾਂ ਸੈਸ਼ਨ ਖ਼ਤਮ ਹੋ ਗਿਆ। ਕਿਰਪਾ ਕਰਕੇ {site} ’ਤੇ ਦੂਜੇ ਸੈਸ਼ਨ ਵਿੱਚ ਚੈੱਕ-ਇਨ ਕਰੋ।"),
        ["SessionCancelled"] = new("Telemed: ਟੋਕਨ {token} ਦਾ ਸੈਸ਼ਨ ਰੱਦ ਹੋ ਗਿਆ। ਫ਼ੀਸ ਵਾਪਸ ਹੋਵੇਗੀ। ਕਿਰਪਾ ਕਰਕੇ {site} ’ਤੇ ਦੂਜੇ ਸੈਸ਼ਨ ਵਿੱਚ ਚੈੱਕ-ਇਨ ਕਰੋ।"),
        ["PrescriptionReady"] = new("Telemed: ਤੁਹਾਡਾ ਨੁਸਖ਼ਾ ਤਿਆਰ ਹੈ। ਫਾਰਮੇਸੀ ਇਸਨੂੰ ਇੱਥੇ ਜਾਂਚ ਸਕਦੀ ਹੈ: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: ਟੋਕਨ {token} ਲਈ ₹{amount} ਮਿਲੇ। ਧੰਨਵਾਦ। ਰਸੀਦ ਐਪ ਵਿੱਚ ਹੈ।"),
        ["PaymentRefund"] = new("Telemed: ਟੋਕਨ {token} ਦੇ ₹{amount} ਵਾਪਸ ਕਰ ਦਿੱਤੇ ਗਏ ਹਨ। ਖਾਤੇ ਵਿੱਚ ਆਉਣ ਨੂੰ 5-10 ਕੰਮਕਾਜੀ ਦਿਨ ਲੱਗਦੇ ਹਨ।"),
        ["FollowUpReminder"] = new("Telemed: ਡਾਕਟਰ ਨੇ ਤੁਹਾਨੂੰ ਕੱਲ੍ਹ, {date} ਨੂੰ ਦੁਬਾਰਾ ਦਿਖਾਉਣ ਲਈ ਕਿਹਾ ਹੈ। {site} ’ਤੇ ਚੈੱਕ-ਇਨ ਕਰੋ।"),
        ["BookingReminder"] = new("Telemed: ਤੁਹਾਡਾ ਸਲਾਹ-ਮਸ਼ਵਰਾ {time} ਲਈ ਬੁੱਕ ਹੈ। ਥਾਂ ਬਣਾਈ ਰੱਖਣ ਲਈ 15 ਮਿੰਟ ਦੇ ਅੰਦਰ {site} ’ਤੇ ਚੈੱਕ-ਇਨ ਕਰੋ।"),
        ["BookingCancelled"] = new("Telemed: {time} ਲਈ ਬੁੱਕ ਕੀਤੀ OPD ਰੱਦ ਹੋ ਗਈ ਹੈ। ਕਿਰਪਾ ਕਰਕੇ {site} ’ਤੇ ਕੋਈ ਹੋਰ ਸਮਾਂ ਬੁੱਕ ਕਰੋ।"),
        ["BookingMoved"] = new("Telemed: ਤੁਹਾਡਾ {from} ਦਾ ਸਲਾਹ-ਮਸ਼ਵਰਾ ਹੁਣ {time} ਨੂੰ ਹੈ। 15 ਮਿੰਟ ਦੇ ਅੰਦਰ {site} ’ਤੇ ਚੈੱਕ-ਇਨ ਕਰੋ।"),
        ["PrescriptionEmail"] = new(
            "ਸਤ ਸ੍ਰੀ ਅਕਾਲ {name},\n\n{doctor} ਵੱਲੋਂ ਲਿਖਿਆ ਤੁਹਾਡਾ ਨੁਸਖ਼ਾ ਤਿਆਰ ਹੈ। ਕੋਈ ਵੀ ਫਾਰਮੇਸੀ ਇੱਥੇ ਜਾਂਚ ਸਕਦੀ ਹੈ ਕਿ ਇਹ ਅਸਲੀ ਹੈ:\n\n{link}\n\nPDF ਡਾਊਨਲੋਡ ਕਰਨ ਲਈ Telemed ਵਿੱਚ ਸਾਈਨ ਇਨ ਕਰੋ।",
            "ਤੁਹਾਡਾ Telemed ਨੁਸਖ਼ਾ"),
        ["ReceiptEmail"] = new(
            "ਸਤ ਸ੍ਰੀ ਅਕਾਲ {name},\n\nਟੋਕਨ {token} ਦੇ ਸਲਾਹ-ਮਸ਼ਵਰੇ ਲਈ {date} ਨੂੰ Telemed ਨੂੰ ₹{amount} ਮਿਲੇ। ਧੰਨਵਾਦ।\n\nਰਸੀਦ (PDF) Telemed ਵਿੱਚ ਹੈ: {link}",
            "ਤੁਹਾਡੀ Telemed ਭੁਗਤਾਨ ਰਸੀਦ"),
        ["StaffFirstPassword"] = new(
            "ਸਤ ਸ੍ਰੀ ਅਕਾਲ {name},\n\nਇੱਕ ਪ੍ਰਸ਼ਾਸਕ ਨੇ ਤੁਹਾਨੂੰ Telemed ’ਤੇ ਰਜਿਸਟਰ ਕੀਤਾ ਹੈ। {hours} ਘੰਟਿਆਂ ਦੇ ਅੰਦਰ ਇੱਥੇ ਆਪਣਾ ਪਾਸਵਰਡ ਚੁਣੋ:\n\n{link}\n\nਇਹ ਲਿੰਕ ਇੱਕ ਵਾਰ ਹੀ ਕੰਮ ਕਰਦਾ ਹੈ। ਜੇ ਇਸਦੀ ਮਿਆਦ ਪੁੱਗ ਗਈ ਹੈ, ਤਾਂ ਸਾਈਨ-ਇਨ ਪੰਨੇ ’ਤੇ \"ਪਾਸਵਰਡ ਭੁੱਲ ਗਏ?\" ਨਾਲ ਨਵਾਂ ਲਿੰਕ ਮੰਗੋ।",
            "ਤੁਹਾਡਾ Telemed ਖਾਤਾ"),
        ["StaffPasswordReset"] = new(
            "ਸਤ ਸ੍ਰੀ ਅਕਾਲ {name},\n\nਕਿਸੇ ਨੇ (ਸਾਨੂੰ ਉਮੀਦ ਹੈ ਤੁਸੀਂ) ਤੁਹਾਡਾ Telemed ਪਾਸਵਰਡ ਰੀਸੈੱਟ ਕਰਨ ਲਈ ਕਿਹਾ ਹੈ। {minutes} ਮਿੰਟਾਂ ਦੇ ਅੰਦਰ ਇੱਥੇ ਨਵਾਂ ਪਾਸਵਰਡ ਚੁਣੋ:\n\n{link}\n\nਇਹ ਲਿੰਕ ਇੱਕ ਵਾਰ ਹੀ ਕੰਮ ਕਰਦਾ ਹੈ। ਜੇ ਤੁਸੀਂ ਨਹੀਂ ਕਿਹਾ, ਤਾਂ ਇਸ ਈਮੇਲ ਨੂੰ ਅਣਡਿੱਠਾ ਕਰੋ: ਤੁਹਾਡਾ ਪਾਸਵਰਡ ਜਿਵੇਂ ਹੈ ਉਵੇਂ ਹੀ ਰਹੇਗਾ।",
            "ਆਪਣਾ Telemed ਪਾਸਵਰਡ ਰੀਸੈੱਟ ਕਰੋ"),
    };
}
