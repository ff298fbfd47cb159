namespace Telemed.Domain.Messages.Translations;

/// <summary>Tamil texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Tamil
{
    public const string Language = "ta";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} Telemed குறியீடு. {minutes} நிமிடம் செல்லும். யாரிடமும் பகிர வேண்டாம்."),
        ["RecordLinkCode"] = new("{code} உங்கள் Telemed சுகாதாரப் பதிவுகளை ABHA உடன் இணைக்கும் குறியீடு. {minutes} நிமிடம் செல்லும். யாரிடமும் பகிர வேண்டாம்."),
        ["Welcome"] = new("Telemed-க்கு வரவேற்கிறோம். மருத்துவரை ஆன்லைனில் பார்க்க, இந்த மொபைல் எண்ணுடன் உள்நுழையவும்: {site}"),
        ["CheckedIn"] = new("Telemed: உங்கள் டோக்கன் {token}. உங்கள் முறை நெருங்கும்போது SMS அனுப்புவோம். வரிசையை இங்கே பார்க்கவும்: {site}"),
        ["PlacesAhead"] = new("Telemed: டோக்கன் {token}-க்கு முன் {ahead} நோயாளிகள் உள்ளனர். தயாராக இருக்கவும், {site} திறந்து வைக்கவும்."),
        ["YouAreNext"] = new("Telemed: டோக்கன் {token}, அடுத்து நீங்கள். மருத்துவர் அழைக்க, இப்போதே {site} திறந்து வைக்கவும்."),
        ["DoctorCalling"] = new("Telemed: மருத்துவர் இப்போது டோக்கன் {token}-ஐ அழைக்கிறார். ஆலோசனையில் இணைய {site} திறக்கவும்."),
        ["SessionPaused"] = new("Telemed: மருத்துவர் அமர்வைச் சிறிது நேரம் நிறுத்தியுள்ளார். டோக்கன் {token} இடம் அப்படியே இருக்கும்; தயாராக இருக்கவும்."),
        ["SessionClosed"] = new("Telemed: டோக்கன் {token} முறை வருவதற்கு முன் அமர்வு முடிந்தது. {site} இல் வேறு அமர்வில் செக்-இன் செய்யவும்."),
        ["SessionCancelled"] = new("Telemed: டோக்கன் {token} அமர்வு ரத்தானது. கட்டணம் திருப்பப்படும். {site} இல் வேறு அமர்வில் செக்-இன் செய்யவும்."),
        ["PrescriptionReady"] = new("Telemed: உங்கள் மருந்துச் சீட்டு தயார். மருந்தகம் இங்கே சரிபார்க்கலாம்: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: டோக்கன் {token}-க்கு ₹{amount} பெறப்பட்டது. நன்றி. ரசீது செயலியில் உள்ளது."),
        ["PaymentRefund"] = new("Telemed: டோக்கன் {token}-க்குச் செலுத்திய ₹{amount} திருப்பி அளிக்கப்பட்டது. கணக்கில் சேர 5-10 வேலை நாட்கள் ஆகும்."),
        ["FollowUpReminder"] = new("Telemed: நாளை, {date} அன்று மீண்டும் வரும்படி மருத்துவர் கூறியுள்ளார். {site} இல் செக்-இன் செய்யவும்."),
        ["BookingReminder"] = new("Telemed: ஆலோசனை நேரம் {time}. இடத்தைத் தக்கவைக்க 15 நிமிடத்திற்குள் {site} இல் செக்-இன் செய்யவும்."),
        ["BookingCancelled"] = new("Telemed: {time} க்கு நீங்கள் முன்பதிவு செய்த OPD ரத்தானது. {site} இல் வேறு நேரத்தை முன்பதிவு செய்யவும்."),
        ["BookingMoved"] = new("Telemed: {from} ஆலோசனை இப்போது {time} க்கு. 15 நிமிடத்திற்குள் {site} இல் செக்-இன் செய்யவும்."),
        ["PrescriptionEmail"] = new(
            "வணக்கம் {name},\n\n{doctor} எழுதிய உங்கள் மருந்துச் சீட்டு தயாராக உள்ளது. இது உண்மையானதா என்பதை எந்த மருந்தகமும் இங்கே சரிபார்க்கலாம்:\n\n{link}\n\nஅதை PDF ஆகப் பதிவிறக்க Telemed இல் உள்நுழையவும்.",
            "உங்கள் Telemed மருந்துச் சீட்டு"),
        ["ReceiptEmail"] = new(
            "வணக்கம் {name},\n\nடோக்கன் {token} ஆலோசனைக்காக {date} அன்று Telemed ₹{amount} பெற்றது. நன்றி.\n\nரசீது (PDF) Telemed இல் உள்ளது: {link}",
            "உங்கள் Telemed கட்டண ரசீது"),
        ["StaffFirstPassword"] = new(
            "வணக்கம் {name},\n\nஒரு நிர்வாகி உங்களை Telemed இல் பதிவு செய்துள்ளார். {hours} மணி நேரத்திற்குள் இங்கே உங்கள் கடவுச்சொல்லைத் தேர்ந்தெடுக்கவும்:\n\n{link}\n\nஇந்த இணைப்பு ஒருமுறை மட்டுமே வேலை செய்யும். அது காலாவதியாகியிருந்தால், உள்நுழைவுப் பக்கத்தில் \"கடவுச்சொல்லை மறந்துவிட்டீர்களா?\" மூலம் புதிய இணைப்பைக் கேட்கவும்.",
            "உங்கள் Telemed கணக்கு"),
        ["StaffPasswordReset"] = new(
            "வணக்கம் {name},\n\nஉங்கள் Telemed கடவுச்சொல்லை மாற்ற யாரோ (நீங்கள்தான் என நம்புகிறோம்) கேட்டுள்ளனர். {minutes} நிமிடங்களுக்குள் இங்கே புதிய கடவுச்சொல்லைத் தேர்ந்தெடுக்கவும்:\n\n{link}\n\nஇந்த இணைப்பு ஒருமுறை மட்டுமே வேலை செய்யும். நீங்கள் கேட்கவில்லை என்றால், இந்த மின்னஞ்சலைப் புறக்கணிக்கவும்: உங்கள் கடவுச்சொல் மாறாது.",
            "உங்கள் Telemed கடவுச்சொல்லை மாற்றவும்"),
    };
}
