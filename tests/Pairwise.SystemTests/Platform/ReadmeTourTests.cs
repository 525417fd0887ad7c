using System.Diagnostics;

namespace Pairwise.Tests.Platform;

/// <summary>
/// The README's curl tour, exactly as written, run by bash against a fresh server: every command in
/// order, each HTTP call failing the run on an error status (the tour's own <c>api</c> helper),
/// so the README keeps working as the API changes.
/// </summary>
[Trait("Category", "BinaryProcess")]
public sealed class ReadmeTourTests
{
    [Fact]
    public async Task TheReadmeTourRunsInOrderWithoutAnError()
    {
        var data = TempFolder.Create("tour");
        await using var server = await ServerProcess.StartAsync(data);
        var tour = Tour(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md")));
        Assert.Contains("api -X POST $P/v1/auth/signup", tour, StringComparison.Ordinal);

        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", tour])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["P"] = server.Address.ToString().TrimEnd('/'),
                ["MAIL"] = Path.Combine(data, "mail", "pickup"),
            },
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await bash.WaitForExitAsync(timeout.Token);
        var said = await output;
        Assert.True(bash.ExitCode == 0, $"The tour stopped (exit {bash.ExitCode}):\n{Tail(said)}\n{Tail(await errors)}");

        // What the tour shows happened: a match, a chat, a gig selected and rated, the account deleted.
        Assert.Contains("\"kind\": \"mutual\"", said, StringComparison.Ordinal);
        Assert.Contains("Gladly. Thursday?", said, StringComparison.Ordinal);
        Assert.Contains("\"rank\": 1", said, StringComparison.Ordinal);
        Assert.Contains("Great with guests.", said, StringComparison.Ordinal);
        Assert.Contains("refused, as it should be", said, StringComparison.Ordinal);
        var login = await server.Client.PostAsJsonAsync("/v1/auth/login", new { email = "ada@example.com", password = "difference engine no. 2" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    /// <summary>The first sh block after "Or follow along with curl".</summary>
    private static string Tour(string readme)
    {
        var from = readme.IndexOf("Or follow along with curl", StringComparison.Ordinal);
        Assert.True(from >= 0, "The README no longer says \"Or follow along with curl\" before its tour.");
        var open = readme.IndexOf("```sh\n", from, StringComparison.Ordinal) + "```sh\n".Length;
        var close = readme.IndexOf("\n```", open, StringComparison.Ordinal);
        return readme[open..close];
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
