using Microsoft.Playwright;

namespace Pairwise.Tests.WebApp;

/// <summary>What the browser tests share: the installed Chromium, and a window that records every page error and CSP violation.</summary>
internal static class Browsers
{
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/lib/chromium/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    /// <summary>A new window on the server at <paramref name="size"/> (touch at phone width); its script errors and CSP violations go to <paramref name="errors"/>.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, ServerProcess server, ViewportSize size, bool touch, List<string> errors)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.Address.ToString(), ViewportSize = size, HasTouch = touch });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => errors.Add(error);
        // The app runs under a strict content security policy: anything it blocks is a failure here.
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`))");
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal)))
            {
                errors.Add(message.Text);
            }
        };
        return page;
    }

    /// <summary>A window already signed in as <paramref name="user"/> (the tokens the app keeps), at phone or desktop size.</summary>
    public static async Task<IPage> SignedInAsync(IBrowser browser, ServerProcess server, UserSession user, bool phone, List<string> errors)
    {
        var size = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 800 };
        var page = await NewPageAsync(browser, server, size, phone, errors);
        await page.GotoAsync("/");
        await page.EvaluateAsync("t => localStorage.setItem('pairwise.tokens', JSON.stringify(t))",
            new { userId = user.UserId, accessToken = Scenarios.Chat.Token(user), refreshToken = user.RefreshToken });
        await page.ReloadAsync();
        return page;
    }
}
