using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Consultations;
using Telemed.Server.Queue;
using Telemed.Server.Realtime;

namespace Telemed.Server.Consultations;

public static class ConsultationSetup
{
    public static IHostApplicationBuilder AddTelemedConsultations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SignallingOptions>().Bind(builder.Configuration.GetSection(SignallingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TurnOptions>().Bind(builder.Configuration.GetSection(TurnOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConsultationService>();
        services.AddSingleton<ConsultationLedger>();
        services.AddSingleton<IQueueLedger>(provider => provider.GetRequiredService<ConsultationLedger>());
        services.AddSingleton<RoomRegistry>();
        services.AddSingleton<ConsultationRooms>();
        services.AddSignalR().AddHubOptions<ConsultationHub>(options =>
        {
            options.AddFilter<HubConnectionTracking>();
            options.AddFilter<HubRateLimit>();
            // Above the 64 KB SDP limit, so an oversized offer gets a typed refusal instead of a closed connection.
            options.MaximumReceiveMessageSize = 128 * 1024;
            // Stateful reconnect keeps what was sent until the client acknowledges it, about once a second: SignalR's
            // 100 KB default is one offer of the size allowed and an answer, and a full buffer holds every further send.
            options.StatefulReconnectBufferSize = 1024 * 1024;
        });
        services.ConfigureMarten(options =>
        {
            options.Events.AddEventTypes([
                typeof(ConsultationStarted), typeof(StaffInvited), typeof(GuestInvited), typeof(GuestAdmitted), typeof(ParticipantJoined), typeof(ParticipantLeft), typeof(CallConnected),
                typeof(CallModeChanged), typeof(ChatMessagePosted), typeof(ChatMessageRead), typeof(ConsultationCompleted), typeof(ConsultationAbandoned),
                typeof(PreCallCheckRecorded), typeof(VitalsRecorded), typeof(NotesRecorded), typeof(DiagnosisRecorded), typeof(MedicinesPrescribed),
                typeof(AddendumRecorded), typeof(PrescriptionIssued), typeof(DeviceVitalsRecorded), typeof(FeedbackGiven), typeof(FileShared),
                typeof(PatientCameraReported), typeof(PregnancyStatusRecorded),
            ]);
            options.Schema.For<SharedCallFile>();
            // A consultation's stream is short: folded on every read, nothing stored.
            options.Projections.Add<ConsultationProjection>(ProjectionLifecycle.Live);
        });
        return builder;
    }
}
