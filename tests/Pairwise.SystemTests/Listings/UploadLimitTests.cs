using static Pairwise.Tests.Scenarios.Marketplace;

namespace Pairwise.Tests.Listings;

/// <summary>Upload limits need the real server: the in-memory test host does not enforce Kestrel's body limits.</summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class UploadLimitTests
{
    [Fact]
    public async Task AThirtyMegabyteUploadIsRefusedAndTheServerKeepsServing()
    {
        var data = TempFolder.Create("upload");
        await using var server = await ServerProcess.StartAsync(data);
        var client = server.Client;
        var signup = await Expect.Json(await client.PostAsJsonAsync("/v1/auth/signup", new { email = "big@example.com", password = "upload passphrase", displayName = "Big" }), HttpStatusCode.Created);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", signup.GetProperty("accessToken").GetString());
        await Expect.Status(await client.PutAsJsonAsync("/v1/markets/marketplace/profiles/seller", new { attributes = new { shopName = "Big" } }), HttpStatusCode.Created);
        var listing = await Expect.Json(await client.PostAsJsonAsync("/v1/markets/marketplace/listings",
            new { title = "Huge", attributes = new { condition = "new" } }), HttpStatusCode.Created);
        var id = listing.GetProperty("id").GetString();
        var huge = new byte[30 * 1024 * 1024];
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "photo.png")).CopyTo(huge, 0);

        HttpStatusCode? status = null;
        try
        {
            var response = await client.PostAsync($"/v1/listings/{id}/images", ImageForm(huge, "huge.png"));
            status = response.StatusCode;
            await Expect.Problem(response, HttpStatusCode.RequestEntityTooLarge);
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still sending the rest of the body.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"got {status}");
        await Expect.Status(await client.GetAsync("/health/ready"), HttpStatusCode.OK);
        await Expect.Status(await client.PostAsync($"/v1/listings/{id}/images", ImageForm("photo.png")), HttpStatusCode.Created);
        TempFolder.Delete(data);
    }
}
