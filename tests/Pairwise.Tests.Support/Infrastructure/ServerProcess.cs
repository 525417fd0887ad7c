using System.Diagnostics;
using System.Net.Sockets;

namespace Pairwise.Tests.Infrastructure;

/// <summary>
/// The real <c>pairwise</c> binary in its own process on a free loopback port, as an operator runs
/// it: real Kestrel limits, real files, and a process that can be killed with SIGKILL.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Every line the process wrote to standard output and error (its log).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

    public static Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] arguments) =>
        StartProcessAsync("serve", dataDirectory, environment, arguments);

    /// <summary>A connector worker (`pairwise worker --connectors …`) on the same settings as the nodes.</summary>
    public static Task<ServerProcess> StartWorkerAsync(string dataDirectory, string connectors, IReadOnlyDictionary<string, string>? environment = null) =>
        StartProcessAsync("worker", dataDirectory, environment, ["--connectors", connectors]);

    private static async Task<ServerProcess> StartProcessAsync(string verb, string dataDirectory, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "pairwise.dll"), verb, "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["Pairwise__DataDirectory"] = dataDirectory;
        start.Environment["Pairwise__RateLimits__AuthPerIpPerMinute"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => Keep(server, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(server, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it was ready.");
            }
            try
            {
                if ((await server.Client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException("The server did not become ready within 60 s.");
    }

    private static void Keep(ServerProcess server, string? line)
    {
        if (line is not null && server.Log.Count < 200_000)
        {
            server.Log.Enqueue(line);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what was acknowledged must already be durable.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        Client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs a `pairwise` command on a data folder to its end: exit code, standard output and standard error.</summary>
    public static Task<(int Exit, string Output, string Error)> RunCommandAsync(string dataDirectory, params string[] arguments) =>
        RunCommandAsync(dataDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>The same, with extra environment variables (settings such as <c>Pairwise__Tokens__AccessTokenLifetime</c>).</summary>
    public static async Task<(int Exit, string Output, string Error)> RunCommandAsync(
        string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pairwise.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["Pairwise__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output, await error);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
