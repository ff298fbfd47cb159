using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Consultations;

namespace Telemed.Server.Prescriptions;

public static class PrescriptionSetup
{
    public static IHostApplicationBuilder AddTelemedPrescriptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PrescriptionOptions>().Bind(builder.Configuration.GetSection(PrescriptionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IPrescriptionKeyStore, PemDirectoryKeyStore>();
        services.AddSingleton<PrescriptionKeys>();
        services.AddSingleton<DoctorKeys>();
        services.AddSingleton<IPrescriptionSigner, PrescriptionIssuer>();
        services.AddSingleton<PrescriptionPdf>();
        services.ConfigureMarten(options =>
        {
            options.Events.AddEventTypes([
                typeof(PrescriptionSigned), typeof(PrescriptionRevoked), typeof(DoctorSigningKeyMade), typeof(DoctorSigningKeyUnlocked),
                typeof(DoctorSigningKeyRetired), typeof(DoctorSigningKeyRevoked),
            ]);
            options.Schema.For<DoctorSigningKey>().Index(x => x.DoctorId);
            options.Schema.For<SigningUnlock>();
        });
        return builder;
    }
}
