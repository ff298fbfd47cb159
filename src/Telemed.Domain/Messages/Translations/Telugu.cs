namespace Telemed.Domain.Messages.Translations;

/// <summary>Telugu texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Telugu
{
    public const string Language = "te";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} మీ Telemed కోడ్. {minutes} నిమిషాలు చెల్లుతుంది. ఎవరికీ చెప్పకండి."),
        ["RecordLinkCode"] = new("{code} మీ Telemed ఆరోగ్య రికార్డులను ABHAకు లింక్ చేసే కోడ్. {minutes} నిమిషాలు చెల్లుతుంది. ఎవరికీ చెప్పకండి."),
        ["Welcome"] = new("Telemedకు స్వాగతం. డాక్టర్‌ను ఆన్‌లైన్‌లో సంప్రదించడానికి ఈ మొబైల్ నంబర్‌తో సైన్ ఇన్ చేయండి: {site}"),
        ["CheckedIn"] = new("Telemed: మీ టోకెన్ {token}. మీ వంతు దగ్గరపడినప్పుడు SMS పంపుతాము. క్యూ ఇక్కడ చూడండి: {site}"),
        ["PlacesAhead"] = new("Telemed: టోకెన్ {token} ముందు {ahead} మంది రోగులు ఉన్నారు. దయచేసి సిద్ధంగా ఉండండి, {site} తెరిచి ఉంచండి."),
        ["YouAreNext"] = new("Telemed: టోకెన్ {token}, తర్వాత మీ వంతు. డాక్టర్ కాల్ చేయగలిగేలా ఇప్పుడే {site} తెరిచి ఉంచండి."),
        ["DoctorCalling"] = new("Telemed: డాక్టర్ ఇప్పుడు టోకెన్ {token}ను పిలుస్తున్నారు. సంప్రదింపులో చేరడానికి {site} తెరవండి."),
        ["SessionPaused"] = new("Telemed: డాక్టర్ సెషన్‌ను కొంతసేపు ఆపారు. టోకెన్ {token} స్థానం అలాగే ఉంటుంది; దయచేసి సిద్ధంగా ఉండండి."),
        ["SessionClosed"] = new("Telemed: టోకెన్ {token} వంతు రాకముందే సెషన్ ముగిసింది. దయచేసి {site} లో వేరే సెషన్‌లో చెక్ ఇన్ చేయండి."),
        ["SessionCancelled"] = new("Telemed: టోకెన్ {token} సెషన్ రద్దయింది. ఫీజు తిరిగి ఇస్తాము. దయచేసి {site} లో వేరే సెషన్‌లో చెక్ ఇన్ చేయండి."),
        ["PrescriptionReady"] = new("Telemed: మీ ప్రిస్క్రిప్షన్ సిద్ధం. ఫార్మసీ దీనిని ఇక్కడ తనిఖీ చేయవచ్చు: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: టోకెన్ {token} కోసం ₹{amount} అందింది. ధన్యవాదాలు. రసీదు యాప్‌లో ఉంది."),
        ["PaymentRefund"] = new("Telemed: టోకెన్ {token} కోసం చెల్లించిన ₹{amount} తిరిగి ఇచ్చాము. ఖాతాలో జమ కావడానికి 5-10 పని దినాలు పడుతుంది."),
        ["FollowUpReminder"] = new("Telemed: రేపు, {date}న మిమ్మల్ని మళ్ళీ చూడాలని డాక్టర్ చెప్పారు. {site} లో చెక్ ఇన్ చేయండి."),
        ["BookingReminder"] = new("Telemed: సంప్రదింపు {time}కు బుక్ అయింది. స్థానం కోల్పోకుండా 15 నిమిషాల్లోపు {site} లో చెక్ ఇన్ చేయండి."),
        ["BookingCancelled"] = new("Telemed: {time}కు మీరు బుక్ చేసిన OPD రద్దయింది. దయచేసి {site} లో వేరే సమయం బుక్ చేయండి."),
        ["BookingMoved"] = new("Telemed: మీ {from} సంప్రదింపు ఇప్పుడు {time}కు మారింది. 15 నిమిషాల్లోపు {site} లో చెక్ ఇన్ చేయండి."),
        ["PrescriptionEmail"] = new(
            "నమస్తే {name},\n\n{doctor} రాసిన మీ ప్రిస్క్రిప్షన్ సిద్ధంగా ఉంది. ఇది నిజమైనదో కాదో ఏ ఫార్మసీ అయినా ఇక్కడ తనిఖీ చేయవచ్చు:\n\n{link}\n\nPDFగా డౌన్‌లోడ్ చేసుకోవడానికి Telemedలో సైన్ ఇన్ చేయండి.",
            "మీ Telemed ప్రిస్క్రిప్షన్"),
        ["ReceiptEmail"] = new(
            "నమస్తే {name},\n\nటోకెన్ {token} సంప్రదింపు కోసం {date}న Telemedకు ₹{amount} అందింది. ధన్యవాదాలు.\n\nరసీదు (PDF) Telemedలో ఉంది: {link}",
            "మీ Telemed చెల్లింపు రసీదు"),
        ["StaffFirstPassword"] = new(
            "నమస్తే {name},\n\nనిర్వాహకులు మిమ్మల్ని Telemedలో నమోదు చేశారు. {hours} గంటల్లోపు ఇక్కడ మీ పాస్‌వర్డ్ ఎంచుకోండి:\n\n{link}\n\nఈ లింక్ ఒక్కసారి మాత్రమే పనిచేస్తుంది. గడువు ముగిసి ఉంటే, సైన్ ఇన్ పేజీలో \"పాస్‌వర్డ్ మర్చిపోయారా?\" ద్వారా కొత్త లింక్ అడగండి.",
            "మీ Telemed ఖాతా"),
        ["StaffPasswordReset"] = new(
            "నమస్తే {name},\n\nమీ Telemed పాస్‌వర్డ్ మార్చమని ఎవరో (మీరే అని ఆశిస్తున్నాము) అడిగారు. {minutes} నిమిషాల్లోపు ఇక్కడ కొత్త పాస్‌వర్డ్ ఎంచుకోండి:\n\n{link}\n\nఈ లింక్ ఒక్కసారి మాత్రమే పనిచేస్తుంది. మీరు అడగకపోతే, ఈ ఈమెయిల్‌ను పట్టించుకోకండి: మీ పాస్‌వర్డ్ అలాగే ఉంటుంది.",
            "మీ Telemed పాస్‌వర్డ్ మార్చండి"),
    };
}
