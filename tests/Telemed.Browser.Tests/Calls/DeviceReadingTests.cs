using Microsoft.Playwright;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>
/// A Bluetooth blood pressure cuff on the patient's side of the call: the page's Web Bluetooth is a fake device injected
/// before the page loads (Chromium here has no radio), everything after it — the page's parsing, its request to the
/// server, the server's parsing and checks, the hub's push to the doctor — is the real code.
/// </summary>
[Collection(OneAtATime.Name)]
public class DeviceReadingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string PatientMobile = "7012345678";

    /// <summary>navigator.bluetooth offering one cuff with the Blood Pressure service; window.fakeCuff.notify(bytes) sends a measurement.</summary>
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

    [Fact]
    public async Task A_reading_from_the_patient_s_cuff_appears_on_the_doctor_s_screen_during_the_call()
    {
        var patientPage = await fixture.NewPage();
        await patientPage.AddInitScriptAsync(FakeCuff);
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, PatientMobile, patientPage: patientPage);

        await doctor.ClickAsync("#call-next");
        await Assertions.Expect(patient.Locator("#token-state")).ToContainTextAsync("You are next");
        await Assertions.Expect(doctor.Locator("#queue li[data-token='1']")).ToHaveAttributeAsync("data-state", "called");
        await doctor.ClickAsync("#start");
        try
        {
            await VideoCallTests.ConnectedWithVideo(doctor);
            await VideoCallTests.ConnectedWithVideo(patient);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(await fixture.Diagnose(doctor, patient), timeout);
        }
        await Assertions.Expect(patient.Locator("#device-connect")).ToBeVisibleAsync();
        await patient.ClickAsync("#device-connect");
        await Assertions.Expect(patient.Locator("#device-status")).ToContainTextAsync("A&D UA-651BLE is connected");
        (await patient.EvaluateAsync<bool>("() => window.fakeCuff.subscribed")).ShouldBeTrue();
        (await patient.EvaluateAsync<int[]>("() => window.fakeCuff.requested.filters.map(f => f.services[0])"))
            .ShouldBe([0x1810, 0x1822, 0x1809, 0x181D, 0x1808]);

        // Blood Pressure Measurement: flags mmHg + pulse rate; 128/82 mmHg, mean arterial pressure 97, pulse 76.
        await patient.EvaluateAsync("() => window.fakeCuff.notify([0x04, 128, 0, 82, 0, 97, 0, 76, 0])");

        var line = "Blood pressure 128/82 mmHg · Pulse 76 /min — A&D UA-651BLE";
        await Assertions.Expect(doctor.Locator("#device-readings li")).ToContainTextAsync(line, new() { Timeout = 15_000 });
        await Assertions.Expect(patient.Locator("#device-readings li")).ToContainTextAsync(line);

        // Cut short after the systolic value: the page says what is wrong and sends nothing.
        await patient.EvaluateAsync("() => window.fakeCuff.notify([0x04, 0x07, 0x00])");
        await Assertions.Expect(patient.Locator("#device-status")).ToContainTextAsync("the Diastolic field needs bytes 3–4");
        // An implausible one goes to the server, which refuses it by the typed vitals' rules.
        await patient.EvaluateAsync("() => window.fakeCuff.notify([0x00, 0x2C, 0x01, 82, 0, 97, 0])");
        await Assertions.Expect(patient.Locator("#device-status")).ToContainTextAsync("not plausible");
        await Assertions.Expect(doctor.Locator("#device-readings li")).ToHaveCountAsync(1);
    }
}
