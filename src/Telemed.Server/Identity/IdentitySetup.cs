using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Marten.Schema;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Telemed.Domain.Identity;

namespace Telemed.Server.Identity;

public static class IdentitySetup
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IHostApplicationBuilder AddTelemedIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations()
            .Validate(auth => auth.PasswordHashIterations >= AuthOptions.MinimumPasswordHashIterations || builder.Environment.IsEnvironment("Testing")
                    || builder.Environment.IsEnvironment("Benchmark"),
                $"Auth:PasswordHashIterations must be at least {AuthOptions.MinimumPasswordHashIterations:N0} (OWASP's PBKDF2 guidance).")
            .Validate(auth => auth.AcceptedSigningKeyPaths.All(File.Exists), "Auth:AcceptedSigningKeyPaths names a key file that does not exist.")
            .ValidateOnStart();
        services.AddOptions<OtpOptions>().Bind(builder.Configuration.GetSection(OtpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IAccessTokenKeyStore, PemFileAccessTokenKeyStore>();
        services.AddSingleton<SigningKey>();
        services.AddSingleton<Tokens>();
        services.AddSingleton<OneTimeCodeService>();
        services.AddSingleton<AuditTrail>();
        var dataProtection = services.AddDataProtection();
        if (builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()?.DataProtectionKeysPath is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }
        services.AddSingleton<MfaSecrets>();
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<AuthOptions>>((hasher, auth) =>
        {
            hasher.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            hasher.IterationCount = auth.Value.PasswordHashIterations;
        });
        services.AddSingleton<IPasswordHasher<StaffAccount>, PasswordHasher<StaffAccount>>();
        services.AddSingleton<DecoyPasswordHash>();
        services.AddSingleton<RevokedSessions>();
        services.AddHostedService<RevokedSessionsPoll>();
        services.ConfigureMarten((provider, options) =>
            options.Listeners.Add(new RevocationBroadcast(provider.GetRequiredService<RevokedSessions>(), provider.GetService<StackExchange.Redis.IConnectionMultiplexer>(),
                provider.GetRequiredService<ILogger<RevocationBroadcast>>())));
        services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidation>();
        services.AddHostedService<DemoSeeder>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer().AddJwtBearer(Tokens.GuestScheme);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IServiceProvider, TimeProvider>((jwt, auth, provider, time) =>
                ConfigureBearer(jwt, auth.Value, provider, time));
        services.AddOptions<JwtBearerOptions>(Tokens.GuestScheme)
            .Configure<IOptions<AuthOptions>, IServiceProvider, TimeProvider>((jwt, auth, provider, time) =>
                ConfigureGuestBearer(jwt, auth.Value, provider, time));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Doctor, policy => policy.RequireRole(Roles.Doctor))
            .AddPolicy(Roles.Patient, policy => policy.RequireRole(Roles.Patient))
            .AddPolicy(Roles.Pharmacist, policy => policy.RequireRole(Roles.Pharmacist))
            .AddPolicy(Roles.HealthWorker, policy => policy.RequireRole(Roles.HealthWorker))
            .AddPolicy(Roles.HealthOfficer, policy => policy.RequireRole(Roles.HealthOfficer, Roles.Admin))
            .AddPolicy(CallParticipant, policy => policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, Tokens.GuestScheme).RequireAuthenticatedUser());

        services.ConfigureMarten(options =>
        {
            // A mobile number signs in one patient; the dependants it holds share it.
            options.Schema.For<PatientAccount>()
                .Index(x => x.Mobile, index =>
                {
                    index.Name = "uq_patient_mobile";
                    index.IsUnique = true;
                    index.Predicate = "data ->> 'guardianId' is null";
                })
                .Index(x => x.GuardianId!)
                .UniqueIndex(UniqueIndexType.Computed, "uq_patient_abha_number", x => x.AbhaNumber!)
                .UniqueIndex(UniqueIndexType.Computed, "uq_patient_abha_address", x => x.AbhaAddress!);
            options.Schema.For<StaffAccount>()
                .UniqueIndex(UniqueIndexType.Computed, "uq_staff_email", x => x.Email)
                .UniqueIndex(UniqueIndexType.Computed, "uq_doctor_hpr_id", x => x.Doctor!.HprId);
            options.Schema.For<Facility>().UniqueIndex(UniqueIndexType.Computed, "uq_facility_hfr_id", x => x.HfrId);
            options.Schema.For<RefreshTokenRecord>().UseOptimisticConcurrency(true).Index(x => x.FamilyId).Index(x => x.AccountId).Index(x => x.RevokedAt);
            options.Schema.For<OtpChallengeDocument>().UseOptimisticConcurrency(true);
            options.Schema.For<PasswordReset>().UseOptimisticConcurrency(true);
            options.Schema.For<PasswordAttempts>().UseOptimisticConcurrency(true);
            options.Schema.For<StaffMfa>().UseOptimisticConcurrency(true);
            options.Schema.For<MfaChallenge>().UseOptimisticConcurrency(true);
            options.Events.AddEventTypes([
                typeof(PatientRegistered), typeof(StaffRegistered), typeof(SignedIn),
                typeof(SignInFailed), typeof(RefreshTokenReused), typeof(SignedOut), typeof(AccessRefused), typeof(AccessGranted), typeof(SignedOutEverywhere),
                typeof(AccountDeactivated), typeof(FacilityRegistered), typeof(PharmacyRegistered), typeof(SignedOutIdle), typeof(SessionLifetimeEnded),
                typeof(PasswordResetRequested), typeof(PasswordChanged), typeof(DependantRegistered), typeof(DependantUpdated), typeof(GuardianActing),
                typeof(MfaEnrolled), typeof(MfaDisabled), typeof(MfaReset), typeof(RecoveryCodeUsed), typeof(RecoveryCodesRenewed),
            ]);
        });
        return builder;
    }

    /// <summary>
    /// What a consultation's call accepts besides signed-in accounts: guests' tokens (<see cref="Tokens.IssueGuest"/>).
    /// The hub and the ICE servers check that the caller is in that consultation, as they do for everyone.
    /// </summary>
    public const string CallParticipant = "call-participant";

    private static void ConfigureBearer(JwtBearerOptions jwt, AuthOptions auth, IServiceProvider provider, TimeProvider time)
    {
        jwt.MapInboundClaims = false;
        jwt.TimeProvider = time;
        jwt.Events = Events(provider.GetRequiredService<RevokedSessions>());
        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            jwt.Authority = auth.Authority;
            jwt.Audience = auth.Audience;
            jwt.RequireHttpsMetadata = auth.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = auth.Audience,
                NameClaimType = JwtRegisteredClaimNames.Sub,
                RoleClaimType = auth.RoleClaim,
                ClockSkew = ClockSkew,
                LifetimeValidator = LifetimeAt(time),
            };
            return;
        }
        jwt.TokenValidationParameters = OwnTokens(auth.Issuer, auth.Audience, provider, time);
    }

    /// <summary>Guests' tokens are always Telemed's own, whoever signs staff in.</summary>
    private static void ConfigureGuestBearer(JwtBearerOptions jwt, AuthOptions auth, IServiceProvider provider, TimeProvider time)
    {
        jwt.MapInboundClaims = false;
        jwt.TimeProvider = time;
        jwt.Events = Events(provider.GetRequiredService<RevokedSessions>());
        jwt.TokenValidationParameters = OwnTokens(auth.Issuer, auth.GuestAudience, provider, time);
    }

    private static TokenValidationParameters OwnTokens(string issuer, string audience, IServiceProvider provider, TimeProvider time) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        IssuerSigningKeys = provider.GetRequiredService<SigningKey>().ValidationKeys,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        NameClaimType = JwtRegisteredClaimNames.Sub,
        RoleClaimType = ClaimNames.Role,
        ClockSkew = ClockSkew,
        LifetimeValidator = LifetimeAt(time),
    };

    private static JwtBearerEvents Events(RevokedSessions revoked) =>
        new()
        {
            // Browsers cannot set headers on WebSocket requests, so the hub takes the token from the query string.
            OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.TryGetValue("access_token", out var token))
                {
                    context.Token = token;
                }
                return Task.CompletedTask;
            },
            // A signed token stays valid until it expires; the session it belongs to may have ended since. A hub
            // connection keeps its caller for hours: it holds the few claims Telemed reads, not the parsed token behind
            // them (at 25,000 connections the token and its claims were about 4 KB each).
            OnTokenValidated = context =>
            {
                if (context.Principal?.SessionId() is { } sessionId && revoked.IsRevoked(sessionId))
                {
                    context.Fail("The sign-in session of this token has ended.");
                    return Task.CompletedTask;
                }
                context.Principal = Lean(context.Principal!, context.Options.TokenValidationParameters.RoleClaimType);
                return Task.CompletedTask;
            },
        };

    /// <summary>The caller with only the claims Telemed reads: subject, role, sign-in session and actor.</summary>
    private static ClaimsPrincipal Lean(ClaimsPrincipal validated, string roleClaim)
    {
        var kept = validated.Claims.Where(claim => claim.Type is JwtRegisteredClaimNames.Sub or ClaimNames.Session or ClaimNames.Actor || claim.Type == roleClaim)
            .Select(claim => new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer));
        return new ClaimsPrincipal(new ClaimsIdentity(kept, validated.Identity?.AuthenticationType, JwtRegisteredClaimNames.Sub, roleClaim));
    }

    /// <summary>Token lifetimes are judged by the same clock as everything else (so tests can move it).</summary>
    private static LifetimeValidator LifetimeAt(TimeProvider time) => (notBefore, expires, _, _) =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } until && until > now - ClockSkew && (notBefore is not { } from || from <= now + ClockSkew);
    };

    public static bool UsesExternalIssuer(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.Authority)}"]);
}
