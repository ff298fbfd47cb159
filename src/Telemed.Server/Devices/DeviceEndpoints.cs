using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Devices;
using Telemed.Domain.Identity;
using Telemed.Server.Consultations;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;
using Telemed.Server.Queue;
using Telemed.Server.Records;

namespace Telemed.Server.Devices;

public sealed record RegisterDeviceRequest(Guid? FacilityId, string? Name);

/// <summary>A characteristic value read over Web Bluetooth in a participant's browser, sent as it came off the air.</summary>
public sealed record BluetoothReadingRequest(string? ReadingId, string? Characteristic, string? Value, string? DeviceName);

/// <summary>
/// Vitals from medical devices: admins register kiosk devices for a facility; a device posts FHIR Observations for
/// its facility's consultations; a participant's browser posts the raw Bluetooth characteristic values it read. Both
/// paths go through the same checks as typed vitals and are recorded once per reading, then pushed to the room.
/// </summary>
public static class DeviceEndpoints
{
    public const int MaxObservationBytes = 64 * 1024;
    public const int MaxCharacteristicBytes = 64;

    public static void MapDevices(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/devices").WithTags("Admin").RequireAuthorization(Roles.Admin);
        admin.MapPost("/", Register).WithSummary("Register a kiosk medical device for a facility; the answer holds its credential, shown this once.");
        admin.MapGet("/", List).WithSummary("Registered devices, optionally of one facility.");
        admin.MapPost("/{deviceId:guid}/revoke", Revoke).WithSummary("Revoke a device: its credential is refused from now on.");

        app.MapPost("/api/device-gateway/consultations/{consultationId:guid}/observations", Receive).WithTags("Device gateway")
            .RequireAuthorization(DevicesSetup.Policy)
            .WithSummary("Device: record a FHIR Observation (application/fhir+json) on a consultation of the device's facility; idempotent per identifier.");

        var readings = app.MapGroup("/api/consultations/{consultationId:guid}/device-readings").WithTags("Consultations");
        readings.MapPost("/", FromBrowser).WithSummary("Participant: record a Bluetooth GATT characteristic value read in the browser (base64); idempotent per readingId.");
        readings.MapGet("/", ListReadings).WithSummary("Participants: the device readings recorded so far.");
    }

