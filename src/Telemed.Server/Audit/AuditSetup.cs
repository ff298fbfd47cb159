using Marten;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Audit;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddTelemedAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AuditRecorder>();
        // Entries are only ever inserted (AuditRecorder): the server's database role may not change or delete them.
        builder.Services.AddAppendOnlyDocument<AuditEntry>();
        builder.Services.ConfigureMarten((services, options) =>
        {
            options.Schema.For<AuditEntry>().Index(x => x.At).Index(x => x.AccountId).UniqueIndex(x => x.EventId);
            options.Listeners.Add(services.GetRequiredService<AuditRecorder>());
        });
        return builder;
    }
}
