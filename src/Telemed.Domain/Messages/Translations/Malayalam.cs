namespace Telemed.Domain.Messages.Translations;

/// <summary>Malayalam texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Malayalam
{
    public const string Language = "ml";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} നിങ്ങളുടെ Telemed കോഡ്. {minutes} മിനിറ്റ് സാധു. ആരുമായും പങ്കിടരുത്."),
        ["RecordLinkCode"] = new("{code}: Telemed ആരോഗ്യ രേഖകൾ ABHA-യുമായി ബന്ധിപ്പിക്കാനുള്ള കോഡ്. {minutes} മിനിറ്റ് സാധു. ആരുമായും പങ്കിടരുത്."),
        ["Welcome"] = new("Telemed-ലേക്ക് സ്വാഗതം. ഡോക്ടറെ ഓൺലൈനായി കാണാൻ ഈ മൊബൈൽ നമ്പർ ഉപയോഗിച്ച് {site}-ൽ സൈൻ ഇൻ ചെയ്യുക."),
        ["CheckedIn"] = new("Telemed: നിങ്ങളുടെ ടോക്കൺ {token}. ഊഴം അടുക്കുമ്പോൾ SMS അയയ്ക്കും. ക്യൂ ഇവിടെ കാണുക: {site}"),
        ["PlacesAhead"] = new("Telemed: ടോക്കൺ {token}-ന് മുമ്പ് {ahead} രോഗികൾ. ദയവായി തയ്യാറാകുക, {site} തുറന്നുവയ്ക്കുക."),
        ["YouAreNext"] = new("Telemed: ടോക്കൺ {token}, അടുത്തത് നിങ്ങളാണ്. ഡോക്ടർക്ക് വിളിക്കാൻ ഇപ്പോൾ {site} തുറന്നുവയ്ക്കുക."),
        ["DoctorCalling"] = new("Telemed: ഡോക്ടർ ഇപ്പോൾ ടോക്കൺ {token}-നെ വിളിക്കുന്നു. കൺസൾട്ടേഷനിൽ ചേരാൻ {site} തുറക്കുക."),
        ["SessionPaused"] = new("Telemed: ഡോക്ടർ സെഷൻ അൽപ്പസമയം നിർത്തിവച്ചു. ടോക്കൺ {token}-ന്റെ സ്ഥാനം നിലനിൽക്കും; തയ്യാറായിരിക്കുക."),
        ["SessionClosed"] = new("Telemed: ടോക്കൺ {token}-ന്റെ ഊഴത്തിന് മുമ്പ് സെഷൻ അവസാനിച്ചു. {site}-ൽ മറ്റൊരു സെഷനിൽ ചെക്ക്-ഇൻ ചെയ്യുക."),
        ["SessionCancelled"] = new("Telemed: ടോക്കൺ {token}-ന്റെ സെഷൻ റദ്ദാക്കി. ഫീസ് തിരികെ നൽകും. {site}-ൽ മറ്റൊരു സെഷനിൽ ചെക്ക്-ഇൻ ചെയ്യുക."),
        ["PrescriptionReady"] = new("Telemed: നിങ്ങളുടെ കുറിപ്പടി തയ്യാർ. ഫാർമസിക്ക് ഇവിടെ പരിശോധിക്കാം: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: ടോക്കൺ {token}-നായി ₹{amount} ലഭിച്ചു. നന്ദി. രസീത് ആപ്പിലുണ്ട്."),
        ["PaymentRefund"] = new("Telemed: ടോക്കൺ {token}-ന്റെ ₹{amount} തിരികെ നൽകി. അക്കൗണ്ടിൽ എത്താൻ 5-10 പ്രവൃത്തി ദിവസം എടുക്കും."),
        ["FollowUpReminder"] = new("Telemed: നാളെ, {date}, വീണ്ടും കാണാൻ ഡോക്ടർ ആവശ്യപ്പെട്ടു. {site}-ൽ ചെക്ക്-ഇൻ ചെയ്യുക."),
        ["BookingReminder"] = new("Telemed: കൺസൾട്ടേഷൻ ബുക്കിംഗ് {time}-ന്. സ്ഥാനം നിലനിർത്താൻ 15 മിനിറ്റിനകം {site}-ൽ ചെക്ക്-ഇൻ ചെയ്യുക."),
        ["BookingCancelled"] = new("Telemed: {time}-ന് ബുക്ക് ചെയ്ത OPD റദ്ദാക്കി. {site}-ൽ മറ്റൊരു സമയം ബുക്ക് ചെയ്യുക."),
        ["BookingMoved"] = new("Telemed: {from}-ലെ കൺസൾട്ടേഷൻ ഇപ്പോൾ {time}-നാണ്. 15 മിനിറ്റിനകം {site}-ൽ ചെക്ക്-ഇൻ ചെയ്യുക."),
        ["PrescriptionEmail"] = new(
            "നമസ്കാരം {name},\n\n{doctor} എഴുതിയ നിങ്ങളുടെ കുറിപ്പടി തയ്യാറാണ്. ഇത് യഥാർത്ഥമാണോ എന്ന് ഏത് ഫാർമസിക്കും ഇവിടെ പരിശോധിക്കാം:\n\n{link}\n\nPDF ഡൗൺലോഡ് ചെയ്യാൻ Telemed-ൽ സൈൻ ഇൻ ചെയ്യുക.",
            "നിങ്ങളുടെ Telemed കുറിപ്പടി"),
        ["ReceiptEmail"] = new(
            "നമസ്കാരം {name},\n\nടോക്കൺ {token}-ന്റെ കൺസൾട്ടേഷനായി {date}-ന് ₹{amount} Telemed-ന് ലഭിച്ചു. നന്ദി.\n\nരസീത് (PDF) Telemed-ൽ ഉണ്ട്: {link}",
            "നിങ്ങളുടെ Telemed പണമടയ്ക്കൽ രസീത്"),
        ["StaffFirstPassword"] = new(
            "നമസ്കാരം {name},\n\nഒരു അഡ്മിനിസ്ട്രേറ്റർ നിങ്ങളെ Telemed-ൽ രജിസ്റ്റർ ചെയ്തു. {hours} മണിക്കൂറിനുള്ളിൽ ഇവിടെ നിങ്ങളുടെ പാസ്‌വേഡ് തിരഞ്ഞെടുക്കുക:\n\n{link}\n\nഈ ലിങ്ക് ഒരിക്കൽ മാത്രം പ്രവർത്തിക്കും. കാലാവധി കഴിഞ്ഞെങ്കിൽ സൈൻ-ഇൻ പേജിലെ \"പാസ്‌വേഡ് മറന്നോ?\" വഴി പുതിയ ലിങ്ക് ആവശ്യപ്പെടുക.",
            "നിങ്ങളുടെ Telemed അക്കൗണ്ട്"),
        ["StaffPasswordReset"] = new(
            "നമസ്കാരം {name},\n\nനിങ്ങളുടെ Telemed പാസ്‌വേഡ് റീസെറ്റ് ചെയ്യാൻ ഒരാൾ (നിങ്ങളാണെന്ന് കരുതുന്നു) ആവശ്യപ്പെട്ടു. {minutes} മിനിറ്റിനുള്ളിൽ ഇവിടെ പുതിയ പാസ്‌വേഡ് തിരഞ്ഞെടുക്കുക:\n\n{link}\n\nഈ ലിങ്ക് ഒരിക്കൽ മാത്രം പ്രവർത്തിക്കും. നിങ്ങൾ ആവശ്യപ്പെട്ടില്ലെങ്കിൽ ഈ ഇമെയിൽ അവഗണിക്കുക: നിങ്ങളുടെ പാസ്‌വേഡ് മാറില്ല.",
            "നിങ്ങളുടെ Telemed പാസ്‌വേഡ് റീസെറ്റ് ചെയ്യുക"),
    };
}
