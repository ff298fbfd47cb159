namespace Telemed.Domain.Messages.Translations;

/// <summary>Bengali texts of every message template (awaiting a native speaker's review, docs/languages.md).</summary>
public static class Bengali
{
    public const string Language = "bn";

    public static readonly IReadOnlyDictionary<string, Translation> Templates = new Dictionary<string, Translation>
    {
        ["SignInCode"] = new("{code} আপনার Telemed কোড। {minutes} মিনিট বৈধ। কাউকে বলবেন না।"),
        ["RecordLinkCode"] = new("{code} আপনার Telemed স্বাস্থ্য রেকর্ড ABHA-র সাথে যুক্ত করার কোড। {minutes} মিনিট বৈধ। কাউকে বলবেন না।"),
        ["Welcome"] = new("Telemed-এ আপনাকে স্বাগতম। অনলাইনে ডাক্তার দেখাতে এই মোবাইল নম্বর দিয়ে {site} সাইটে সাইন ইন করুন।"),
        ["CheckedIn"] = new("Telemed: আপনার টোকেন {token}। পালা কাছে এলে আমরা SMS পাঠাব। লাইন এখানে দেখুন: {site}"),
        ["PlacesAhead"] = new("Telemed: টোকেন {token}-এর আগে {ahead} জন রোগী আছেন। দয়া করে প্রস্তুত থাকুন, {site} খোলা রাখুন।"),
        ["YouAreNext"] = new("Telemed: টোকেন {token}, এরপর আপনার পালা। এখনই {site} খুলুন ও খোলা রাখুন যাতে ডাক্তার কল করতে পারেন।"),
        ["DoctorCalling"] = new("Telemed: ডাক্তার এখন টোকেন {token}-কে ডাকছেন। পরামর্শে যোগ দিতে {site} খুলুন।"),
        ["SessionPaused"] = new("Telemed: ডাক্তার কিছুক্ষণের জন্য সেশন থামিয়েছেন। টোকেন {token}-এর জায়গা থাকবে; দয়া করে প্রস্তুত থাকুন।"),
        ["SessionClosed"] = new("Telemed: টোকেন {token}-এর পালার আগেই সেশন শেষ হয়েছে। দয়া করে {site} সাইটে অন্য সেশনে চেক-ইন করুন।"),
        ["SessionCancelled"] = new("Telemed: টোকেন {token}-এর সেশন বাতিল হয়েছে। ফি ফেরত দেওয়া হবে। দয়া করে {site} সাইটে অন্য সেশনে চেক-ইন করুন।"),
        ["PrescriptionReady"] = new("Telemed: আপনার প্রেসক্রিপশন তৈরি। ফার্মেসি এখানে যাচাই করতে পারে: {site}/v/{rx}"),
        ["PaymentReceipt"] = new("Telemed: টোকেন {token}-এর জন্য ₹{amount} পাওয়া গেছে। ধন্যবাদ। রসিদ অ্যাপে আছে।"),
        ["PaymentRefund"] = new("Telemed: টোকেন {token}-এর ₹{amount} ফেরত দেওয়া হয়েছে। অ্যাকাউন্টে আসতে 5-10 কাজের দিন লাগে।"),
        ["FollowUpReminder"] = new("Telemed: ডাক্তার আপনাকে কাল, {date} তারিখে আবার দেখাতে বলেছেন। {site} সাইটে চেক-ইন করুন।"),
        ["BookingReminder"] = new("Telemed: আপনার পরামর্শ {time}-এ বুক করা। জায়গা রাখতে 15 মিনিটের মধ্যে {site} সাইটে চেক-ইন করুন।"),
        ["BookingCancelled"] = new("Telemed: {time}-এর জন্য বুক করা OPD বাতিল হয়েছে। দয়া করে {site} সাইটে অন্য সময় বুক করুন।"),
        ["BookingMoved"] = new("Telemed: আপনার {from}-এর পরামর্শ এখন {time}-এ। 15 মিনিটের মধ্যে {site} সাইটে চেক-ইন করুন।"),
        ["PrescriptionEmail"] = new(
            "নমস্কার {name},\n\n{doctor}-এর লেখা আপনার প্রেসক্রিপশন তৈরি। যেকোনো ফার্মেসি এখানে যাচাই করতে পারে যে এটি আসল:\n\n{link}\n\nPDF ডাউনলোড করতে Telemed-এ সাইন ইন করুন।",
            "আপনার Telemed প্রেসক্রিপশন"),
        ["ReceiptEmail"] = new(
            "নমস্কার {name},\n\nটোকেন {token}-এর পরামর্শের জন্য {date} তারিখে ₹{amount} পাওয়া গেছে। ধন্যবাদ।\n\nরসিদ (PDF) Telemed-এ আছে: {link}",
            "আপনার Telemed পেমেন্টের রসিদ"),
        ["StaffFirstPassword"] = new(
            "নমস্কার {name},\n\nএকজন প্রশাসক আপনাকে Telemed-এ নিবন্ধন করেছেন। {hours} ঘণ্টার মধ্যে এখানে আপনার পাসওয়ার্ড বেছে নিন:\n\n{link}\n\nএই লিংক একবারই কাজ করে। মেয়াদ শেষ হলে সাইন-ইন পেজে \"পাসওয়ার্ড ভুলে গেছেন?\" থেকে নতুন লিংক চেয়ে নিন।",
            "আপনার Telemed অ্যাকাউন্ট"),
        ["StaffPasswordReset"] = new(
            "নমস্কার {name},\n\nআপনার Telemed পাসওয়ার্ড বদলানোর অনুরোধ এসেছে। {minutes} মিনিটের মধ্যে এখানে নতুন পাসওয়ার্ড বেছে নিন:\n\n{link}\n\nএই লিংক একবারই কাজ করে। আপনি অনুরোধ না করে থাকলে এই ইমেলটি উপেক্ষা করুন: আপনার পাসওয়ার্ড যেমন আছে তেমনই থাকবে।",
            "আপনার Telemed পাসওয়ার্ড বদলান"),
    };
}
