using Microsoft.Extensions.DependencyInjection;
using Pairwise.Digests;
using Pairwise.Scheduling;
using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Digests;

// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class DigestTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");

    [Fact]
    public void EightOClockFollowsEachZonesDaylightSaving()
    {
        var eight = new TimeOnly(8, 0);
        // New York springs forward on 14 March 2027: 08:00 is 13:00 UTC before, 12:00 UTC after.
        Assert.Equal(Utc(2027, 3, 13, 13), LocalSchedule.NextAfter(Utc(2027, 3, 13, 0), eight, NewYork));
        Assert.Equal(Utc(2027, 3, 14, 12), LocalSchedule.NextAfter(Utc(2027, 3, 13, 14), eight, NewYork));
        // 02:30 does not exist that night; it happens as 03:30 EDT.
        Assert.Equal(Utc(2027, 3, 14, 7).AddMinutes(30), LocalSchedule.NextAfter(Utc(2027, 3, 14, 0), new TimeOnly(2, 30), NewYork));
        // Auckland falls back on 4 April 2027: 02:30 happens twice; the first one counts.
        Assert.Equal(new DateTimeOffset(2027, 4, 4, 2, 30, 0, TimeSpan.FromHours(13)), LocalSchedule.NextAfter(Utc(2027, 4, 3, 0), new TimeOnly(2, 30), Auckland));
    }

    [Fact]
    public async Task DigestsArriveOverSmtpAtEightLocalOncePerDayInThreeZonesAcrossDaylightSaving()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var settings = smtp.Settings();
        settings["Pairwise:Tokens:AccessTokenLifetime"] = "30.00:00:00";
        using var app = new PairwiseApp(Engine.Sqlite, settings);
        app.Clock.SetUtcNow(Utc(2027, 3, 12, 0));
        var founder = await SignUpAsync(app.CreateClient(), "Mei Founder");
        await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", description = "Payments for night markets." },
        }), HttpStatusCode.Created);
        var zones = new Dictionary<string, string> { ["Asia/Hong_Kong"] = "", ["America/New_York"] = "", ["Pacific/Auckland"] = "" };
        foreach (var zone in zones.Keys.ToList())
        {
            var investor = await VerifiedAsync(app, smtp, zone.Split('/')[1]);
            await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", new
            {
                displayName = $"{zone} Capital",
                attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" } },
                preferences = new { industries = new[] { "fintech" } },
            }), HttpStatusCode.Created);
            var digest = await Expect.Json(await investor.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = "08:00", timeZone = zone }), HttpStatusCode.OK);
            Assert.Equal(zone, digest.GetProperty("timeZone").GetString());
            zones[zone] = investor.Email;
        }
        // A buyer in an empty marketplace has nothing to be recommended: no mail at all.
        var buyer = await VerifiedAsync(app, smtp, "Bea");
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/buyer", new { displayName = "Bea" }), HttpStatusCode.Created);
        await Expect.Status(await buyer.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = "08:00", timeZone = "Asia/Hong_Kong" }), HttpStatusCode.OK);
        await Pairwise.Tests.Scenarios.Venture.SettleAsync(app);
        var scheduler = app.Services.GetRequiredService<Scheduler>();
        var before = smtp.Accepted.Count;

        // Four days, hour by hour; every hour the scheduler runs twice, as two nodes would.
        var arrivals = new List<(string To, DateTimeOffset At, string Raw)>();
        for (var hour = 1; hour <= 96; hour++)
        {
            app.Clock.Advance(TimeSpan.FromHours(1));
            await scheduler.RunDueAsync(CancellationToken.None);
            await scheduler.RunDueAsync(CancellationToken.None);
            await app.DrainMailAsync();
            await Task.Delay(50);
            foreach (var mail in smtp.Accepted.Skip(before + arrivals.Count))
            {
                arrivals.Add((mail.GetProperty("to").GetString()!, app.Clock.GetUtcNow(), mail.GetProperty("raw").GetString()!));
            }
        }

        List<DateTimeOffset> At(string email) => [.. arrivals.Where(a => a.To.Contains(email, StringComparison.OrdinalIgnoreCase)).Select(a => a.At)];
        Assert.Equal([Utc(2027, 3, 13, 0), Utc(2027, 3, 14, 0), Utc(2027, 3, 15, 0), Utc(2027, 3, 16, 0)], At(zones["Asia/Hong_Kong"]));
        Assert.Equal([Utc(2027, 3, 12, 13), Utc(2027, 3, 13, 13), Utc(2027, 3, 14, 12), Utc(2027, 3, 15, 12)], At(zones["America/New_York"]));
        Assert.Equal([Utc(2027, 3, 12, 19), Utc(2027, 3, 13, 19), Utc(2027, 3, 14, 19), Utc(2027, 3, 15, 19)], At(zones["Pacific/Auckland"]));
        Assert.Empty(At(buyer.Email));
        Assert.All(arrivals, a => Assert.Contains("Lantern Pay", a.Raw));
        Assert.All(arrivals, a => Assert.Contains("recommendations for today", a.Raw));
    }

    [Fact]
    public async Task MovingTheTimeLaterOnTheSameDaySendsNoSecondDigestAndKeepsTheNextDays()
    {
        using var app = new PairwiseApp(Engine.Sqlite, new() { ["Pairwise:Tokens:AccessTokenLifetime"] = "30.00:00:00" });
        app.Clock.SetUtcNow(Utc(2027, 3, 1, 0));
        await Pairwise.Tests.Scenarios.Venture.StartupAsync(app, "Lantern Pay", "fintech", "seed", "Hong Kong");
        var investor = await app.SignUpAsync();
        await Expect.Status(await investor.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = app.LatestEmailCode(investor.Email) }), HttpStatusCode.OK);
        await Pairwise.Tests.Scenarios.Venture.InvestorAsync(app, user: investor);
        await Pairwise.Tests.Scenarios.Venture.SettleAsync(app);
        await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = "08:00", timeZone = "UTC" }), HttpStatusCode.OK);
        var scheduler = app.Services.GetRequiredService<Scheduler>();
        async Task<int> DigestsAsync() => (await app.MailsToAsync(investor.Email)).Count(m => m.Contains("recommendations for today", StringComparison.Ordinal));

        app.Clock.SetUtcNow(Utc(2027, 3, 1, 8));
        await scheduler.RunDueAsync(CancellationToken.None);
        await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = "09:00", timeZone = "UTC" }), HttpStatusCode.OK);
        app.Clock.SetUtcNow(Utc(2027, 3, 1, 9));
        await scheduler.RunDueAsync(CancellationToken.None);
        var sameDay = await DigestsAsync();
        app.Clock.SetUtcNow(Utc(2027, 3, 2, 9));
        await scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(1, sameDay);
        Assert.Equal(2, await DigestsAsync());
        var settings = await Expect.Json(await investor.Client.GetAsync("/v1/me/digest"), HttpStatusCode.OK);
        Assert.Equal(Utc(2027, 3, 3, 9), settings.GetProperty("nextAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task RecommendationsNowAreMailedAtOnceToAVerifiedAddress()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var settings = smtp.Settings();
        settings["Pairwise:PublicUrl"] = "https://pairwise.example.com/";
        using var app = new PairwiseApp(Engine.Sqlite, settings);
        var (founder, card) = await Pairwise.Tests.Scenarios.Venture.StartupAsync(app, "Lantern Pay", "fintech", "seed", "Hong Kong");
        await Expect.Status(await founder.Client.PostAsync($"/v1/listings/{card}/images", Pairwise.Tests.Scenarios.Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Created);
        var unverified = await app.SignUpAsync();
        var investor = await VerifiedAsync(app, smtp, "Ian");
        await Pairwise.Tests.Scenarios.Venture.InvestorAsync(app, user: investor);
        await Pairwise.Tests.Scenarios.Venture.SettleAsync(app);

        var sent = await Expect.Json(await investor.Client.PostAsync("/v1/me/digest/send-now", null), HttpStatusCode.OK);
        await Expect.Problem(await unverified.Client.PostAsync("/v1/me/digest/send-now", null), HttpStatusCode.Conflict);
        await app.DrainMailAsync();

        Assert.True(sent.GetProperty("sent").GetBoolean());
        var raw = smtp.AcceptedFor(investor.Email)[^1].GetProperty("raw").GetString()!;
        Assert.Contains("Lantern Pay", raw);
        // The digest shows each recommendation's photo, from the public address (mail clients fetch it).
        using var mime = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw));
        var html = (await MimeKit.MimeMessage.LoadAsync(mime)).HtmlBody ?? "";
        var photo = System.Text.RegularExpressions.Regex.Match(html, "<img src=\"(https://pairwise\\.example\\.com/v1/images/[^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("https://pairwise.example.com/v1/images/img_", photo);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync(new Uri(photo).PathAndQuery)).StatusCode);
        var bad = await Expect.Problem(await investor.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = "25:00", timeZone = "Mars/Olympus" }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("localTime", out _));
    }

    [Fact]
    public async Task TwoServerProcessesOnOneStoreSendEachDigestOnce()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var data = TempFolder.Create("two-nodes");
        var settings = smtp.Settings("__").ToDictionary(s => s.Key, s => s.Value!);
        settings["Pairwise__Jobs__digests__Schedule"] = "*/2 * * * * *";
        await using var a = await ServerProcess.StartAsync(data, settings);
        var founder = await SignUpAsync(new HttpClient { BaseAddress = a.Address }, "Mei Founder");
        await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "Lantern Pay",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong" },
        }), HttpStatusCode.Created);
        var investors = new List<UserSession>();
        for (var i = 0; i < 3; i++)
        {
            var investor = await SignUpAsync(new HttpClient { BaseAddress = a.Address }, $"Investor{i}");
            await Expect.Status(await investor.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = await smtp.VerificationCodeAsync(investor.Email) }), HttpStatusCode.OK);
            await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor", new
            {
                attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" } },
            }), HttpStatusCode.Created);
            investors.Add(investor);
        }
        // The second node starts on the same store and loads the same cards (cross-node change fan-out is Redis's job).
        await using var b = await ServerProcess.StartAsync(data, settings);
        // Due at the next whole minute (UTC) at least 15 s away, while both nodes run the job every 2 s.
        var now = DateTimeOffset.UtcNow.AddSeconds(15);
        var due = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        foreach (var investor in investors)
        {
            await Expect.Status(await investor.Client.PutAsJsonAsync("/v1/me/digest", new { enabled = true, localTime = due.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC" }), HttpStatusCode.OK);
        }

        foreach (var investor in investors)
        {
            await smtp.WaitForMailAsync(investor.Email, "recommendations for today", TimeSpan.FromSeconds(150));
        }
        await Task.Delay(TimeSpan.FromSeconds(8));

        Assert.All(investors, i => Assert.Single(smtp.AcceptedFor(i.Email), m => m.GetProperty("subject").GetString()!.Contains("recommendations", StringComparison.Ordinal)));
        TempFolder.Delete(data);
    }

    private static async Task<UserSession> VerifiedAsync(PairwiseApp app, SmtpSink smtp, string name)
    {
        var user = await SignUpAsync(app.CreateClient(), name);
        await Expect.Status(await user.Client.PostAsJsonAsync("/v1/auth/email/verify", new { code = await smtp.VerificationCodeAsync(user.Email) }), HttpStatusCode.OK);
        return user;
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);
}
