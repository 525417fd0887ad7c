using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace Pairwise.Benchmarks;

/// <summary>
/// The web app's first load of the deck in headless Chromium (bench/webapp-first-load.sh): a
/// signed-in person opens <c>/#/deck</c> in a fresh browser context (empty HTTP cache) and we
/// time navigation start → the first card on screen. Baseline, in the same run and browser: the
/// same cold navigation to <c>/health/live</c> (one tiny response: the floor of any page load).
/// </summary>
public static class FirstLoad
{
    public static async Task RunAsync(Uri server, string email, string password, int runs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/lib/chromium/chromium",
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

        // Sign in once through the log-in form; each measured run starts from that saved session.
        var signIn = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ToString() });
        var page = await signIn.NewPageAsync();
        await page.GotoAsync("/#/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.GetByTestId("deck-card").WaitForAsync();
        var session = await signIn.StorageStateAsync();
        await signIn.CloseAsync();

        var deck = new List<double>();
        var floor = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            floor.Add(await ColdAsync(browser, server, session, "/health/live", null));
            deck.Add(await ColdAsync(browser, server, session, "/#/deck", "deck-card"));
        }
        Console.WriteLine("| page (cold, new browser context) | runs | median ms | p90 ms | ratio to floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(Row("GET /health/live (floor)", floor, Median(floor)));
        Console.WriteLine(Row("/#/deck until the first card shows", deck, Median(floor)));
    }

    private static async Task<double> ColdAsync(IBrowser browser, Uri server, string session, string path, string? waitFor)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ToString(), StorageState = session });
        var page = await context.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        if (waitFor is not null)
        {
            await page.GetByTestId(waitFor).First.WaitForAsync();
        }
        else
        {
            await page.WaitForLoadStateAsync(LoadState.Load);
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => Percentile(values, 50);

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * p / 100.0) - 1)];
    }

    private static string Row(string name, List<double> values, double floor) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {values.Count} | {Median(values):F0} | {Percentile(values, 90):F0} | {Median(values) / floor:F1}× |");
}
