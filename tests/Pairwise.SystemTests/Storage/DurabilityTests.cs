using System.Collections.Concurrent;

namespace Pairwise.Tests.Storage;

// Starts the real binary (on SQLite): runs once, not again in the DynamoDB pass.
[Trait("Category", "BinaryProcess")]
public sealed class DurabilityTests
{
    [Fact]
    public async Task EverySignUpThatGotA201SurvivesAKillNine()
    {
        var data = TempFolder.Create("durability");
        var acknowledged = new ConcurrentBag<string>();
        var attempted = 0;
        await using (var server = await ServerProcess.StartAsync(data))
        {
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var email = $"burst-{worker}-{i}@example.com";
                    Interlocked.Increment(ref attempted);
                    try
                    {
                        var response = await server.Client.PostAsJsonAsync("/v1/auth/signup", new { email, password = "durable passphrase", displayName = "Burst" });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(email);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server died under us
                    }
                }
            })).ToList();

            while (acknowledged.Count < 20)
            {
                await Task.Delay(20);
            }
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        await using var restarted = await ServerProcess.StartAsync(data);
        var lost = new List<string>();
        foreach (var email in acknowledged)
        {
            var login = await restarted.Client.PostAsJsonAsync("/v1/auth/login", new { email, password = "durable passphrase" });
            if (login.StatusCode != HttpStatusCode.OK)
            {
                lost.Add($"{email}: {(int)login.StatusCode}");
            }
        }

        Assert.Empty(lost);
        Assert.True(attempted > acknowledged.Count, "the kill should land while sign-ups are in flight");
        TempFolder.Delete(data);
    }
}
