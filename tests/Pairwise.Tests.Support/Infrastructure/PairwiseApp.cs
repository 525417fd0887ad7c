using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Pairwise.Storage;

namespace Pairwise.Tests.Infrastructure;

/// <summary>
/// The real server in memory, on its own SQLite file in a fresh data folder, with a clock the
/// test can move. One per test: nothing is shared between tests.
/// </summary>
public sealed class PairwiseApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsData;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="dataDirectory">Another app's data folder, to restart on the same data; by default a fresh one.</param>
    /// <param name="services">Extra registrations (e.g. a job that fails on purpose).</param>
    /// <param name="engine">SQLite in the data folder, or DynamoDB Local with a table of the data folder's own.</param>
    public PairwiseApp(Engine engine, Dictionary<string, string?>? settings = null, string? dataDirectory = null, Action<IServiceCollection>? services = null)
    {
        Engine = engine;
        _services = services;
        _ownsData = dataDirectory is null;
        DataDirectory = dataDirectory ?? TempFolder.Create("app");
        _settings = new Dictionary<string, string?>
        {
            ["Pairwise:DataDirectory"] = DataDirectory,
            ["Pairwise:RateLimits:AuthPerIpPerMinute"] = "10000",
            // Tests move the clock by days; they run periodic jobs by hand, or turn them back on.
            ["Pairwise:BackgroundJobs"] = "false",
            // Likewise the social connectors: tests run their polling rounds by hand.
            ["Pairwise:Social:Connectors"] = "",
        };
        // On DynamoDB Local: a table per data folder (an app restarted on the same folder finds its data).
        if (engine == Engine.DynamoDb)
        {
            _settings["Pairwise:Storage"] = "dynamodb";
            _settings["Pairwise:DynamoDb:ServiceUrl"] = DynamoDbLocal.Started.ToString();
            _settings["Pairwise:DynamoDb:TableName"] = TableName;
        }
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public Engine Engine { get; }

    /// <summary>The DynamoDB Local table of this app (on DynamoDB).</summary>
    public string TableName => $"app{StringComparer.Ordinal.GetHashCode(DataDirectory):x}{DataDirectory.Length}";

    public string DataDirectory { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            // The table (and anything else the engine needs) before any other service starts reading.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StoreInitializer>());
            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (_ownsData)
        {
            TempFolder.Delete(DataDirectory);
        }
    }

    /// <summary>Signs up a new user and returns a client that sends their access token.</summary>
    public async Task<UserSession> SignUpAsync(string? email = null, string password = "a sturdy passphrase")
    {
        var client = CreateClient();
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/v1/auth/signup", new { email, password, displayName = email.Split('@')[0] });
        await Expect.Status(response, System.Net.HttpStatusCode.Created);
        var tokens = (await response.Content.ReadFromJsonAsync<JsonElement>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return new UserSession(client, email, password, tokens.GetProperty("userId").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>Waits until the mail outbox has delivered everything stored so far (delivery is asynchronous).</summary>
    public async Task DrainMailAsync()
    {
        var store = Services.GetRequiredService<Pairwise.Storage.IItemStore>();
        for (var waited = 0; waited < 1000; waited++)
        {
            var pending = 0;
            for (var shard = 0; shard < Pairwise.Delivery.MailKeys.Shards; shard++)
            {
                pending += (await store.QueryAsync(new Pairwise.Storage.Query { Pk = Pairwise.Delivery.MailKeys.Shard(shard), Limit = 1 })).Items.Count;
            }
            if (pending == 0)
            {
                return;
            }
            await Task.Delay(10);
        }
        Assert.Fail("The mail outbox did not drain within 10 s.");
    }

    /// <summary>Every delivered e-mail to <paramref name="to"/>, oldest first, once the outbox has drained.</summary>
    public async Task<IReadOnlyList<string>> MailsToAsync(string to)
    {
        await DrainMailAsync();
        var folder = Path.Combine(DataDirectory, "mail", "pickup");
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.eml").Order().Select(File.ReadAllText).Where(m => m.Contains($"To: {to}", StringComparison.OrdinalIgnoreCase))]
            : [];
    }

    /// <summary>The six-digit code in the newest e-mail to <paramref name="to"/> in the pickup folder.</summary>
    public string LatestEmailCode(string to)
    {
        DrainMailAsync().GetAwaiter().GetResult();
        var folder = Path.Combine(DataDirectory, "mail", "pickup");
        var mail = Directory.GetFiles(folder, "*.eml").Order().Select(File.ReadAllText).Last(m => m.Contains($"To: {to}", StringComparison.OrdinalIgnoreCase));
        return System.Text.RegularExpressions.Regex.Match(mail, @"code[^\d]*(\d{6})").Groups[1].Value;
    }
}

public sealed record UserSession(HttpClient Client, string Email, string Password, string UserId, string RefreshToken);

public static class TempFolder
{
    public static string Create(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "pairwise-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open in a dying process; the temp folder is cleaned later.
        }
    }
}

public static class Expect
{
    /// <summary>Asserts the status, showing the body when it is not what we expected.</summary>
    public static async Task Status(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        await Status(response, expected);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asserts an RFC 9457 problem with that status and returns it.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        await Status(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}

/// <summary>What <c>Program</c> does before the server starts, for the in-memory host (which never runs that far).</summary>
internal sealed class StoreInitializer(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.InitializeStoreAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
