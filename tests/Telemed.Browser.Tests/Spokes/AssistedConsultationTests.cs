using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Calls;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Spokes;

/// <summary>
/// A whole assisted consultation: a health worker at a spoke registers a patient, asks the hub doctor rostered for the
/// specialty, books the slot and checks the patient in with complaint and vitals; the hub doctor calls and starts; the
/// health worker joins the call with the patient on one device and streams a Bluetooth cuff's reading (a fake
/// navigator.bluetooth, everything after it real); the doctor signs the prescription; the spoke's pharmacist, refused for want of
/// stock, receives it on their page and dispenses from it.
/// The hub–spoke link and the staff are set up through the admin's API; the doctor publishes the roster on their page.
/// </summary>
[Collection(OneAtATime.Name)]
public class AssistedConsultationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly Guid Hub = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private const string Password = "a-long-enough-password";

    private const string FakeCuff = """
        (() => {
          const measurement = new EventTarget();
          measurement.startNotifications = async () => { window.fakeCuff.subscribed = true; return measurement; };
          window.fakeCuff = {
            subscribed: false,
            requested: null,
            notify(bytes) {
              measurement.value = new DataView(Uint8Array.from(bytes).buffer);
              measurement.dispatchEvent(new Event('characteristicvaluechanged'));
            },
          };
          const missing = () => new DOMException('No such service or characteristic', 'NotFoundError');
          const server = {
            connect: async () => server,
            getPrimaryService: async uuid => {
              if (uuid !== 0x1810) throw missing();
              return { getCharacteristic: async uuid => { if (uuid !== 0x2a35) throw missing(); return measurement; } };
            },
          };
          const bluetooth = { requestDevice: async options => { window.fakeCuff.requested = options; return { name: 'A&D UA-651BLE', gatt: server }; } };
          Object.defineProperty(navigator, 'bluetooth', { configurable: true, value: bluetooth });
        })();
        """;

    private async Task<Guid> Created(string path, string token, object body) =>
        (await (await fixture.Send(HttpMethod.Post, path, token, body)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

    [Fact]
    public async Task A_health_worker_at_a_spoke_brings_a_patient_to_a_hub_doctor_and_the_spoke_s_pharmacy_dispenses_the_prescription()
    {
        var admin = await fixture.SignIn("admin@telemed.local");
        var spoke = await Created("/api/admin/facilities", admin, new
        {
            hfrId = "IN0910000555", name = "HWC Rampur", district = "Rampur", state = "Uttar Pradesh", proceedUnverified = true, unverifiedReason = "test",
        });
        await fixture.Send(HttpMethod.Post, "/api/admin/hub-spokes", admin, new { hubId = Hub, spokeId = spoke });
        await fixture.Send(HttpMethod.Post, "/api/admin/health-workers", admin, new { name = "Asha Kumari", email = "asha.kumari@hwc.example.in", password = Password, cadre = "anm", facilityId = spoke });
        var pharmacy = await Created("/api/admin/pharmacies", admin, new { name = "HWC Rampur dispensary", licenceNumber = "UP-RMP-0001", district = "Rampur", state = "Uttar Pradesh", facilityId = spoke });
        await fixture.Send(HttpMethod.Post, "/api/admin/pharmacists", admin, new
        {
            name = "Ravi Shukla", email = "ravi.shukla@hwc.example.in", password = Password, registrationNumber = "UPPC-1234", stateCouncil = "UP Pharmacy Council", pharmacyId = pharmacy,
        });
        var rostering = await fixture.NewPage();
        await Pages.SignInStaff(rostering, "asha.verma@telemed.local");
        await Assertions.Expect(rostering.Locator("#doctor")).ToBeVisibleAsync();
        await rostering.ClickAsync("#roster-new summary");
        await rostering.FillAsync("#rs-specialty", "General Medicine");
        foreach (var day in await rostering.Locator("#rs-days input[type=checkbox]").AllAsync())
        {
            await day.CheckAsync();
        }
        await rostering.FillAsync("#rs-from", "00:00");
        await rostering.FillAsync("#rs-to", "23:55");
        await rostering.FillAsync("#rs-capacity", "40");
        await rostering.FillAsync("#rs-slot", "5");
        await rostering.ClickAsync("#rs-publish");
        await Assertions.Expect(rostering.Locator("#rosters li[data-roster]")).ToContainTextAsync("General Medicine at");

        var worker = await fixture.NewPage();
        await worker.AddInitScriptAsync(FakeCuff);
        await Pages.SignInStaff(worker, "asha.kumari@hwc.example.in", password: Password);
        await Assertions.Expect(worker.Locator("#hw-spoke")).ToContainTextAsync("HWC Rampur");
        await worker.FillAsync("#hw-reg-name", "Ramesh Yadav");
        await worker.FillAsync("#hw-reg-year", "1968");
        await worker.SelectOptionAsync("#hw-reg-sex", "male");
        await worker.FillAsync("#hw-reg-mobile", "9123456780");
        var asked = DateTimeOffset.UtcNow;
        await worker.ClickAsync("#hw-reg-send-code");
        await Assertions.Expect(worker.Locator("#hw-reg-status")).Not.ToBeEmptyAsync();
        await worker.FillAsync("#hw-reg-code", await fixture.LatestCode("+919123456780", asked));
        await worker.ClickAsync("#hw-register-submit");
        await Assertions.Expect(worker.Locator("#hw-patient option:checked")).ToContainTextAsync("Ramesh Yadav");

        await worker.FillAsync("#hw-specialty", "general");
        await worker.ClickAsync("#hw-search-submit");
        await worker.ClickAsync("#hw-rosters button[data-roster]");
        await Assertions.Expect(worker.Locator("#hw-book-doctor")).ToContainTextAsync("Dr. Asha Verma");
        // The second free slot: the first begins within five minutes, perhaps before a slow run books it.
        await Assertions.Expect(worker.Locator("#hw-slot option").Nth(1)).ToBeAttachedAsync();
        await worker.SelectOptionAsync("#hw-slot", new SelectOptionValue { Index = 1 });
        await worker.FillAsync("#hw-complaint", "Fever and body ache for three days");
        await worker.FillAsync("#hw-v-temperature", "38.4");
        await worker.FillAsync("#hw-v-spo2", "97");
        await worker.ClickAsync("#hw-book-submit");
        var request = worker.Locator("#hw-requests li[data-state='waiting']");
        await Assertions.Expect(request).ToContainTextAsync("Ramesh Yadav with Dr. Asha Verma: token 1");
        var sessionId = Guid.Parse((await request.GetAttributeAsync("data-session"))!);

        var doctor = await fixture.NewPage();
        await Pages.OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        var row = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(row).ToContainTextAsync("brought in by Asha Kumari, ANM at HWC Rampur");
        await Assertions.Expect(row).ToContainTextAsync("Fever and body ache for three days");
        await doctor.ClickAsync("#call-next");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "called");
        await doctor.ClickAsync("#start");
        try
        {
            await VideoCallTests.ConnectedWithVideo(doctor);
            await VideoCallTests.ConnectedWithVideo(worker);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(await fixture.Diagnose(doctor, worker), timeout);
        }
        await Assertions.Expect(doctor.Locator("#call-assisted")).ToHaveTextAsync("In the room with the patient: Asha Kumari, ANM at HWC Rampur");
        await Assertions.Expect(worker.Locator("#hw-requests li[data-state='inConsultation'] button[data-consultation]")).ToBeVisibleAsync();

        await worker.ClickAsync("#device-connect");
        await Assertions.Expect(worker.Locator("#device-status")).ToContainTextAsync("A&D UA-651BLE is connected");
        await worker.EvaluateAsync("() => window.fakeCuff.notify([0x04, 128, 0, 82, 0, 97, 0, 76, 0])");
        var line = "Blood pressure 128/82 mmHg · Pulse 76 /min — A&D UA-651BLE";
        await Assertions.Expect(doctor.Locator("#device-readings li")).ToContainTextAsync(line, new() { Timeout = 15_000 });

        await Pages.WriteRecordWithParacetamol(doctor);
        await Pages.SignAndComplete(doctor);
        await Assertions.Expect(doctor.Locator("#completed")).ToContainTextAsync("signed");

        var pharmacist = await fixture.NewPage();
        await Pages.SignInStaff(pharmacist, "ravi.shukla@hwc.example.in", password: Password);
        var forSpoke = pharmacist.Locator("#rx-spoke li[data-prescription]");
        await Assertions.Expect(forSpoke).ToContainTextAsync("Ramesh Yadav: Dr. Asha Verma");
        await forSpoke.Locator("button").ClickAsync();
        await Assertions.Expect(pharmacist.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "valid");
        await Assertions.Expect(pharmacist.Locator("#rx-stock")).ToHaveTextAsync("Nothing in stock yet.");
        await pharmacist.FillAsync("#rx-lines tbody tr[data-line='0'] .qty", "6");
        await pharmacist.ClickAsync("#rx-dispense");
        await Assertions.Expect(pharmacist.Locator("#error")).ToContainTextAsync("paracetamol 500 mg tablet: 0 in stock, 6 asked for.");
        await pharmacist.FillAsync("#rx-rc-generic", "paracetamol");
        await pharmacist.FillAsync("#rx-rc-strength", "500 mg");
        await pharmacist.FillAsync("#rx-rc-form", "tablet");
        await pharmacist.FillAsync("#rx-rc-quantity", "20");
        await pharmacist.FillAsync("#rx-rc-batch", "PCM-2291");
        await pharmacist.FillAsync("#rx-rc-expiry", "2030-06-30");
        await pharmacist.ClickAsync("#rx-receive-submit");
        await Assertions.Expect(pharmacist.Locator("#rx-stock")).ToHaveTextAsync("paracetamol 500 mg tablet: 20 in stock");
        await pharmacist.ClickAsync("#rx-dispense");
        await Assertions.Expect(pharmacist.Locator("#rx-result")).ToHaveTextAsync("Dispensing recorded.");
        await Assertions.Expect(pharmacist.Locator("#rx-stock")).ToHaveTextAsync("paracetamol 500 mg tablet: 14 in stock");
    }
}
