using Marten;
using Telemed.Domain.Audit;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Audit;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddTelemedAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AuditRecorder>();
        // Entries and seals are only ever inserted: the server's database role may not change or delete them.
        builder.Services.AddAppendOnlyDocument<AuditEntry>();
        builder.Services.AddAppendOnlyDocument<EventSeal>();
        builder.Services.AddOptions<EventSealOptions>().Bind(builder.Configuration.GetSection(EventSealOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EventSealer>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<EventSealer>());
        builder.Services.ConfigureMarten((services, options) =>
        {
            options.Schema.For<AuditEntry>().Index(x => x.At).Index(x => x.AccountId).UniqueIndex(x => x.EventId);
            // One seal per range: two nodes that both believed they led could not both extend the chain.
            options.Schema.For<EventSeal>().UniqueIndex(x => x.FromSequence).Index(x => x.ToSequence);
            options.Listeners.Add(services.GetRequiredService<AuditRecorder>());
        });
        return builder;
    }
}
