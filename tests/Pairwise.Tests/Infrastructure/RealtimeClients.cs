using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;

namespace Pairwise.Tests.Infrastructure;

/// <summary>One hub event as a client received it.</summary>
public sealed record HubEvent(string Name, JsonElement Data);

/// <summary>What a connected client has received so far, in arrival order, and a way to wait for more.</summary>
public abstract class EventLog
{
    private readonly ConcurrentQueue<HubEvent> _events = new();

    public IReadOnlyList<HubEvent> Events => [.. _events];

    public IReadOnlyList<JsonElement> Of(string name) => [.. _events.Where(e => e.Name == name).Select(e => e.Data)];

    protected void Add(HubEvent e) => _events.Enqueue(e);

    public async Task WaitForAsync(string name, int count, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (Of(name).Count < count)
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                Assert.Fail($"Waited for {count} '{name}' events, got {Of(name).Count}.");
            }
            await Task.Delay(20);
        }
    }
}

/// <summary>The official .NET SignalR client, connected with a bearer token.</summary>
public sealed class DotNetHubClient : EventLog, IAsyncDisposable
{
    private DotNetHubClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public static async Task<DotNetHubClient> ConnectAsync(Uri server, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/v1/realtime"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var client = new DotNetHubClient(connection);
        foreach (var name in new[] { "message", "read", "typing", "match", "notification" })
        {
            connection.On<JsonElement>(name, data => client.Add(new HubEvent(name, data)));
        }
        await connection.StartAsync();
        return client;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>
/// The official JavaScript client (<c>@microsoft/signalr</c>) in a node process, as a browser
/// connects: WebSockets, token in the query string. Driven through tests/js/realtime-client.mjs.
/// </summary>
public sealed class JsHubClient : EventLog, IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _replies = new();

    private JsHubClient(Process process) => _process = process;

    public static async Task<JsHubClient> ConnectAsync(Uri server, string token)
    {
        var folder = Path.Combine(Repository.Root, "tests", "js");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@microsoft", "signalr")))
        {
            throw new InvalidOperationException("The JavaScript client is not installed: run ./scripts/test.sh (it runs npm ci in tests/js).");
        }
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(folder, "realtime-client.mjs"), server.ToString().TrimEnd('/'), token },
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var client = new JsHubClient(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (string.IsNullOrWhiteSpace(line.Data))
            {
                return;
            }
            var json = JsonDocument.Parse(line.Data).RootElement.Clone();
            if (json.TryGetProperty("event", out var name))
            {
                client.Add(new HubEvent(name.GetString()!, json.GetProperty("data")));
            }
            else
            {
                client._replies.Enqueue(json);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var connected = await client.ReplyAsync();
        Assert.True(connected.TryGetProperty("connected", out _), connected.ToString());
        return client;
    }

    /// <summary>Sends a command (see realtime-client.mjs) and returns its reply.</summary>
    public async Task<JsonElement> CommandAsync(object command, TimeSpan? timeout = null)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
        return await ReplyAsync(timeout);
    }

    private async Task<JsonElement> ReplyAsync(TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        JsonElement reply;
        while (!_replies.TryDequeue(out reply))
        {
            if (_process.HasExited && _replies.IsEmpty)
            {
                throw new InvalidOperationException($"The JavaScript client exited with code {_process.ExitCode}.");
            }
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("The JavaScript client did not answer.");
            }
            await Task.Delay(20);
        }
        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

public static class Repository
{
    /// <summary>The folder that holds Pairwise.slnx, found upwards from the test binary.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Pairwise.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Pairwise.slnx) is not above the test binary.");
    }
}
