using Marten;
using Telemed.Domain.Prescriptions;

namespace Telemed.Server.Dispensing;

public static class DispensingSetup
{
    public static IHostApplicationBuilder AddTelemedDispensing(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(options =>
        {
            options.Schema.For<PharmacyActivity>().Index(x => x.PharmacistId);
            options.Schema.For<Identity.Pharmacy>().UniqueIndex(Marten.Schema.UniqueIndexType.Computed, "uq_pharmacy_licence", x => x.LicenceNumber);
            options.Events.AddEventTypes([typeof(PrescriptionDispensed), typeof(PrescriptionChecked)]);
        });
        return builder;
    }
}
