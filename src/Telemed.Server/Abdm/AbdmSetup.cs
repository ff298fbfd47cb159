using Marten;
using Marten.Schema;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;

namespace Telemed.Server.Abdm;

public static class AbdmSetup
{
    public static IHostApplicationBuilder AddTelemedAbdm(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AbdmOptions>().Bind(builder.Configuration.GetSection(AbdmOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AbdmOptions>, AbdmOptionsValidation>();
        services.AddSingleton<GatewaySession>();
        services.AddSingleton<AbhaEncryption>();
        services.AddSingleton<AbhaClient>();
        services.AddSingleton<GatewayRequests>();
        services.AddDataProtection();
        services.AddSingleton<LinkTokens>();
        services.AddSingleton<ScanAndShare>();
        services.AddSingleton<HipDocuments>();
        services.AddSingleton<HipGateway>();
        services.AddSingleton<HipDataFlow>();
        services.AddSingleton<HiuDataFlow>();
        services.AddSingleton<CareContextLinks>();
        services.AddHostedService(provider => provider.GetRequiredService<CareContextLinks>());
        services.AddSingleton<PatientLinking>();
        services.AddSingleton<AbdmHousekeeping>();
        services.AddHostedService(provider => provider.GetRequiredService<AbdmHousekeeping>());
        services.AddSingleton<IRegistryLookup, AbdmRegistries>();
        services.AddTransient<AbdmRequestIdHandler>();
        services.AddTransient<AbdmAttemptHandler>();
        var abdm = services.AddHttpClient<AbdmHttp>().AddHttpMessageHandler<AbdmRequestIdHandler>();
        abdm.AddResilienceHandler("abdm", Retried);
        abdm.AddHttpMessageHandler<AbdmAttemptHandler>();
        // Pushes to HIUs' dataPushUrl: retried like gateway calls, but without the gateway's headers and session token.
        services.AddHttpClient(HipDataFlow.PushClient).AddResilienceHandler("abdm-data-push", Retried);
        services.AddGatewayCallbackAuthentication();

        services.ConfigureMarten(options =>
        {
            options.Schema.For<PatientAbha>().UniqueIndex(UniqueIndexType.Computed, "uq_patient_abha_verified_number", x => x.Profile.Number);
            options.Schema.For<AbhaJourney>().UseOptimisticConcurrency(true).Index(x => x.PatientId);
            options.Schema.For<ReceivedCallback>();
            options.Schema.For<PendingGatewayRequest>();
            options.Schema.For<GatewayAnswer>();
            options.Schema.For<AbhaLinkToken>();
            options.Schema.For<ConsentArtefact>();
            options.Schema.For<HealthInformationTransfer>();
            options.Schema.For<HiuConsentRequest>().Index(x => x.ConsentRequestId).Index(x => x.PatientId);
            options.Schema.For<HiuArtefact>().Index(x => x.ConsentRequestId).Index(x => x.PatientId);
            options.Schema.For<HiuTransfer>();
            options.Schema.For<HiuPage>().Index(x => x.TransferId);
            options.Schema.For<ReceivedHealthRecord>().Index(x => x.PatientId).Index(x => x.ArtefactId).Index(x => x.TransferId).Index(x => x.EraseAt);
            options.Schema.For<CareContextLink>().UseOptimisticConcurrency(true).Index(x => x.RequestId).Index(x => x.PatientId)
                .Index(x => x.State).Index(x => x.NextAttemptAt);
            options.Schema.For<CareContextLinkSweep>();
            options.Schema.For<LinkDiscovery>();
            options.Schema.For<PatientLinkRequest>();
            options.Events.AddEventTypes([typeof(AbhaVerified), typeof(AbhaDeclarationWithdrawn), typeof(GatewayCallbackRefused), typeof(RegistryCheckRecorded)]);
        });
        return builder;
    }

    /// <summary>
    /// Server errors, 408, 429, lost connections and time-outs are retried (a gateway call keeps its one REQUEST-ID: ABDM
    /// and its simulator can tell a retry from a new request); refusals (4xx) are answers and are not retried.
    /// </summary>
    private static void Retried(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var settings = context.ServiceProvider.GetRequiredService<IOptions<AbdmOptions>>().Value;
        // A network time-out is about the wall clock, whatever clock the application reads.
        pipeline.TimeProvider = TimeProvider.System;
        if (settings.Attempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.Attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            });
        }
        pipeline.AddTimeout(TimeSpan.FromSeconds(settings.TimeoutSeconds));
    }

