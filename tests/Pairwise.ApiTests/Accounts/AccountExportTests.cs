using System.IO.Compression;
using Pairwise.Tests.Scenarios;
using static Pairwise.Tests.Scenarios.Chat;

namespace Pairwise.Tests.Accounts;

public sealed class AccountExportTests
{
    [Theory]
    [OnEachEngine]
    public async Task TheExportHoldsWhatIsMineAndNothingPrivateOfAnyoneElse(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var pair = await MatchAsync(app);
        var founder = pair.Founder;
        await SendAsync(founder, pair.ConversationId, "Our numbers are attached.");
        await SendAsync(pair.Investor, pair.ConversationId, "My private reply, not yours to export.");
        await SendAsync(founder, pair.ConversationId, "Thanks!");
        await Expect.Status(await founder.Client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Lantern Shop" } }), HttpStatusCode.Created);
        var product = (await Marketplace.ProductAsync(founder, title: "Brass lantern")).GetProperty("id").GetString()!;
        await Expect.Status(await founder.Client.PostAsync($"/v1/listings/{product}/images", Marketplace.ImageForm("photo.png")), HttpStatusCode.Created);
        var seller = await Marketplace.SellerAsync(app);
        var lamp = (await Marketplace.ProductAsync(seller, title: "Desk lamp")).GetProperty("id").GetString()!;
        await Expect.Status(await founder.Client.PutAsync($"/v1/bookmarks/{lamp}", null), HttpStatusCode.Created);
        await Expect.Status(await founder.Client.PostAsJsonAsync($"/v1/users/{pair.Investor.UserId}/reviews", new { rating = "good", text = "Sharp questions.", contextId = pair.MatchId }), HttpStatusCode.Created);

        var started = await Expect.Json(await founder.Client.PostAsync("/v1/me/export", null), HttpStatusCode.Accepted);
        var exportId = started.GetProperty("exportId").GetString()!;
        HttpResponseMessage download;
        var waited = 0;
        while ((download = await founder.Client.GetAsync($"/v1/me/export/{exportId}")).StatusCode == HttpStatusCode.Accepted && waited++ < 200)
        {
            await Task.Delay(50);
        }

        await Expect.Status(download, HttpStatusCode.OK);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await download.Content.ReadAsStreamAsync());
        var data = JsonDocument.Parse(zip.GetEntry("data.json")!.Open()).RootElement;
        Assert.Equal(founder.Email, data.GetProperty("account").GetProperty("email").GetString());
        Assert.Equal(2, data.GetProperty("profiles").GetArrayLength());
        Assert.Contains(data.GetProperty("listings").EnumerateArray(), l => l.GetProperty("title").GetString() == "Brass lantern");
        Assert.Contains(data.GetProperty("bookmarks").EnumerateArray(), b => b.GetProperty("listingId").GetString() == lamp);
        Assert.Equal(["Our numbers are attached.", "Thanks!"], data.GetProperty("messagesSent").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).Order().ToList());
        Assert.Equal("Sharp questions.", Assert.Single(data.GetProperty("reviewsGiven").EnumerateArray()).GetProperty("text").GetString());
        Assert.Contains(zip.Entries, e => e.FullName.StartsWith("images/", StringComparison.Ordinal));
        var everything = data.GetRawText();
        Assert.DoesNotContain("My private reply", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(pair.Investor.Email, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("passwordHash", everything, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await app.MailsToAsync(founder.Email), m => m.Contains("export is ready", StringComparison.Ordinal));
        // Nobody else can fetch it.
        await Expect.Problem(await pair.Investor.Client.GetAsync($"/v1/me/export/{exportId}"), HttpStatusCode.NotFound);
    }
}
