using System.Collections.Frozen;

namespace Telemed.Domain.Prescriptions;

/// <summary>The labels a prescription prints in the patient's language beside the English ones.</summary>
public enum PrescriptionLabel
{
    Patient,
    AgeSex,
    ValidUntil,
    ChiefComplaints,
    ProvisionalDiagnosis,
    Medicine,
    Dose,
    Frequency,
    Route,
    Days,
    Quantity,
    Instructions,
    InvestigationsAdvised,
    Advice,
    FollowUp,
}

/// <summary>
/// The prescription's labels in every language a patient's messages are written in but English. Each awaits a native
/// speaker's review (docs/languages.md).
/// </summary>
public static class PrescriptionLabels
{
    private static readonly FrozenDictionary<string, string[]> ByLanguage = new Dictionary<string, string[]>
    {
        // In the order of PrescriptionLabel.
        ["hi"] = ["मरीज़", "आयु / लिंग", "तक मान्य", "मुख्य शिकायतें", "अस्थायी निदान", "दवा", "खुराक", "कितनी बार", "कैसे लें", "दिन", "मात्रा", "निर्देश", "सुझाई गई जाँचें", "सलाह", "फिर से दिखाएँ"],
        ["bn"] = ["রোগী", "বয়স / লিঙ্গ", "পর্যন্ত বৈধ", "প্রধান সমস্যা", "প্রাথমিক রোগনির্ণয়", "ওষুধ", "মাত্রা", "কতবার", "কীভাবে নেবেন", "দিন", "পরিমাণ", "নির্দেশ", "পরামর্শ দেওয়া পরীক্ষা", "পরামর্শ", "আবার দেখানো"],
        ["mr"] = ["रुग्ण", "वय / लिंग", "पर्यंत वैध", "मुख्य तक्रारी", "प्राथमिक निदान", "औषध", "मात्रा", "किती वेळा", "कसे घ्यावे", "दिवस", "संख्या", "सूचना", "सुचवलेल्या चाचण्या", "सल्ला", "पुन्हा तपासणी"],
        ["te"] = ["రోగి", "వయస్సు / లింగం", "వరకు చెల్లుతుంది", "ప్రధాన సమస్యలు", "ప్రాథమిక నిర్ధారణ", "మందు", "మోతాదు", "ఎన్నిసార్లు", "ఎలా తీసుకోవాలి", "రోజులు", "పరిమాణం", "సూచనలు", "సూచించిన పరీక్షలు", "సలహా", "మళ్ళీ చూపించుకోవడం"],
        ["ta"] = ["நோயாளி", "வயது / பாலினம்", "வரை செல்லும்", "முக்கிய புகார்கள்", "தற்காலிக நோயறிதல்", "மருந்து", "அளவு", "எத்தனை முறை", "எப்படி எடுப்பது", "நாட்கள்", "எண்ணிக்கை", "வழிமுறைகள்", "பரிந்துரைக்கப்பட்ட பரிசோதனைகள்", "ஆலோசனை", "மறுபரிசோதனை"],
        ["gu"] = ["દર્દી", "ઉંમર / જાતિ", "સુધી માન્ય", "મુખ્ય ફરિયાદો", "પ્રાથમિક નિદાન", "દવા", "માત્રા", "કેટલી વાર", "કેવી રીતે લેવી", "દિવસ", "જથ્થો", "સૂચનાઓ", "સૂચવેલી તપાસ", "સલાહ", "ફરી બતાવવું"],
        ["kn"] = ["ರೋಗಿ", "ವಯಸ್ಸು / ಲಿಂಗ", "ವರೆಗೆ ಮಾನ್ಯ", "ಮುಖ್ಯ ತೊಂದರೆಗಳು", "ತಾತ್ಕಾಲಿಕ ರೋಗನಿರ್ಣಯ", "ಔಷಧ", "ಪ್ರಮಾಣ", "ಎಷ್ಟು ಬಾರಿ", "ಹೇಗೆ ತೆಗೆದುಕೊಳ್ಳಬೇಕು", "ದಿನಗಳು", "ಸಂಖ್ಯೆ", "ಸೂಚನೆಗಳು", "ಸೂಚಿಸಿದ ಪರೀಕ್ಷೆಗಳು", "ಸಲಹೆ", "ಮರು ತಪಾಸಣೆ"],
        ["ml"] = ["രോഗി", "പ്രായം / ലിംഗം", "വരെ സാധുവാണ്", "പ്രധാന പരാതികൾ", "പ്രാഥമിക രോഗനിർണയം", "മരുന്ന്", "അളവ്", "എത്ര തവണ", "എങ്ങനെ കഴിക്കണം", "ദിവസം", "എണ്ണം", "നിർദ്ദേശങ്ങൾ", "നിർദ്ദേശിച്ച പരിശോധനകൾ", "ഉപദേശം", "തുടർ പരിശോധന"],
        ["or"] = ["ରୋଗୀ", "ବୟସ / ଲିଙ୍ଗ", "ପର୍ଯ୍ୟନ୍ତ ବୈଧ", "ମୁଖ୍ୟ ଅସୁବିଧା", "ପ୍ରାଥମିକ ରୋଗ ନିର୍ଣ୍ଣୟ", "ଔଷଧ", "ମାତ୍ରା", "କେତେ ଥର", "କିପରି ନେବେ", "ଦିନ", "ପରିମାଣ", "ନିର୍ଦ୍ଦେଶ", "ପରାମର୍ଶିତ ପରୀକ୍ଷା", "ପରାମର୍ଶ", "ପୁନର୍ବାର ଦେଖାଇବା"],
        ["pa"] = ["ਮਰੀਜ਼", "ਉਮਰ / ਲਿੰਗ", "ਤੱਕ ਵੈਧ", "ਮੁੱਖ ਸ਼ਿਕਾਇਤਾਂ", "ਅਸਥਾਈ ਤਸ਼ਖ਼ੀਸ", "ਦਵਾਈ", "ਖ਼ੁਰਾਕ", "ਕਿੰਨੀ ਵਾਰ", "ਕਿਵੇਂ ਲੈਣੀ ਹੈ", "ਦਿਨ", "ਮਾਤਰਾ", "ਹਿਦਾਇਤਾਂ", "ਸੁਝਾਏ ਗਏ ਟੈਸਟ", "ਸਲਾਹ", "ਦੁਬਾਰਾ ਦਿਖਾਉਣਾ"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The languages with labels of their own; English prints its labels alone.</summary>
    public static IEnumerable<string> Languages => ByLanguage.Keys;

    /// <summary>The label in <paramref name="language"/>; null for English and for a language without labels.</summary>
    public static string? In(string language, PrescriptionLabel label) =>
        ByLanguage.TryGetValue(language, out var labels) ? labels[(int)label] : null;
}
