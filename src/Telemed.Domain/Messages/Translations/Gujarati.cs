namespace Telemed.Domain.Messages.Translations;

/// <summary>Gujarati texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Gujarati
{
    public const string Language = "gu";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} તમારો Telemed કોડ છે. {minutes} મિનિટ માન્ય. કોઈને ન આપો."),
        ["RecordLinkCode"] = new("{code} તમારા Telemed આરોગ્ય રેકોર્ડને ABHA સાથે જોડવાનો કોડ છે. {minutes} મિનિટ માન્ય. કોઈને ન આપો."),
        ["Welcome"] = new("Telemedમાં તમારું સ્વાગત છે. ડૉક્ટરને ઓનલાઇન બતાવવા આ મોબાઇલ નંબરથી {site} પર સાઇન ઇન કરો."),
        ["CheckedIn"] = new("Telemed: તમારું ટોકન {token} છે. વારો નજીક આવતાં અમે SMS મોકલીશું. કતાર અહીં જુઓ: {site}"),
        ["PlacesAhead"] = new("Telemed: ટોકન {token} પહેલાં {ahead} દર્દી છે. કૃપા કરી તૈયાર રહો અને {site} ખુલ્લું રાખો."),
        ["YouAreNext"] = new("Telemed: ટોકન {token}, હવે તમારો વારો છે. હમણાં {site} ખોલો અને ખુલ્લું રાખો જેથી ડૉક્ટર કૉલ કરી શકે."),
        ["DoctorCalling"] = new("Telemed: ડૉક્ટર હમણાં ટોકન {token}ને બોલાવી રહ્યા છે. પરામર્શમાં જોડાવા {site} ખોલો."),
        ["SessionPaused"] = new("Telemed: ડૉક્ટરે સત્ર થોડી વાર થોભાવ્યું છે. ટોકન {token}ની જગ્યા જળવાઈ રહેશે; કૃપા કરી તૈયાર રહો."),
        ["SessionClosed"] = new("Telemed: ટોકન {token}ના વારા પહેલાં સત્ર પૂરું થયું. કૃપા કરી {site} પર બીજા સત્રમાં ચેક-ઇન કરો."),
        ["SessionCancelled"] = new("Telemed: ટોકન {token}નું સત્ર રદ થયું છે. ફી પરત થશે. કૃપા કરી {site} પર બીજા સત્રમાં ચેક-ઇન કરો."),
        ["PrescriptionReady"] = new("Telemed: તમારું પ્રિસ્ક્રિપ્શન તૈયાર છે. ફાર્મસી તેને અહીં તપાસી શકે: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: ટોકન {token} માટે ₹{amount} મળ્યા. આભાર. રસીદ ઍપમાં છે."),
        ["PaymentRefund"] = new("Telemed: ટોકન {token}ના ₹{amount} પરત કર્યા છે. ખાતામાં આવતાં 5-10 કામકાજના દિવસ લાગે છે."),
        ["FollowUpReminder"] = new("Telemed: ડૉક્ટરે તમને કાલે, {date} ફરી બતાવવા કહ્યું છે. {site} પર ચેક-ઇન કરો."),
        ["BookingReminder"] = new("Telemed: તમારો પરામર્શ {time} માટે બુક છે. જગ્યા જાળવવા 15 મિનિટમાં {site} પર ચેક-ઇન કરો."),
        ["BookingCancelled"] = new("Telemed: {time} માટે બુક કરેલી OPD રદ થઈ છે. કૃપા કરી {site} પર બીજો સમય બુક કરો."),
        ["BookingMoved"] = new("Telemed: તમારો {from}નો પરામર્શ હવે {time} માટે છે. 15 મિનિટમાં {site} પર ચેક-ઇન કરો."),
        ["PrescriptionEmail"] = new(
            "નમસ્તે {name},\n\n{doctor}એ લખેલું તમારું પ્રિસ્ક્રિપ્શન તૈયાર છે. કોઈ પણ ફાર્મસી અહીં તપાસી શકે છે કે તે અસલી છે:\n\n{link}\n\nPDF ડાઉનલોડ કરવા Telemedમાં સાઇન ઇન કરો.",
            "તમારું Telemed પ્રિસ્ક્રિપ્શન"),
        ["ReceiptEmail"] = new(
            "નમસ્તે {name},\n\nટોકન {token}ના પરામર્શ માટે {date}ના રોજ ₹{amount} મળ્યા. આભાર.\n\nરસીદ (PDF) Telemedમાં છે: {link}",
            "તમારી Telemed ચુકવણીની રસીદ"),
        ["StaffFirstPassword"] = new(
            "નમસ્તે {name},\n\nએક વ્યવસ્થાપકે તમારી Telemed પર નોંધણી કરી છે. {hours} કલાકની અંદર અહીં તમારો પાસવર્ડ પસંદ કરો:\n\n{link}\n\nઆ લિંક એક જ વાર કામ કરે છે. સમય વીતી જાય તો સાઇન-ઇન પેજ પર \"પાસવર્ડ ભૂલી ગયા?\"થી નવી લિંક મંગાવો.",
            "તમારું Telemed ખાતું"),
        ["StaffPasswordReset"] = new(
            "નમસ્તે {name},\n\nતમારો Telemed પાસવર્ડ બદલવાની વિનંતી મળી છે. {minutes} મિનિટની અંદર અહીં નવો પાસવર્ડ પસંદ કરો:\n\n{link}\n\nઆ લિંક એક જ વાર કામ કરે છે. જો તમે વિનંતી ન કરી હોય, તો આ ઈમેલ અવગણો: તમારો પાસવર્ડ જેમ છે તેમ રહેશે.",
            "તમારો Telemed પાસવર્ડ બદલો"),
    };
}
