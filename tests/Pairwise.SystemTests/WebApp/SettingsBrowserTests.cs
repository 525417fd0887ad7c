using Microsoft.Playwright;

namespace Pairwise.Tests.WebApp;

/// <summary>The Settings screen in Chromium against the real binary: what it saves is what the API then says.</summary>
[Trait("Category", "BinaryProcess")]
public sealed class SettingsBrowserTests
{
    private readonly List<string> _pageErrors = [];

    [Fact]
    public async Task TheDigestAndNotificationChoicesMadeOnScreenAreKept()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-settings"));
        var user = await Scenarios.Chat.SignUpAsync(new HttpClient { BaseAddress = server.Address }, "Sia Settings");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var page = await Browsers.SignedInAsync(browser, server, user, phone: true, _pageErrors);
        await page.GotoAsync("/#/account");
        await page.GetByTestId("settings-link").ClickAsync();

        // The daily digest at 07:30 in Tokyo.
        await page.GetByTestId("digest-zone").SelectOptionAsync("Asia/Tokyo");
        await page.GetByTestId("digest-time").FillAsync("07:30");
        await page.GetByTestId("digest-enabled").CheckAsync();
        await Assertions.Expect(page.GetByTestId("digest-next")).ToContainTextAsync("Next one", new() { Timeout = 15_000 });
        var digest = await Expect.Json(await user.Client.GetAsync("/v1/me/digest"), HttpStatusCode.OK);
        Assert.True(digest.GetProperty("enabled").GetBoolean());
        Assert.Equal("07:30", digest.GetProperty("localTime").GetString());
        Assert.Equal("Asia/Tokyo", digest.GetProperty("timeZone").GetString());

        // New messages by e-mail too; no pushes about matches.
        var email = page.GetByTestId("pref-message-email");
        var push = page.GetByTestId("pref-match-push");
        var before = await Expect.Json(await user.Client.GetAsync("/v1/me/notification-preferences"), HttpStatusCode.OK);
        Assert.False(before.GetProperty("types").GetProperty("message").GetProperty("email").GetBoolean());
        await email.CheckAsync();
        await push.UncheckAsync();
        await Assertions.Expect(page.GetByText("Saved.").First).ToBeVisibleAsync();
        var after = await Eventually(async () => await Expect.Json(await user.Client.GetAsync("/v1/me/notification-preferences"), HttpStatusCode.OK),
            p => !p.GetProperty("types").GetProperty("match").GetProperty("push").GetBoolean());
        Assert.True(after.GetProperty("types").GetProperty("message").GetProperty("email").GetBoolean());
        Assert.False(after.GetProperty("types").GetProperty("match").GetProperty("push").GetBoolean());

        // A reload shows what was saved.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("pref-message-email")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("pref-match-push")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("digest-time")).ToHaveValueAsync("07:30");
        await BrowserTests.ShotAsync(page, "settings-phone");
        Assert.Empty(_pageErrors);
    }

    private static async Task<JsonElement> Eventually(Func<Task<JsonElement>> read, Func<JsonElement, bool> holds)
    {
        for (var attempt = 0; ; attempt++)
        {
            var value = await read();
            if (holds(value) || attempt == 40)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }
}
