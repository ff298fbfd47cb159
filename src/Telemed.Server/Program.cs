using Telemed.Server.Abdm;
using Telemed.Server.Analytics;
using Telemed.Server.Audit;
using Telemed.Server.Bookings;
using Telemed.Server.Consultations;
using Telemed.Server.Devices;
using Telemed.Server.Dispensing;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;
using Telemed.Server.Payments;
using Telemed.Server.Prescriptions;
using Telemed.Server.Queue;
using Telemed.Server.Realtime;
using Telemed.Server.Records;
using Telemed.Server.Spokes;

var builder = WebApplication.CreateBuilder(args);
// The web client's build-time compressed files sit under obj/ until publish: outside Development too (the tests, a
// Release build) the build's manifest finds them. A published app has no such manifest and serves its own wwwroot.
builder.WebHost.UseStaticWebAssets();
builder.AddTelemedLogging()
    .AddTelemedTelemetry()
    .AddTelemedProblemDetails()
    .AddTelemedSecurity()
    .AddTelemedApi()
    .AddTelemedMarten()
    .AddTelemedHealth()
    .AddTelemedDrain()
    .AddTelemedScaleOut()
    .AddTelemedRealtime()
    .AddTelemedMessages()
    .AddTelemedIdentity()
    .AddTelemedAbdm()
    .AddTelemedAudit()
    .AddTelemedQueue()
    .AddTelemedBookings()
    .AddTelemedConsultations()
    .AddTelemedPrescriptions()
    .AddTelemedRecords()
    .AddTelemedDispensing()
    .AddTelemedPayments()
    .AddTelemedAnalytics()
    .AddTelemedDevices()
    .AddTelemedSpokes();

var app = builder.Build();
// Request logging wraps the error handler so it records the 500 but never the exception (whose message may quote data).
app.UseTelemedRequestLogging();
app.UseTelemedDrain();
app.UseTelemedProblemDetails();
app.UseTelemedSecurity();
app.UseWebClient();
app.UseAuthentication();
app.UseAuthorization();
app.UseTelemedRateLimits();
app.MapTelemedHealth();
app.MapTelemedMetrics();
app.MapApiDocument();
app.MapIdentity();
app.MapAbdm();
app.MapMessages();
app.MapAudit();
app.MapTelemedQueue();
app.MapTelemedBookings();
app.MapConsultations();
app.MapPrescriptions();
app.MapHealthRecords();
app.MapAllergies();
app.MapPharmacy();
app.MapPayments();
app.MapAnalytics();
app.MapDevices();
app.MapTelemedSpokes();
app.Run();

public partial class Program;
