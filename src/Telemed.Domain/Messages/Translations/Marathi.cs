namespace Telemed.Domain.Messages.Translations;

/// <summary>Marathi texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Marathi
{
    public const string Language = "mr";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} हा तुमचा Telemed कोड आहे. {minutes} मिनिटे वैध. कोणालाही सांगू नका."),
        ["RecordLinkCode"] = new("{code} हा तुमच्या Telemed आरोग्य नोंदी ABHA शी जोडण्याचा कोड आहे. {minutes} मिनिटे वैध. कोणालाही सांगू नका."),
        ["Welcome"] = new("Telemed मध्ये तुमचे स्वागत आहे. डॉक्टरांना ऑनलाइन भेटण्यासाठी या मोबाइल नंबरने {site} वर साइन इन करा."),
        ["CheckedIn"] = new("Telemed: तुमचे टोकन {token} आहे. पाळी जवळ आल्यावर आम्ही SMS पाठवू. रांग इथे पाहा: {site}"),
        ["PlacesAhead"] = new("Telemed: टोकन {token} च्या आधी {ahead} रुग्ण आहेत. कृपया तयार राहा आणि {site} उघडे ठेवा."),
        ["YouAreNext"] = new("Telemed: टोकन {token}, पुढची पाळी तुमची आहे. आत्ता {site} उघडा आणि उघडे ठेवा म्हणजे डॉक्टर कॉल करू शकतील."),
        ["DoctorCalling"] = new("Telemed: डॉक्टर आत्ता टोकन {token} ला बोलावत आहेत. सल्ल्यात सामील होण्यासाठी {site} उघडा."),
        ["SessionPaused"] = new("Telemed: डॉक्टरांनी सत्र थोड्या वेळासाठी थांबवले आहे. टोकन {token} ची जागा राहील; कृपया तयार राहा."),
        ["SessionClosed"] = new("Telemed: टोकन {token} ची पाळी येण्याआधी सत्र संपले. कृपया {site} वर दुसऱ्या सत्रात चेक-इन करा."),
        ["SessionCancelled"] = new("Telemed: टोकन {token} चे सत्र रद्द झाले आहे. शुल्क परत केले जाईल. कृपया {site} वर दुसऱ्या सत्रात चेक-इन करा."),
        ["PrescriptionReady"] = new("Telemed: तुमचे प्रिस्क्रिप्शन तयार आहे. फार्मसी ते इथे तपासू शकते: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: टोकन {token} साठी ₹{amount} मिळाले. धन्यवाद. पावती ॲपमध्ये आहे."),
        ["PaymentRefund"] = new("Telemed: टोकन {token} चे ₹{amount} परत केले आहेत. खात्यात येण्यास 5-10 कामकाजाचे दिवस लागतात."),
        ["FollowUpReminder"] = new("Telemed: डॉक्टरांनी तुम्हाला उद्या, {date} रोजी पुन्हा दाखवायला सांगितले आहे. {site} वर चेक-इन करा."),
        ["BookingReminder"] = new("Telemed: तुमचा सल्ला {time} साठी बुक आहे. जागा राखण्यासाठी 15 मिनिटांत {site} वर चेक-इन करा."),
        ["BookingCancelled"] = new("Telemed: {time} साठी बुक केलेली OPD रद्द झाली आहे. कृपया {site} वर दुसरी वेळ बुक करा."),
        ["BookingMoved"] = new("Telemed: तुमचा {from} चा सल्ला आता {time} ला आहे. 15 मिनिटांत {site} वर चेक-इन करा."),
        ["PrescriptionEmail"] = new(
            "नमस्कार {name},\n\n{doctor} यांनी लिहिलेले तुमचे प्रिस्क्रिप्शन तयार आहे. कोणतीही फार्मसी ते खरे आहे हे इथे तपासू शकते:\n\n{link}\n\nPDF डाउनलोड करण्यासाठी Telemed मध्ये साइन इन करा.",
            "तुमचे Telemed प्रिस्क्रिप्शन"),
        ["ReceiptEmail"] = new(
            "नमस्कार {name},\n\nटोकन {token} च्या सल्ल्यासाठी {date} रोजी ₹{amount} मिळाले. धन्यवाद.\n\nपावती (PDF) Telemed मध्ये आहे: {link}",
            "तुमची Telemed पेमेंट पावती"),
        ["StaffFirstPassword"] = new(
            "नमस्कार {name},\n\nएका प्रशासकाने तुमची Telemed वर नोंदणी केली आहे. {hours} तासांच्या आत इथे तुमचा पासवर्ड निवडा:\n\n{link}\n\nही लिंक एकदाच चालते. मुदत संपली असल्यास साइन-इन पानावर \"पासवर्ड विसरलात?\" मधून नवीन लिंक मागवा.",
            "तुमचे Telemed खाते"),
        ["StaffPasswordReset"] = new(
            "नमस्कार {name},\n\nतुमचा Telemed पासवर्ड बदलण्याची विनंती आली आहे. {minutes} मिनिटांच्या आत इथे नवीन पासवर्ड निवडा:\n\n{link}\n\nही लिंक एकदाच चालते. तुम्ही विनंती केली नसल्यास हा ईमेल दुर्लक्षित करा: तुमचा पासवर्ड आहे तसाच राहील.",
            "तुमचा Telemed पासवर्ड बदला"),
    };
}
