using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain;
using Telemed.Server.Consultations;
using Telemed.Server.Identity;
using Telemed.Server.Queue;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>
/// Walks every endpoint and hub method the server has (found by reflection, so a new one cannot be forgotten) and
/// checks that nobody gets in where they do not belong: anonymous callers only where listed, and a patient never
/// reaches another patient's session token, consultation, prescription, payment or records — nor, unless they are the
/// guardian, a family member's.
/// </summary>
public class AccessWalkTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    /// <summary>Open to anyone, on purpose.</summary>
    private static readonly HashSet<string> Anonymous =
    [
        "/health/live", "/health/ready", "/metrics", "GET /openapi/{documentName}.json", "GET /.well-known/jwks.json",
        // The signed revocation list offline verifiers keep, public as the keys are.
        "GET /api/prescriptions/revocations",
        "POST /api/auth/otp", "POST /api/auth/otp/verify", "POST /api/auth/sign-in", "POST /api/auth/refresh", "POST /api/auth/sign-out",
        // The second step of a staff sign-in, authenticated by the challenge the right password gave.
        "POST /api/auth/mfa/verify", "POST /api/auth/mfa/enrolment", "POST /api/auth/mfa/enrolment/confirm",
        "POST /api/patients", "GET /api/boards/{facilityId:guid}", "GET /api/verify/{prescriptionId:guid}",
        "POST /api/payments/stripe/webhook", "/hubs/board", "/hubs/board/negotiate",
        // The short prescription link in messages (it redirects to /verify, a page of the web client).
        "GET /v/{shortId}",
        // A forgotten password is by definition signed out; the gateway's receipts are authenticated by their signed reference.
        "POST /api/auth/password-reset", "POST /api/auth/password-reset/complete", "POST /api/messages/sms/receipts",
        // Only while the development sink is configured (never in Production), as the test hosts have it.
        "GET /api/dev/messages",
        // A guest opening the link the patient's side sent them: the link's secret is the credential.
        "POST /api/guests/admit",
    ];

    /// <summary>Endpoints a patient may call on a session that is not theirs (to find and join an OPD, or to act on their own data).</summary>
    private static readonly HashSet<string> OpenToAnyPatient =
    [
        "GET /api/sessions/{sessionId:guid}", "POST /api/sessions/{sessionId:guid}/check-in", "DELETE /api/records/consents/{doctorId:guid}",
        "GET /api/sessions/{sessionId:guid}/slots", "POST /api/sessions/{sessionId:guid}/bookings",
    ];

    /// <summary>What a health worker of a spoke linked to the same hub may call on another spoke's objects: the hub's sessions and rosters, no patient.</summary>
    private static readonly HashSet<string> OpenToLinkedHealthWorkers =
    [
        "GET /api/sessions/{sessionId:guid}", "GET /api/sessions/{sessionId:guid}/slots", "GET /api/spoke/rosters/{rosterId:guid}/slots",
    ];

    private static string Name(RouteEndpoint endpoint) =>
        (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods[0] + " " : "") + "/" + endpoint.RoutePattern.RawText!.TrimStart('/');

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        [.. server.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    [Fact]
    public void Only_the_listed_endpoints_let_anonymous_callers_in()
    {
        // The web client's files (its pages and scripts) are public; everything else is listed.
        var anonymous = Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && e.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            .Select(Name).Distinct().ToList();
        anonymous.Where(name => !Anonymous.Contains(name)).ShouldBeEmpty("every anonymous endpoint must be listed here on purpose");
    }

    [Fact]
    public async Task Every_other_endpoint_answers_401_without_a_token()
    {
        var client = server.Host.CreateClient();
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<HttpMethodMetadata>() is not null))
        {
            var response = await client.SendAsync(Request(endpoint, new Ids(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid())));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, Name(endpoint));
        }
    }

    [Fact]
    public async Task A_patient_reaches_none_of_another_patients_objects_over_REST_or_the_hub()
    {
        var owner = (await server.Host.CreatePatients(1))[0];
        var sessionId = await Sessions.Open(server.Host, doctorIds: [DemoSeeder.DoctorAshaId]);
        await Sessions.CheckIn(server.Host, sessionId, owner);
        var (room, prescriptionId) = await Clinical.Prescribed(server.Host, owner);
        var ids = new Ids(room.SessionId, room.ConsultationId, prescriptionId, owner.Id, DemoSeeder.DoctorAshaId, await Booking(owner));

        await NoLeaks((await server.Host.CreatePatients(1))[0].AccessToken, ids);
    }

    /// <summary>
    /// The same walk over a family member's objects — their token, consultation, prescription, and the family endpoints
    /// that name them — by a stranger, and by another guardian acting for a family member of their own.
    /// </summary>
    [Fact]
    public async Task Nobody_but_the_guardian_reaches_a_family_members_objects_over_REST_or_the_hub()
    {
        var guardian = (await server.Host.CreatePatients(1))[0];
        var child = await server.Host.AddDependant(guardian);
        var (room, prescriptionId) = await Clinical.Prescribed(server.Host, child, weightKg: 28m);
        var ids = new Ids(room.SessionId, room.ConsultationId, prescriptionId, child.Id, DemoSeeder.DoctorAshaId, await Booking(child));
        var otherGuardian = (await server.Host.CreatePatients(1))[0];

        await NoLeaks((await server.Host.CreatePatients(1))[0].AccessToken, ids);
        await NoLeaks((await server.Host.AddDependant(otherGuardian)).AccessToken, ids);
        await NoLeaks(otherGuardian.AccessToken, ids);
    }

    /// <summary>
    /// A kiosk device of another facility, and a revoked device of the consultation's own facility, walk every endpoint
    /// with their credential: the device gateway refuses them, and nothing else knows a device at all.
    /// </summary>
    [Fact]
    public async Task A_device_reaches_nothing_but_its_own_facility_s_gateway()
    {
        var patient = (await server.Host.CreatePatients(1))[0];
        var (room, prescriptionId) = await Clinical.Prescribed(server.Host, patient);
        var ids = new Ids(room.SessionId, room.ConsultationId, prescriptionId, patient.Id, DemoSeeder.DoctorAshaId);
        var admin = server.Host.As((await server.Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var facility = await admin.PostAsJsonAsync("/api/admin/facilities", new
        {
            hfrId = $"IN33{Random.Shared.Next(10_000_000, 99_999_999)}", name = "PHC Walk", district = "Chennai", state = "Tamil Nadu",
            proceedUnverified = true, unverifiedReason = "walk",
        });
        var otherFacility = (await facility.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        async Task<(Guid Id, string Credential)> Device(Guid facilityId)
        {
            var registered = await (await admin.PostAsJsonAsync("/api/admin/devices", new { facilityId, name = "Walk kiosk" })).Content.ReadFromJsonAsync<JsonElement>();
            return (registered.GetProperty("device").GetProperty("id").GetGuid(), registered.GetProperty("credential").GetString()!);
        }
        var (_, elsewhere) = await Device(otherFacility);
        var (revokedId, revoked) = await Device(Sessions.Facility);
        (await admin.PostAsync($"/api/admin/devices/{revokedId}/revoke", null)).IsSuccessStatusCode.ShouldBeTrue();

        foreach (var credential in new[] { elsewhere, revoked })
        {
            var device = server.Host.CreateClient();
            device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Device", credential);
            var leaks = new List<string>();
            foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<HttpMethodMetadata>() is not null))
            {
                var response = await device.SendAsync(Request(endpoint, ids));
                if (response.IsSuccessStatusCode)
                {
                    leaks.Add($"{Name(endpoint)} → {(int)response.StatusCode}");
                }
            }
            leaks.ShouldBeEmpty();
        }
    }

    /// <summary>
    /// A patient brought in at one spoke, checked in to a hub doctor and prescribed for, with a booking the health worker
    /// made for tomorrow: a health worker of another spoke
    /// linked to the same hub, and a colleague at the same spoke who did not bring them in, walk every endpoint and hub
    /// method with the patient's, session's, consultation's, prescription's and roster's ids.
    /// </summary>
    [Fact]
    public async Task A_health_worker_reaches_no_patient_they_did_not_bring_in()
    {
        var world = await Spokes.SpokeWorld.Create(server.Host);
        var patientId = await world.Register(server.Host);
        var (sessionId, token) = await world.BookAndCheckIn(server.Host, patientId);
        await (await world.Doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await world.Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/start", null);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        var room = new Consultations.Room(sessionId, consultationId, null!, world.DoctorToken);
        await Clinical.Write(world.Doctor, room, ("diagnosis", new { text = "Viral fever", codeSystem = "icd10", code = "B34.9" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        await (await world.Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/complete", null)).ShouldHave(HttpStatusCode.OK);
        var prescriptionId = (await world.Doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{consultationId}/record")).GetProperty("prescriptionId").GetGuid();
        var tomorrow = IndianTime.Day(server.Time.GetUtcNow()).AddDays(1);
        var booked = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/rosters/{world.RosterId}/bookings", new { patientId, date = tomorrow, slot = 3 });
        await booked.ShouldHave(HttpStatusCode.Created);
        var booking = await booked.Content.ReadFromJsonAsync<JsonElement>();
        var ids = new Ids(sessionId, consultationId, prescriptionId, patientId, world.DoctorId, (booking.GetProperty("sessionId").GetGuid(), booking.GetProperty("id").GetGuid()),
            world.RosterId);
        var admin = await Spokes.SpokeWorld.Admin(server.Host);
        var otherSpoke = await Spokes.SpokeWorld.Facility(admin, "HWC Walk");
        await Spokes.SpokeWorld.Link(admin, Sessions.Facility, otherSpoke);

        await NoLeaks((await Spokes.SpokeWorld.HealthWorkerAt(server.Host, admin, otherSpoke, "Walk Other")).Token, ids, OpenToLinkedHealthWorkers);
        await NoLeaks((await Spokes.SpokeWorld.HealthWorkerAt(server.Host, admin, world.SpokeId, "Walk Colleague")).Token, ids, OpenToLinkedHealthWorkers);
    }

    /// <summary>
    /// A pharmacy's stock names no pharmacy in its routes: each caller reaches only their own. Every stock endpoint (found
    /// by reflection: stock, receipts, adjustments, thresholds, the low-stock list), called with a well-formed request by a pharmacist of another facility's pharmacy, a retail pharmacist,
    /// the spoke's health worker, its hub doctor and a patient: only the other facility's pharmacist gets in, to their own
    /// stock, and the spoke pharmacy's stock is untouched.
    /// </summary>
    [Fact]
    public async Task A_pharmacy_s_stock_is_reached_by_its_own_pharmacists_only()
    {
        var world = await Spokes.SpokeWorld.Create(server.Host);
        await (await world.Receive("paracetamol", "500 mg", "tablet", 10)).ShouldHave(HttpStatusCode.Created);
        var admin = await Spokes.SpokeWorld.Admin(server.Host);
        var otherSpoke = await Spokes.SpokeWorld.Facility(admin, "HWC Stock Walk");
        var pharmacy = await admin.PostAsJsonAsync("/api/admin/pharmacies", new
        {
            name = "HWC Stock Walk pharmacy", licenceNumber = $"UP-W{Random.Shared.Next(100_000, 999_999)}", district = "Rampur", state = "Uttar Pradesh", facilityId = otherSpoke,
        });
        await pharmacy.ShouldHave(HttpStatusCode.Created);
        var email = $"walk{Random.Shared.Next(100_000, 999_999)}@spoke.example.in";
        await (await admin.PostAsJsonAsync("/api/admin/pharmacists", new
        {
            name = "Walk Pharmacist", email, password = Spokes.SpokeWorld.Password, registrationNumber = $"UPPC-W{Random.Shared.Next(100_000, 999_999)}",
            stateCouncil = "UP Pharmacy Council", pharmacyId = (await pharmacy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
        })).ShouldHave(HttpStatusCode.Created);
        var otherPharmacist = server.Host.As((await server.Host.SignInStaff(email, Spokes.SpokeWorld.Password)).AccessToken);
        var stock = Endpoints().Where(e => e.RoutePattern.RawText!.StartsWith("/api/pharmacy/stock", StringComparison.Ordinal)).ToList();
        stock.Count.ShouldBe(5);
        HttpRequestMessage Call(RouteEndpoint endpoint)
        {
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0];
            return new(new HttpMethod(method), "/" + endpoint.RoutePattern.RawText!.TrimStart('/'))
            {
                Content = method is "POST" or "PUT"
                    ? JsonContent.Create(new
                    {
                        receiptId = Guid.NewGuid(), adjustmentId = Guid.NewGuid(), generic = "paracetamol", strength = "500 mg", form = "tablet", quantity = 50,
                        batch = "PCM-2291", expiresOn = "2030-06-30", change = -1, reason = "damaged", minimum = 20,
                    })
                    : null,
            };
        }

        var outsiders = new[]
        {
            server.Host.As((await server.Host.SignInStaff("meena.iyer@telemed.local")).AccessToken), world.HealthWorker, world.Doctor,
            server.Host.As((await server.Host.CreatePatients(1))[0].AccessToken),
        };
        var leaks = new List<string>();
        foreach (var endpoint in stock)
        {
            foreach (var outsider in outsiders)
            {
                if ((await outsider.SendAsync(Call(endpoint))).IsSuccessStatusCode)
                {
                    leaks.Add(Name(endpoint));
                }
            }
            // Their own stock: an adjustment of a batch they have not received yet is refused as a bad request, not a forbidden one.
            (await otherPharmacist.SendAsync(Call(endpoint))).StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.BadRequest);
        }
        leaks.ShouldBeEmpty();
        (await otherPharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/stock")).GetProperty("pharmacyId").GetGuid().ShouldNotBe(world.PharmacyId);
        var spokeStock = await world.Pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/stock");
        var untouched = spokeStock.GetProperty("medicines").EnumerateArray().Single();
        untouched.GetProperty("quantity").GetInt32().ShouldBe(10);
        (!untouched.TryGetProperty("minimum", out var minimum) || minimum.ValueKind == JsonValueKind.Null).ShouldBeTrue("another pharmacy's threshold is its own");
    }

    /// <summary>Every endpoint that names an object, and every hub method, called by someone with no claim on it: none succeeds.</summary>
    private async Task NoLeaks(string strangerToken, Ids ids, HashSet<string>? open = null)
    {
        open ??= OpenToAnyPatient;
        var stranger = server.Host.As(strangerToken);
        var leaks = new List<string>();
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<HttpMethodMetadata>() is not null
            && e.RoutePattern.Parameters.Count > 0 && !open.Contains(Name(e))))
        {
            var response = await stranger.SendAsync(Request(endpoint, ids));
            if (response.IsSuccessStatusCode)
            {
                leaks.Add($"{Name(endpoint)} → {(int)response.StatusCode}");
            }
        }
        leaks.ShouldBeEmpty();

        foreach (var (path, hubType) in new[] { ("/hubs/queue", typeof(QueueHub)), ("/hubs/consultation", typeof(ConsultationHub)) })
        {
            await using var hub = await HubClient.Connect(server.Host, path, strangerToken);
            var methods = hubType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericArguments()[0].Name.StartsWith("HubResult", StringComparison.Ordinal))
                .ToList();
            methods.ShouldNotBeEmpty(path);
            foreach (var method in methods)
            {
                var args = method.GetParameters().Select(p => Argument(p, ids)).ToArray();
                var reply = await hub.Invoke(method.Name, args);
                reply.GetProperty("ok").GetBoolean().ShouldBeFalse($"{path} {method.Name} let a stranger act on another patient's {string.Join(", ", method.GetParameters().Select(p => p.Name))}");
            }
        }
    }

    /// <summary>A booked slot of another session (the patient is checked in to the first).</summary>
    private sealed record Ids(Guid Session, Guid Consultation, Guid Prescription, Guid Patient, Guid Doctor, (Guid Session, Guid Booking)? Booked = null, Guid? Roster = null);

    /// <summary>The patient's booking of a slot of a session that starts in an hour.</summary>
    private async Task<(Guid Session, Guid Booking)> Booking(TestPatient patient)
    {
        var admin = server.Host.As((await server.Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var startsAt = server.Time.GetUtcNow().AddHours(1);
        var opened = await admin.PostAsJsonAsync("/api/sessions", new
        {
            facilityId = Sessions.Facility, doctorIds = new[] { DemoSeeder.DoctorAshaId }, startsAt, endsAt = startsAt.AddHours(1), capacity = 10, slotMinutes = 10,
        });
        await opened.ShouldHave(HttpStatusCode.Created);
        var sessionId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var booked = await server.Host.As(patient.AccessToken).PostAsJsonAsync($"/api/sessions/{sessionId}/bookings", new { slot = 1 });
        await booked.ShouldHave(HttpStatusCode.Created);
        return (sessionId, (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    private static HttpRequestMessage Request(RouteEndpoint endpoint, Ids ids)
    {
        var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        var booking = endpoint.RoutePattern.Parameters.Any(p => p.Name == "bookingId") ? ids.Booked : null;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var value = parameter.Name switch
            {
                "sessionId" when booking is { } booked => booked.Session.ToString(),
                "bookingId" when booking is { } booked => booked.Booking.ToString(),
                "sessionId" => ids.Session.ToString(),
                "consultationId" => ids.Consultation.ToString(),
                "prescriptionId" => ids.Prescription.ToString(),
                "patientId" or "dependantId" => ids.Patient.ToString(),
                "doctorId" => ids.Doctor.ToString(),
                "rosterId" when ids.Roster is { } roster => roster.ToString(),
                "token" => "1",
                "documentName" => "v1",
                _ => Guid.NewGuid().ToString(),
            };
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + parameter.Name + "[^}]*\\}", value);
        }
        var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0];
        return new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? JsonContent.Create(new { reason = "walk", requestId = Guid.NewGuid(), slot = 2, sessionId = ids.Session }) : null,
        };
    }

    private static object? Argument(ParameterInfo parameter, Ids ids) => parameter.ParameterType switch
    {
        var t when t == typeof(Guid) => parameter.Name switch
        {
            "sessionId" => ids.Session,
            "consultationId" => ids.Consultation,
            "patientId" => ids.Patient,
            _ => Guid.NewGuid(),
        },
        var t when t == typeof(int) => 1,
        var t when t == typeof(int?) => null,
        var t when t == typeof(string) => parameter.Name == "candidate" ? Consultations.Room.Candidate : "walk",
        var t when t == typeof(bool) => false,
        var t when t.IsEnum => Enum.GetValues(t).GetValue(0),
        _ => null,
    };
}
