using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Queue;

/// <summary>The waiting-room display: anonymous, token numbers only, updated live as the doctor calls.</summary>
[Collection(OneAtATime.Name)]
public class BoardTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Facility = "0193a000-0000-7000-8000-000000000001";

    [Fact]
    public async Task The_board_shows_the_called_token_live_and_no_names()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var board = await fixture.NewPage();
        await board.GotoAsync($"/board.html?facility={Facility}");
        await Assertions.Expect(board.Locator($"section[data-session='{sessionId}'] .next .tokens")).ToHaveTextAsync("No one waiting");

        var patient = await fixture.PatientToken("+919876543210");
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient, new { complaint = "Fever" });
        await Assertions.Expect(board.Locator($"section[data-session='{sessionId}'] .next .tokens")).ToHaveTextAsync("1");

        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", await fixture.SignIn("asha.verma@telemed.local"));

        await Assertions.Expect(board.Locator($"section[data-session='{sessionId}'] .serving .tokens")).ToHaveTextAsync("1");
        var text = await board.TextContentAsync("#board");
        text.ShouldNotContain("Priya");
        text.ShouldNotContain("Fever");
    }
}