    private static async Task<Results<Created<RegisteredDevice>, ProblemHttpResult>> Register(
        RegisterDeviceRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var name = errors.Require("name", PersonRules.Text(request.Name, "Device name", 80));
        if (request.FacilityId is not { } facilityId || await session.LoadAsync<Facility>(facilityId, cancellationToken) is null)
        {
            errors.Add("facilityId", "Name a registered facility.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var id = Ids.New();
        var credential = DeviceCredentials.New(id);
        var device = new MedicalDevice(id, request.FacilityId!.Value, name!, DeviceCredentials.Hash(credential), user.AccountId(), time.GetUtcNow());
        session.Insert(device);
        session.Events.StartStream(id, new DeviceRegistered(id, device.FacilityId, device.RegisteredBy, device.RegisteredAt));
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/admin/devices/{id}", new RegisteredDevice(DeviceView.Of(device), credential));
    }

    private static async Task<Ok<IReadOnlyList<DeviceView>>> List(Guid? facilityId, IQuerySession session, CancellationToken cancellationToken)
    {
        var devices = await session.Query<MedicalDevice>().Where(d => facilityId == null || d.FacilityId == facilityId).OrderBy(d => d.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DeviceView>>([.. devices.Select(DeviceView.Of)]);
    }

    private static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Revoke(
        Guid deviceId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<MedicalDevice>(deviceId, cancellationToken) is not { } device)
        {
            return Problems.NotFound("There is no such device.");
        }
        if (device.RevokedAt is null)
        {
            device = device with { RevokedAt = time.GetUtcNow() };
            session.Store(device);
            session.Events.Append(deviceId, new DeviceRevoked(deviceId, user.AccountId(), device.RevokedAt.Value));
            await session.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Ok(DeviceView.Of(device));
    }

    private static async Task<IResult> Receive(
        Guid consultationId, HttpContext http, ConsultationService consultations, IQuerySession db, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var deviceId = http.User.AccountId();
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (consultation is null)
        {
            return Problems.NotFound("There is no such consultation.");
        }
        var opd = await db.LoadAsync<SessionListing>(consultation.SessionId, cancellationToken);
        if (opd?.FacilityId.ToString() != http.User.FindFirstValue(DeviceAuthentication.FacilityClaim))
        {
            await audit.Refused(deviceId, $"consultation/{consultationId}/device-readings", "record device reading (other facility)", cancellationToken);
            return Problems.Forbidden("This device belongs to another facility than the consultation's.");
        }
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not (FhirDocuments.MediaType or "application/json"))
        {
            return TypedResults.Problem($"Send the Observation as {FhirDocuments.MediaType}.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type");
        }
        if (http.Request.ContentLength > MaxObservationBytes)
        {
            return TypedResults.Problem($"An Observation is at most {MaxObservationBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large");
        }
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var errors = new FieldErrors();
        var input = FhirObservationInput.Parse(body, time.GetUtcNow(), errors);
        var values = input is null ? null : DeviceVitalsRules.Check(input.Vitals, input.Glucose, errors, "Observation");
        if (input is null || values is null)
        {
            return Problems.Invalid(errors);
        }
        var observation = new DeviceObservation(input.ReadingId, new DeviceSource(deviceId, http.User.FindFirstValue(DeviceAuthentication.NameClaim)!, null),
            values.Value.Vitals, values.Value.GlucoseMgPerDl, input.MeasuredAt, []);
        return await Record(http, consultations, consultationId, deviceId, true, observation,
            (reading, status) => TypedResults.Text(FhirDocuments.ToJson(FhirDocuments.DeviceObservations(reading).First()), FhirDocuments.MediaType, statusCode: status),
            cancellationToken);
    }

    private static async Task<IResult> FromBrowser(
        Guid consultationId, BluetoothReadingRequest request, HttpContext http, ConsultationService consultations, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var readingId = request.ReadingId?.Trim();
        if (string.IsNullOrEmpty(readingId) || readingId.Length > FhirObservationInput.MaxIdentifierLength || readingId.Any(char.IsControl))
        {
            errors.Add("readingId", $"A client-chosen id of this reading (1 to {FhirObservationInput.MaxIdentifierLength} characters), so a retry is recorded once.");
        }
        var deviceName = errors.Require("deviceName", PersonRules.Text(request.DeviceName, "Device name", 80));
        var characteristic = errors.RequireValue("characteristic", GattParsers.Characteristic(request.Characteristic));
        byte[]? value = null;
        try
        {
            value = Convert.FromBase64String(request.Value ?? "");
        }
        catch (FormatException)
        {
            errors.Add("value", "The characteristic value is base64.");
        }
        if (value is { Length: 0 or > MaxCharacteristicBytes })
        {
            errors.Add("value", $"A characteristic value has 1 to {MaxCharacteristicBytes} bytes.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var reading = errors.Require("value", GattParsers.Parse(characteristic!.Value, value!));
        var values = reading is null ? null : DeviceVitalsRules.FromReading(reading, errors);
        if (reading is null || values is null)
        {
            return Problems.Invalid(errors);
        }
        var now = time.GetUtcNow();
        // GATT time stamps carry no zone: devices here are set to Indian time. A clock ahead of now is wrong, not the reading.
        DateTimeOffset? measuredAt = reading.DeviceTime is { } local && new DateTimeOffset(local, IndianTime.Offset) is var at && at <= now.AddMinutes(5) ? at : null;
        var caller = http.User.AccountId();
        var observation = new DeviceObservation(readingId!, new DeviceSource(null, deviceName!, $"0x{(ushort)characteristic.Value:X4}"),
            values.Value.Vitals, values.Value.GlucoseMgPerDl, measuredAt, reading.Status);
        return await Record(http, consultations, consultationId, caller, false, observation, (r, status) => TypedResults.Json(DeviceReadingView.Of(r), statusCode: status), cancellationToken);
    }

    private static async Task<IResult> Record(
        HttpContext http, ConsultationService consultations, Guid consultationId, Guid by, bool byDevice, DeviceObservation observation,
        Func<DeviceVitalsRecorded, int, IResult> answer, CancellationToken cancellationToken)
    {
        var outcome = await consultations.Execute(consultationId, (state, now) => ClinicalDecisions.RecordDeviceReading(state, by, byDevice, observation, now), cancellationToken);
        if (!outcome.IsSuccess)
        {
            if (outcome.Error == ConsultationError.NotParticipant)
            {
                await http.RequestServices.GetRequiredService<AuditTrail>().Refused(by, $"consultation/{consultationId}/device-readings", "record device reading", cancellationToken);
            }
            return TypedResults.Problem(outcome.Error.Message, title: outcome.Error.Code, extensions: new Dictionary<string, object?> { ["code"] = outcome.Error.Code },
                statusCode: outcome.Error.Code switch
                {
                    "ConsultationNotFound" => StatusCodes.Status404NotFound,
                    "NotParticipant" => StatusCodes.Status403Forbidden,
                    _ => StatusCodes.Status409Conflict,
                });
        }
        var (state, events) = outcome.Value;
        var recorded = ClinicalDecisions.SameReading(state, by, observation)!;
        if (events.Count > 0)
        {
            var hub = http.RequestServices.GetRequiredService<IHubContext<ConsultationHub, IConsultationClient>>();
            var reading = DeviceReadingView.Of(recorded);
            http.RequestServices.GetRequiredService<Pushes>().Send(deadline => hub.Clients.Group(RoomRegistry.Group(consultationId)).DeviceReading(reading, deadline));
        }
        return answer(recorded, events.Count > 0 ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ListReadings(Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (consultation is null)
        {
            return Problems.NotFound("There is no such consultation.");
        }
        if (consultation.RoleOf(user.AccountId()) is null)
        {
            await audit.Refused(user.AccountId(), $"consultation/{consultationId}/device-readings", "read device readings", cancellationToken);
            return Problems.Forbidden("Only the consultation's participants see its device readings.");
        }
        return TypedResults.Ok(consultation.DeviceReadings.Select(DeviceReadingView.Of).ToList());
    }
}
