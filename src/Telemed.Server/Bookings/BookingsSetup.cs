using Marten;
using Telemed.Server.Queue;

namespace Telemed.Server.Bookings;

public static class BookingsSetup
{
    public static IHostApplicationBuilder AddTelemedBookings(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IQueueLedger, BookingLedger>();
        services.AddSingleton<BookingSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<BookingSweeper>());
        services.ConfigureMarten(options => options.Schema.For<BookingRecord>()
            .Index(x => x.PatientId)
            .Index(x => x.BookedBy)
            .Duplicate(x => x.State)
            .Duplicate(x => x.MissedAt));
        return builder;
    }

    public static WebApplication MapTelemedBookings(this WebApplication app)
    {
        app.MapBookings();
        return app;
    }
}
