using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;

namespace Pairwise.Tests.Cli;

/// <summary>The `pairwise` operator commands, run as an operator runs them: the real binary, a data folder.</summary>
// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class CliTests
{
    [Fact]
    public async Task SeedScoreAndExportWriteDataThatDuckDbReadsAndSeededUsersCanUse()
    {
        var data = TempFolder.Create("cli");
        var export = Path.Combine(data, "export");

        var seeded = await ServerProcess.RunCommandAsync(data, "seed", "--market", "marketplace", "--profiles", "200", "--listings", "1000");
        var venture = await ServerProcess.RunCommandAsync(data, "seed", "--market", "venture", "--profiles", "100", "--listings", "50");
        var scored = await ServerProcess.RunCommandAsync(data, "score", "--market", "venture");
        var investorsOnly = await ServerProcess.RunCommandAsync(data, "score", "--market", "venture", "--side", "investor");
        var noSuchSide = await ServerProcess.RunCommandAsync(data, "score", "--market", "venture", "--side", "nobody");
        var exported = await ServerProcess.RunCommandAsync(data, "export", "--market", "marketplace", "--out", export);

        Assert.True(seeded.Exit == 0, seeded.Error);
        Assert.Contains("100 buyer, 100 seller profiles, 0 cards, 1000 listings", seeded.Output);
        Assert.Contains("--listings ignored", venture.Output);
        Assert.True(scored.Exit == 0, scored.Error);
        Assert.Contains("scored 100 profiles in venture", scored.Output);
        var investors = System.Text.RegularExpressions.Regex.Match(venture.Output, @"(\d+) investor profiles").Groups[1].Value;
        Assert.True(investorsOnly.Exit == 0, investorsOnly.Error);
        Assert.Contains($"scored {investors} profiles in venture", investorsOnly.Output);
        Assert.NotEqual("100", investors);
        Assert.NotEqual(0, noSuchSide.Exit);
        Assert.Contains("no side 'nobody'", noSuchSide.Error);
        Assert.True(exported.Exit == 0, exported.Error);
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"SELECT count(*), count(DISTINCT OwnerProfileId), min(Price) > 0 FROM '{Path.Combine(export, "listings.parquet")}'";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(1000L, reader.GetInt64(0));
            Assert.Equal(100L, reader.GetInt64(1));
            Assert.True(reader.GetBoolean(2));
            command.CommandText = $"SELECT Side, count(*) FROM '{Path.Combine(export, "profiles.parquet")}' GROUP BY Side ORDER BY Side";
            using var sides = command.ExecuteReader();
            Assert.True(sides.Read());
            Assert.Equal(("buyer", 100L), (sides.GetString(0), sides.GetInt64(1)));
        }
        Assert.StartsWith("Id,Side,OwnerProfileId", File.ReadLines(Path.Combine(export, "listings.csv")).First());

        // A seeded user logs in with the demo password and browses real listings.
        var email = System.Text.RegularExpressions.Regex.Match(seeded.Output, @"e\.g\. (\S+@demo\.pairwise\.local)").Groups[1].Value;
        using var app = new PairwiseApp(Engine.Sqlite, dataDirectory: data);
        var client = app.CreateClient();
        var login = await Expect.Json(await client.PostAsJsonAsync("/v1/auth/login", new { email, password = "pairwise demo" }), HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());
        var browse = await Expect.Json(await client.GetAsync("/v1/markets/marketplace/listings?near=22.35,114.1&radiusKm=10"), HttpStatusCode.OK);
        Assert.NotEmpty(browse.GetProperty("items").EnumerateArray());
        TempFolder.Delete(data);
    }

    [Fact]
    public async Task ABackupTakenDuringWritesIsConsistentAndRestores()
    {
        var data = TempFolder.Create("backup");
        var restored = TempFolder.Create("restored");
        var file = Path.Combine(data, "backup.db");
        await using var server = await ServerProcess.StartAsync(data);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var email = $"w-{Guid.NewGuid():N}@example.com";
                var response = await server.Client.PostAsJsonAsync("/v1/auth/signup", new { email, password = "a sturdy passphrase", displayName = "Writer" });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(email);
                }
            }
        })).ToList();
        while (acknowledged.Count < 10)
        {
            await Task.Delay(50);
        }
        var before = acknowledged.ToList();

        var backup = await ServerProcess.RunCommandAsync(data, "backup", "--out", file);
        stop.Cancel();
        await Task.WhenAll(writers);

        Assert.True(backup.Exit == 0, backup.Error);
        // One instant: every e-mail claim has its user and every user its claim (they are written together).
        using (var copy = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False"))
        {
            copy.Open();
            using var command = copy.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", command.ExecuteScalar());
            command.CommandText = "SELECT (SELECT count(*) FROM items WHERE pk LIKE 'EMAIL#%'), (SELECT count(*) FROM items WHERE sk = 'USER')";
            using var counts = command.ExecuteReader();
            Assert.True(counts.Read());
            Assert.Equal(counts.GetInt64(0), counts.GetInt64(1));
            Assert.True(counts.GetInt64(1) >= before.Count);
        }
        var restore = await ServerProcess.RunCommandAsync(restored, "restore", file);
        Assert.True(restore.Exit == 0, restore.Error);
        using var app = new PairwiseApp(Engine.Sqlite, dataDirectory: restored);
        foreach (var email in before)
        {
            await Expect.Status(await app.CreateClient().PostAsJsonAsync("/v1/auth/login", new { email, password = "a sturdy passphrase" }), HttpStatusCode.OK);
        }
        TempFolder.Delete(restored);
    }

    [Fact]
    public async Task ADisabledAccountCannotLogInUntilEnabled()
    {
        var data = TempFolder.Create("users");
        string refreshToken;
        using (var app = new PairwiseApp(Engine.Sqlite, dataDirectory: data))
        {
            refreshToken = (await app.SignUpAsync("kai@example.com")).RefreshToken;
        }
        async Task<HttpStatusCode> LogInAsync()
        {
            using var app = new PairwiseApp(Engine.Sqlite, dataDirectory: data);
            return (await app.CreateClient().PostAsJsonAsync("/v1/auth/login", new { email = "kai@example.com", password = "a sturdy passphrase" })).StatusCode;
        }

        var disabled = await ServerProcess.RunCommandAsync(data, "users", "disable", "Kai@Example.com");
        Assert.True(disabled.Exit == 0, disabled.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, await LogInAsync());
        using (var app = new PairwiseApp(Engine.Sqlite, dataDirectory: data))
        {
            await Expect.Problem(await app.CreateClient().PostAsJsonAsync("/v1/auth/refresh", new { refreshToken }), HttpStatusCode.Unauthorized);
        }
        var enabled = await ServerProcess.RunCommandAsync(data, "users", "enable", "kai@example.com");
        Assert.True(enabled.Exit == 0, enabled.Error);
        Assert.Equal(HttpStatusCode.OK, await LogInAsync());
        TempFolder.Delete(data);
    }

    [Fact]
    public async Task AnOperatorApprovesAShopFromTheCommandLine()
    {
        var data = TempFolder.Create("shops");
        string profileId, email;
        using (var app = new PairwiseApp(Engine.Sqlite, dataDirectory: data))
        {
            var seller = await Scenarios.Marketplace.SellerAsync(app);
            profileId = (await Expect.Json(await seller.Client.GetAsync("/v1/markets/marketplace/profiles/seller/me"), HttpStatusCode.OK)).GetProperty("id").GetString()!;
            var form = Scenarios.Photos.Form(Scenarios.Photos.JpegWithGps(600, 400), "certificate.jpg");
            form.Add(new StringContent("CR 7654321"), "registrationNumber");
            await Expect.Status(await seller.Client.PostAsync("/v1/me/shop-verification", form), HttpStatusCode.Created);
            email = seller.Email;
        }
        var nobody = await ServerProcess.RunCommandAsync(data, "shops", "approve", "nobody@example.com");
        Assert.Equal(1, nobody.Exit);
        var approved = await ServerProcess.RunCommandAsync(data, "shops", "approve", email);
        Assert.True(approved.Exit == 0, approved.Error);
        Assert.StartsWith("approved", approved.Output);
        using (var app = new PairwiseApp(Engine.Sqlite, dataDirectory: data))
        {
            var viewer = await app.SignUpAsync();
            Assert.True((await Expect.Json(await viewer.Client.GetAsync($"/v1/profiles/{profileId}"), HttpStatusCode.OK)).GetProperty("trust").GetProperty("verifiedShop").GetBoolean());
        }
        var again = await ServerProcess.RunCommandAsync(data, "shops", "reject", email);
        Assert.Equal(1, again.Exit); // nothing pending any more
        TempFolder.Delete(data);
    }

    [Theory]
    [InlineData(1, "seed", "--market", "nope")]
    [InlineData(2, "seed")]
    [InlineData(2, "export", "--market", "venture")]
    [InlineData(1, "restore", "/no/such/backup.db")]
    [InlineData(1, "users", "disable", "nobody@example.com")]
    [InlineData(1, "seed", "--market", "venture", "--profiles", "-5")]
    [InlineData(1, "evaluate", "--market", "nope")]
    [InlineData(1, "evaluate", "--market", "venture", "--split", "2")]
    public async Task AWrongCommandSaysWhatIsWrongOnOneLine(int exit, params string[] arguments)
    {
        var data = TempFolder.Create("cli-errors");
        var result = await ServerProcess.RunCommandAsync(data, arguments);
        Assert.Equal(exit, result.Exit);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pairwise", result.Error);
        TempFolder.Delete(data);
    }

    [Fact]
    public async Task DemoModeOpensALiveDeckForAKnownAccountAndEvaluateReplaysItsSwipes()
    {
        var data = TempFolder.Create("demo");
        var server = await ServerProcess.StartAsync(data, null, "--demo");
        var login = await Expect.Json(await server.Client.PostAsJsonAsync("/v1/auth/login", new { email = "investor@demo.pairwise.local", password = "pairwise demo" }), HttpStatusCode.OK);
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());

        JsonElement feed = default;
        for (var i = 0; i < 50; i++)
        {
            var response = await server.Client.GetAsync("/v1/markets/venture/feed?side=investor");
            if (response.StatusCode == HttpStatusCode.OK && (feed = await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength() > 0)
            {
                break;
            }
            await Task.Delay(200);
        }
        Assert.Equal(10, feed.GetProperty("items").GetArrayLength());
        await server.DisposeAsync();

        // The demo's swipe history, replayed: signals from the earlier swipes, the later ones predicted.
        var evaluated = await ServerProcess.RunCommandAsync(data, "evaluate", "--market", "venture");
        Assert.True(evaluated.Exit == 0, evaluated.Error);
        foreach (var order in new[] { "learned", "content only", "random" })
        {
            var row = evaluated.Output.Split('\n').FirstOrDefault(l => l.StartsWith(order + " ", StringComparison.Ordinal));
            Assert.True(row is not null, evaluated.Output);
            Assert.Matches(@" 0\.\d{3} \[0\.\d\d–[01]\.\d\d\] n=\d+", row);
        }
        Assert.Contains("later swipes of", evaluated.Output);
        TempFolder.Delete(data);
    }

    [Fact]
    public async Task TheDemoWorkerSeesTenJobsOrMore()
    {
        var data = TempFolder.Create("demo-gigs");
        await using var server = await ServerProcess.StartAsync(data, null, "--demo");
        var login = await Expect.Json(await server.Client.PostAsJsonAsync("/v1/auth/login", new { email = "worker@demo.pairwise.local", password = "pairwise demo" }), HttpStatusCode.OK);
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());

        var feed = await Expect.Json(await server.Client.GetAsync("/v1/markets/gigs/feed?limit=50"), HttpStatusCode.OK);

        // Jobs whose text means the worker's kind of work pass the seed's 0.6 similarity floor (one in ~8 of the demo's jobs).
        var jobs = feed.GetProperty("items").GetArrayLength();
        Assert.True(jobs >= 10, $"The demo worker sees {jobs} jobs.");
        TempFolder.Delete(data);
    }
}
