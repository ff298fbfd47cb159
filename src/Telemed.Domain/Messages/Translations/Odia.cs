namespace Telemed.Domain.Messages.Translations;

/// <summary>Odia texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Odia
{
    public const string Language = "or";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} ଆପଣଙ୍କ Telemed କୋଡ୍। {minutes} ମିନିଟ୍ ବୈଧ। କାହାକୁ କୁହନ୍ତୁ ନାହିଁ।"),
        ["RecordLinkCode"] = new("{code} ଆପଣଙ୍କ Telemed ସ୍ୱାସ୍ଥ୍ୟ ରେକର୍ଡକୁ ABHA ସହ ଯୋଡ଼ିବା କୋଡ୍। {minutes} ମିନିଟ୍ ବୈଧ। କାହାକୁ କୁହନ୍ତୁ ନାହିଁ।"),
        ["Welcome"] = new("Telemed କୁ ସ୍ୱାଗତ। ଅନଲାଇନରେ ଡାକ୍ତର ଦେଖାଇବାକୁ ଏହି ମୋବାଇଲ୍ ନମ୍ବରରେ {site} ରେ ସାଇନ୍ ଇନ୍ କରନ୍ତୁ।"),
        ["CheckedIn"] = new("Telemed: ଆପଣଙ୍କ ଟୋକନ୍ {token}। ପାଳି ପାଖେଇଲେ ଆମେ SMS ପଠାଇବୁ। ଧାଡ଼ି ଏଠାରେ ଦେଖନ୍ତୁ: {site}"),
        ["PlacesAhead"] = new("Telemed: ଟୋକନ୍ {token} ଆଗରେ {ahead} ଜଣ ରୋଗୀ ଅଛନ୍ତି। ଦୟାକରି ପ୍ରସ୍ତୁତ ରୁହନ୍ତୁ ଓ {site} ଖୋଲା ରଖନ୍ତୁ।"),
        ["YouAreNext"] = new("Telemed: ଟୋକନ୍ {token}, ଏହା ପରେ ଆପଣଙ୍କ ପାଳି। ଏବେ {site} ଖୋଲନ୍ତୁ ଓ ଖୋଲା ରଖନ୍ତୁ ଯେପରି ଡାକ୍ତର କଲ୍ କରିପାରିବେ।"),
        ["DoctorCalling"] = new("Telemed: ଡାକ୍ତର ଏବେ ଟୋକନ୍ {token} କୁ ଡାକୁଛନ୍ତି। ପରାମର୍ଶରେ ଯୋଗ ଦେବାକୁ {site} ଖୋଲନ୍ତୁ।"),
        ["SessionPaused"] = new("Telemed: ଡାକ୍ତର କିଛି ସମୟ ପାଇଁ ସେସନ୍ ବିରତି କରିଛନ୍ତି। ଟୋକନ୍ {token} ର ସ୍ଥାନ ରହିବ; ଦୟାକରି ପ୍ରସ୍ତୁତ ରୁହନ୍ତୁ।"),
        ["SessionClosed"] = new("Telemed: ଟୋକନ୍ {token} ର ପାଳି ପୂର୍ବରୁ ସେସନ୍ ଶେଷ ହେଲା। ଦୟାକରି {site} ରେ ଅନ୍ୟ ସେସନରେ ଚେକ୍-ଇନ୍ କରନ୍ତୁ।"),
        ["SessionCancelled"] = new("Telemed: ଟୋକନ୍ {token} ର ସେସନ୍ ବାତିଲ ହେଲା। ଶୁଳ୍କ ଫେରସ୍ତ ହେବ। ଦୟାକରି {site} ରେ ଅନ୍ୟ ସେସନରେ ଚେକ୍-ଇନ୍ କରନ୍ତୁ।"),
        ["PrescriptionReady"] = new("Telemed: ଆପଣଙ୍କ ପ୍ରେସକ୍ରିପସନ୍ ପ୍ରସ୍ତୁତ। ଫାର୍ମାସି ଏହାକୁ ଏଠାରେ ଯାଞ୍ଚ କରିପାରିବ: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: ଟୋକନ୍ {token} ପାଇଁ ₹{amount} ମିଳିଲା। ଧନ୍ୟବାଦ। ରସିଦ ଆପରେ ଅଛି।"),
        ["PaymentRefund"] = new("Telemed: ଟୋକନ୍ {token} ର ₹{amount} ଫେରସ୍ତ କରାଗଲା। ଆକାଉଣ୍ଟରେ ଆସିବାକୁ 5-10 କାର୍ଯ୍ୟ ଦିବସ ଲାଗେ।"),
        ["FollowUpReminder"] = new("Telemed: ଡାକ୍ତର ଆପଣଙ୍କୁ କାଲି, {date} ରେ ପୁଣି ଦେଖାଇବାକୁ କହିଛନ୍ତି। {site} ରେ ଚେକ୍-ଇନ୍ କରନ୍ତୁ।"),
        ["BookingReminder"] = new("Telemed: ଆପଣଙ୍କ ପରାମର୍ଶ {time} ରେ ବୁକ୍ ହୋଇଛି। ସ୍ଥାନ ରଖିବାକୁ 15 ମିନିଟ୍ ମଧ୍ୟରେ {site} ରେ ଚେକ୍-ଇନ୍ କରନ୍ତୁ।"),
        ["BookingCancelled"] = new("Telemed: {time} ପାଇଁ ବୁକ୍ ହୋଇଥିବା OPD ବାତିଲ ହେଲା। ଦୟାକରି {site} ରେ ଅନ୍ୟ ସମୟ ବୁକ୍ କରନ୍ତୁ।"),
        ["BookingMoved"] = new("Telemed: ଆପଣଙ୍କ {from} ର ପରାମର୍ଶ ଏବେ {time} ରେ। 15 ମିନିଟ୍ ମଧ୍ୟରେ {site} ରେ ଚେକ୍-ଇନ୍ କରନ୍ତୁ।"),
        ["PrescriptionEmail"] = new(
            "ନମସ୍କାର {name},\n\n{doctor} ଙ୍କ ଲେଖା ଆପଣଙ୍କ ପ୍ରେସକ୍ରିପସନ୍ ପ୍ରସ୍ତୁତ। ଯେକୌଣସି ଫାର୍ମାସି ଏହା ପ୍ରକୃତ ବୋଲି ଏଠାରେ ଯାଞ୍ଚ କରିପାରିବ:\n\n{link}\n\nPDF ଡାଉନଲୋଡ୍ କରିବାକୁ Telemed ରେ ସାଇନ୍ ଇନ୍ କରନ୍ତୁ।",
            "ଆପଣଙ୍କ Telemed ପ୍ରେସକ୍ରିପସନ୍"),
        ["ReceiptEmail"] = new(
            "ନମସ୍କାର {name},\n\nଟୋକନ୍ {token} ର ପରାମର୍ଶ ପାଇଁ {date} ରେ ₹{amount} ମିଳିଲା। ଧନ୍ୟବାଦ।\n\nରସିଦ (PDF) Telemed ରେ ଅଛି: {link}",
            "ଆପଣଙ୍କ Telemed ପେମେଣ୍ଟ ରସିଦ"),
        ["StaffFirstPassword"] = new(
            "ନମସ୍କାର {name},\n\nଜଣେ ପ୍ରଶାସକ ଆପଣଙ୍କୁ Telemed ରେ ପଞ୍ଜୀକୃତ କରିଛନ୍ତି। {hours} ଘଣ୍ଟା ମଧ୍ୟରେ ଏଠାରେ ଆପଣଙ୍କ ପାସୱାର୍ଡ ବାଛନ୍ତୁ:\n\n{link}\n\nଏହି ଲିଙ୍କ କେବଳ ଥରେ କାମ କରେ। ମିଆଦ ସରିଯାଇଥିଲେ ସାଇନ୍-ଇନ୍ ପୃଷ୍ଠାରେ \"ପାସୱାର୍ଡ ଭୁଲିଗଲେ?\" ରୁ ନୂଆ ଲିଙ୍କ ମାଗନ୍ତୁ।",
            "ଆପଣଙ୍କ Telemed ଆକାଉଣ୍ଟ"),
        ["StaffPasswordReset"] = new(
            "ନମସ୍କାର {name},\n\nଆପଣଙ୍କ Telemed ପାସୱାର୍ଡ ବଦଳାଇବାକୁ ଅନୁରୋଧ ଆସିଛି। {minutes} ମିନିଟ୍ ମଧ୍ୟରେ ଏଠାରେ ନୂଆ ପାସୱାର୍ଡ ବାଛନ୍ତୁ:\n\n{link}\n\nଏହି ଲିଙ୍କ କେବଳ ଥରେ କାମ କରେ। ଆପଣ ଅନୁରୋଧ କରିନଥିଲେ ଏହି ଇମେଲକୁ ଅଣଦେଖା କରନ୍ତୁ: ଆପଣଙ୍କ ପାସୱାର୍ଡ ଯେମିତି ଅଛି ସେମିତି ରହିବ।",
            "ଆପଣଙ୍କ Telemed ପାସୱାର୍ଡ ବଦଳାନ୍ତୁ"),
    };
}