    public static void MapAbdm(this WebApplication app)
    {
        app.MapAbha();
        app.MapHiu();
        app.MapGet("/api/admin/abdm/care-context-links", CareContextLinks.List).WithTags("Admin").RequireAuthorization(Roles.Admin)
            .WithSummary("Admin: care contexts' links to patients' ABHA (filter by state: pending, sent, linked, refused), with ABDM's error when refused.");
        if (!app.Services.GetRequiredService<IOptions<AbdmOptions>>().Value.Configured)
        {
            return;
        }
        var callbacks = app.MapGatewayCallbacks();
        callbacks.MapPost(ScanAndShare.Path, ScanAndShare.Receive).WithSummary("The gateway posts a profile a patient shared at a facility's counter (Scan & Share).");
        callbacks.MapPost(LinkTokens.CallbackPath, GatewayCallbacks.ReceiveAnswer).WithSummary("The gateway answers a link token request (on-generate-token).");
        callbacks.MapPost(HipDataFlow.ConsentNotifyPath, HipDataFlow.ReceiveConsent)
            .WithSummary("The consent manager notifies a consent artefact granted, revoked or expired for records Telemed holds (HIP).");
        callbacks.MapPost(HipDataFlow.RequestPath, HipDataFlow.ReceiveRequest)
            .WithSummary("The consent manager asks for health information under an artefact: encrypted with Fidelius and pushed to the HIU.");
        foreach (var answer in new[] { HiuDataFlow.OnInitPath, HiuDataFlow.OnFetchPath, HiuDataFlow.OnHiRequestPath })
        {
            callbacks.MapPost(answer, GatewayCallbacks.ReceiveAnswer)
                .WithSummary("The consent manager answers Telemed as HIU: a consent request (on-init), an artefact (on-fetch) or a health-information request (on-request).");
        }
        callbacks.MapPost(HiuDataFlow.NotifyPath, HiuDataFlow.ReceiveNotify)
            .WithSummary("The consent manager says a patient granted, denied or revoked a consent request Telemed made as HIU, or that it expired.");
        // Pushed by the other HIP, not the gateway: its address (a request's own random id) and the request's key material are the proof.
        app.MapPost($"{HiuDataFlow.PushPath}/{{transferId:guid}}", HiuDataFlow.ReceivePush).WithTags("ABDM gateway callbacks").AllowAnonymous()
            .WithSummary("An HIP pushes health information Telemed asked for (dataPushUrl): decrypted, checked and kept apart from Telemed's own records.");
        callbacks.MapPost(CareContextLinks.CallbackPath, CareContextLinks.Receive).WithSummary("The gateway answers a care-context link (on_carecontext): linked, or refused with ABDM's error.");
        callbacks.MapPost(PatientLinking.DiscoverPath, PatientLinking.ReceiveDiscover)
            .WithSummary("A PHR app asks which care contexts Telemed holds for its patient (user-initiated linking): answered with on-discover.");
        callbacks.MapPost(PatientLinking.InitPath, PatientLinking.ReceiveInit)
            .WithSummary("The patient starts linking discovered care contexts: an OTP is texted to them and on-init answers with the link reference.");
        callbacks.MapPost(PatientLinking.ConfirmPath, PatientLinking.ReceiveConfirm)
            .WithSummary("The patient confirms a link with the OTP: checked (attempts limited) and on-confirm lists the linked care contexts.");
    }
}
