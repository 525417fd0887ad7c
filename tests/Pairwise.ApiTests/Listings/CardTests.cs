using Pairwise.Tests.Scenarios;

namespace Pairwise.Tests.Listings;

public sealed class CardTests
{
    [Theory]
    [OnEachEngine]
    public async Task AStartupProfileIsShownAsOneCardKeptInStepWithIt(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var founder = await app.SignUpAsync();
        var investor = await app.SignUpAsync();

        var profile = await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "PayLah",
            attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong", description = "Payments for hawkers." },
        }), HttpStatusCode.Created);
        var cardId = profile.GetProperty("cardId").GetString();
        Assert.NotNull(cardId);

        var card = await Expect.Json(await investor.Client.GetAsync($"/v1/listings/{cardId}"), HttpStatusCode.OK);
        Assert.True(card.GetProperty("isCard").GetBoolean());
        Assert.Equal("PayLah", card.GetProperty("title").GetString());
        Assert.Equal("Payments for hawkers.", card.GetProperty("description").GetString());

        var updated = await Expect.Json(await founder.Client.PutAsJsonAsync("/v1/markets/venture/profiles/startup", new
        {
            displayName = "PayLah Ltd",
            attributes = new { industry = "fintech", fundingStage = "series-a", location = "Hong Kong" },
        }), HttpStatusCode.OK);
        Assert.Equal(cardId, updated.GetProperty("cardId").GetString());
        card = await Expect.Json(await investor.Client.GetAsync($"/v1/listings/{cardId}"), HttpStatusCode.OK);
        Assert.Equal("PayLah Ltd", card.GetProperty("title").GetString());
        Assert.Equal("series-a", card.GetProperty("attributes").GetProperty("fundingStage").GetString());

        var browse = await Expect.Json(await investor.Client.GetAsync("/v1/markets/venture/listings?side=startup"), HttpStatusCode.OK);
        Assert.Equal([cardId], browse.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Theory]
    [OnEachEngine]
    public async Task ACardChangesOnlyThroughItsProfile(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var worker = await app.SignUpAsync();
        var profile = await Expect.Json(await worker.Client.PutAsJsonAsync("/v1/markets/gigs/profiles/worker",
            new { attributes = new { jobDescription = "Barista", status = "available" } }), HttpStatusCode.Created);
        var cardId = profile.GetProperty("cardId").GetString();

        await Expect.Problem(await worker.Client.PatchAsJsonAsync($"/v1/listings/{cardId}", new { title = "x" }), HttpStatusCode.Conflict);
        await Expect.Problem(await worker.Client.DeleteAsync($"/v1/listings/{cardId}"), HttpStatusCode.Conflict);
        await Expect.Problem(await worker.Client.PostAsJsonAsync("/v1/markets/gigs/listings", new { side = "worker", title = "x" }), HttpStatusCode.Conflict);

        await Expect.Status(await worker.Client.DeleteAsync("/v1/markets/gigs/profiles/worker/me"), HttpStatusCode.NoContent);
        await Expect.Problem(await worker.Client.GetAsync($"/v1/listings/{cardId}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEachEngine]
    public async Task AProfilePhotoIsAnImageOnTheCard(Engine engine)
    {
        using var app = new PairwiseApp(engine);
        var member = await app.SignUpAsync();
        var profile = await Expect.Json(await member.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor",
            new { attributes = new { industries = new[] { "ai" }, fundingStages = new[] { "seed" } } }), HttpStatusCode.Created);
        var cardId = profile.GetProperty("cardId").GetString();

        await Expect.Status(await member.Client.PostAsync($"/v1/listings/{cardId}/images", Marketplace.ImageForm("photo.jpg")), HttpStatusCode.Created);
        await Expect.Status(await member.Client.PutAsJsonAsync("/v1/markets/venture/profiles/investor",
            new { attributes = new { industries = new[] { "ai", "saas" }, fundingStages = new[] { "seed" } } }), HttpStatusCode.OK);

        var card = await Expect.Json(await member.Client.GetAsync($"/v1/listings/{cardId}"), HttpStatusCode.OK);
        Assert.Equal(1, card.GetProperty("images").GetArrayLength());
    }
}
