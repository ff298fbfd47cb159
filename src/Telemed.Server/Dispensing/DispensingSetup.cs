using Marten;
using Telemed.Domain.Dispensing;
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
            options.Events.AddEventTypes([typeof(PrescriptionDispensed), typeof(PrescriptionChecked), typeof(StockReceived), typeof(StockDispensed), typeof(StockAdjusted), typeof(LowStockThresholdSet)]);
            // A dispense reads the stock it takes from under the stream's lock, so the stock is written with its events.
            options.Projections.Add<PharmacyStockProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        });
        return builder;
    }
}
