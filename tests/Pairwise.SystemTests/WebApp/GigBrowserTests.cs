using Microsoft.Playwright;

namespace Pairwise.Tests.WebApp;

/// <summary>
/// A shift from posting to ratings in Chromium against the real binary: an employer (desktop) posts
/// a job with its date and venue; a worker (phone) sees it, responds and watches the countdown; the
/// employer confirms the pick, both pages follow live; the job is completed and both rate each other.
/// </summary>
[Trait("Category", "BinaryProcess")]
public sealed class GigBrowserTests
{
    private readonly List<string> _pageErrors = [];

    [Fact]
    public async Task AShiftGoesFromPostingToBothRatingsInTheApp()
    {
        await using var server = await ServerProcess.StartAsync(TempFolder.Create("browser-gig"));
        HttpClient NewClient() => new() { BaseAddress = server.Address };
        var employer = await Scenarios.Chat.SignUpAsync(NewClient(), "Ella Employer");
        await Expect.Status(await employer.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/employer", new { displayName = "Harbour Noodle House", attributes = new { companyName = "Harbour Noodle House" } }), HttpStatusCode.Created);
        var worker = await Scenarios.Chat.SignUpAsync(NewClient(), "Wing Worker");
        await Expect.Status(await worker.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker", new
        {
            displayName = "Wing",
            attributes = new { jobDescription = "Waiter with evening shift experience, table service and taking orders", preferredDistricts = new[] { "Central" }, hourlyRateRange = new { min = 70, max = 150 }, status = "available" },
        }), HttpStatusCode.Created);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchAsync(playwright);
        var boss = await Browsers.SignedInAsync(browser, server, employer, phone: false, _pageErrors);
        var staff = await Browsers.SignedInAsync(browser, server, worker, phone: true, _pageErrors);

        // The job form shows the job's own fields (no price, tags or map point) and takes a date and a venue.
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await boss.GotoAsync("/#/listings/new");
        await boss.GetByTestId("listing-title").FillAsync("Waiter for dinner service");
        await boss.GetByTestId("listing-description").FillAsync("Table service and taking orders for the dinner shift.");
        await Assertions.Expect(boss.GetByTestId("listing-price")).ToHaveCountAsync(0);
        await Assertions.Expect(boss.GetByTestId("listing-tags")).ToHaveCountAsync(0);
        await Field(boss, "date").Locator("input").FillAsync(tomorrow);
        await Field(boss, "venue").Locator("textarea").FillAsync("Harbour Noodle House");
        await Field(boss, "district").Locator("select").SelectOptionAsync("Central");
        await Field(boss, "address").Locator("textarea").FillAsync("12 Queen's Road Central");
        await Field(boss, "hourlyRate").Locator("input").FillAsync("100");
        await Field(boss, "durationHours").Locator("input").FillAsync("4");
        await Field(boss, "startTime").Locator("input").FillAsync("18:00");
        await Field(boss, "endTime").Locator("input").FillAsync("22:00");
        await boss.GetByTestId("listing-save").ClickAsync();
        await Assertions.Expect(boss.GetByTestId("responses")).ToBeVisibleAsync();

        // The worker's deck shows when, where and the whole pay; responding starts the countdown on My shifts.
        await BrowserTests.ExpectCardAsync(staff, "Waiter for dinner service");
        var card = staff.GetByTestId("deck-card");
        await Assertions.Expect(card).ToContainTextAsync("Harbour Noodle House");
        await Assertions.Expect(card).ToContainTextAsync("12 Queen's Road Central");
        await Assertions.Expect(card.Locator(".card-meta")).ToContainTextAsync("400");
        await staff.GetByTestId("swipe-like").ClickAsync();
        // The response is confirmed by a notice; its button leads to My shifts (going there before the
        // answer came would show a list without it).
        await staff.GetByRole(AriaRole.Status).GetByRole(AriaRole.Button, new() { Name = "My shifts" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("shift-status")).ToHaveTextAsync("You responded");
        await Assertions.Expect(staff.GetByTestId("countdown")).ToContainTextAsync("The employer picks in");

        // The response reaches the employer's page live; Select asks first; both pages follow.
        var response = boss.GetByTestId("response-item");
        await Assertions.Expect(response).ToContainTextAsync("Wing");
        await Assertions.Expect(boss.GetByTestId("countdown")).ToContainTextAsync("Responses close in");
        await boss.GetByTestId("response-select").ClickAsync();
        await boss.GetByRole(AriaRole.Button, new() { Name = "Select Wing" }).ClickAsync();
        await Assertions.Expect(boss.GetByTestId("match-dialog")).ToBeVisibleAsync();
        await boss.Keyboard.PressAsync("Escape");
        await Assertions.Expect(boss.GetByTestId("response-status")).ToHaveTextAsync("Selected");
        await Assertions.Expect(staff.GetByTestId("shift-status")).ToHaveTextAsync("You got the shift");
        await Assertions.Expect(staff.GetByTestId("match-dialog")).ToBeVisibleAsync();
        await staff.Keyboard.PressAsync("Escape");

        // Done: the employer completes the job and rates; the worker rates back from My shifts.
        await boss.GetByTestId("job-complete").ClickAsync();
        await boss.GetByTestId("rate-worker").ClickAsync();
        await boss.GetByTestId("review-text").FillAsync("Calm and quick with guests.");
        await boss.GetByTestId("review-send").ClickAsync();
        await Assertions.Expect(boss.GetByTestId("review-dialog")).ToBeHiddenAsync();
        // The worker is told, and the notification leads to the rating.
        await staff.GotoAsync("/#/deck");
        await staff.GetByTestId("bell").ClickAsync();
        await staff.GetByTestId("notification-item").Filter(new() { HasText = "Rate your employer" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("shift-status")).ToHaveTextAsync("Done");
        await staff.GetByTestId("rate-employer").ClickAsync();
        await staff.GetByTestId("review-send").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("review-dialog")).ToBeHiddenAsync();
        await BrowserTests.ShotAsync(staff, "shifts-phone");

        var ofWorker = await Expect.Json(await employer.Client.GetAsync($"/v1/users/{worker.UserId}/reviews"), HttpStatusCode.OK);
        Assert.Equal("Calm and quick with guests.", Assert.Single(ofWorker.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());
        var ofEmployer = await Expect.Json(await worker.Client.GetAsync($"/v1/users/{employer.UserId}/reviews"), HttpStatusCode.OK);
        Assert.Equal("good", Assert.Single(ofEmployer.GetProperty("items").EnumerateArray()).GetProperty("rating").GetString());
        Assert.Empty(_pageErrors);
    }

    private static ILocator Field(IPage page, string name) => page.GetByTestId($"field-attributes-{name}");
}
