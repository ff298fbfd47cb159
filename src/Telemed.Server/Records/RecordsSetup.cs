using Marten;
using Telemed.Domain.Records;
using Telemed.Server.Documents;

namespace Telemed.Server.Records;

public static class RecordsSetup
{
    public static IHostApplicationBuilder AddTelemedRecords(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTelemedDocuments(builder.Configuration);
        builder.Services.AddSingleton<HealthRecords>();
        builder.Services.ConfigureMarten(options =>
        {
            options.Schema.For<CareContext>().Index(x => x.PatientId);
            options.Schema.For<ConsentDocument>().Index(x => x.Consent.PatientId);
            options.Schema.For<Allergy>().Index(x => x.PatientId);
            options.Events.AddEventTypes([typeof(RecordRead), typeof(RecordsRead), typeof(RecordsShared), typeof(RecordConsentGranted), typeof(RecordConsentRevoked),
                typeof(AllergyRecorded), typeof(AllergyResolved)]);
        });
        return builder;
    }
}
