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

/// <summary>A node script from tests/js that prints one JSON object per line; what it printed, and a way to wait for a line.</summary>
public sealed class NodeScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _lines = new();

    private NodeScript(Process process) => _process = process;

    public IReadOnlyList<JsonElement> Lines => [.. _lines];

    public event Action<JsonElement>? LinePrinted;

    public static NodeScript Start(string script, params string[] arguments)
    {
        var folder = Path.Combine(Repository.Root, "tests", "js");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException("The node packages are not installed: run ./scripts/test.sh (it runs npm ci in tests/js).");
        }
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(folder, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var started = new NodeScript(Process.Start(start)!);
        started._process.OutputDataReceived += (_, line) =>
        {
            // Scripts speak in JSON lines; anything else (a library's warning) is not for us.
            if (line.Data is { } data && data.TrimStart().StartsWith('{'))
            {
                var json = JsonDocument.Parse(data).RootElement.Clone();
                started.LinePrinted?.Invoke(json);
                started._lines.Enqueue(json);
            }
        };
        started._process.ErrorDataReceived += (_, _) => { };
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The first line printed after <paramref name="skip"/> lines that has the property <paramref name="name"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string name, int skip = 0, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (Lines.Skip(skip).Where(l => l.TryGetProperty(name, out _)).ToList() is [var found, ..])
            {
                return found;
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The node script exited with code {_process.ExitCode} before printing '{name}'.");
            }
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"The node script did not print '{name}'.");
            }
            await Task.Delay(20);
        }
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
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

/// <summary>
/// The official JavaScript client (<c>@microsoft/signalr</c>) in a node process, as a browser
/// connects: WebSockets, token in the query string. Driven through tests/js/realtime-client.mjs.
/// </summary>
public sealed class JsHubClient : EventLog, IAsyncDisposable
{
    private readonly NodeScript _script;
    private int _replies;

    private JsHubClient(NodeScript script) => _script = script;

    public static async Task<JsHubClient> ConnectAsync(Uri server, string token)
    {
        var script = NodeScript.Start("realtime-client.mjs", server.ToString().TrimEnd('/'), token);
        var client = new JsHubClient(script);
        script.LinePrinted += line =>
        {
            if (line.TryGetProperty("event", out var name))
            {
                client.Add(new HubEvent(name.GetString()!, line.GetProperty("data")));
            }
        };
        var connected = await client.ReplyAsync();
        Assert.True(connected.TryGetProperty("connected", out _), connected.ToString());
        return client;
    }

    /// <summary>Sends a command (see realtime-client.mjs) and returns its reply.</summary>
    public async Task<JsonElement> CommandAsync(object command)
    {
        await _script.WriteLineAsync(JsonSerializer.Serialize(command));
        return await ReplyAsync();
    }

    private async Task<JsonElement> ReplyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var replies = _script.Lines.Where(l => !l.TryGetProperty("event", out _)).ToList();
            if (replies.Count > _replies)
            {
                return replies[_replies++];
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The JavaScript client did not answer.");
            }
            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => _script.DisposeAsync();
}

/// <summary>A real SMTP server (npm smtp-server, tests/js/smtp-sink.mjs) on a free port; what it accepted and what it held.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly NodeScript _script;

    private SmtpSink(NodeScript script, int port) => (_script, Port) = (script, port);

    public int Port { get; }

    public static async Task<SmtpSink> StartAsync(bool holdFirst = false)
    {
        var port = ServerProcess.FreePort();
        var script = NodeScript.Start("smtp-sink.mjs", [port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. holdFirst ? new[] { "--hold-first" } : []]);
        await script.WaitForAsync("listening");
        return new SmtpSink(script, port);
    }

    /// <summary>Settings that point a server at this sink, for an in-process app or (with __) a server process.</summary>
    public Dictionary<string, string?> Settings(string separator = ":") => new()
    {
        [$"Pairwise{separator}Smtp{separator}Host"] = "127.0.0.1",
        [$"Pairwise{separator}Smtp{separator}Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Pairwise{separator}Smtp{separator}Security"] = "none",
    };

    public IReadOnlyList<JsonElement> Accepted => [.. _script.Lines.Where(l => l.TryGetProperty("accepted", out _)).Select(l => l.GetProperty("accepted"))];

    public IReadOnlyList<JsonElement> AcceptedFor(string to) =>
        [.. Accepted.Where(m => m.GetProperty("to").GetString()!.Contains(to, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Waits for a mail to <paramref name="to"/> (containing <paramref name="containing"/>) and returns it.</summary>
    public async Task<JsonElement> WaitForMailAsync(string to, string containing = "", TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            if (AcceptedFor(to).Where(m => m.GetProperty("raw").GetString()!.Contains(containing, StringComparison.Ordinal)).ToList() is [var found, ..])
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No mail to {to} containing '{containing}'.");
    }

    /// <summary>The six-digit verification code mailed to <paramref name="to"/>.</summary>
    public async Task<string> VerificationCodeAsync(string to) =>
        System.Text.RegularExpressions.Regex.Match((await WaitForMailAsync(to, "code")).GetProperty("raw").GetString()!, @"code[^\d]*(\d{6})").Groups[1].Value;

    public async Task<JsonElement> WaitForHeldAsync() => (await _script.WaitForAsync("held")).GetProperty("held");

    public async Task<JsonElement> WaitForAcceptedAsync(TimeSpan? timeout = null) => (await _script.WaitForAsync("accepted", 0, timeout)).GetProperty("accepted");

    public ValueTask DisposeAsync() => _script.DisposeAsync();
}

public static class Repository
{
    /// <summary>The folder that holds Pairwise.slnx, found upwards from the test binary.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Where the browser tests save their screenshots: PAIRWISE_SCREENSHOTS when set (the test command's
    /// <c>--screenshots</c> points it at docs/screenshots to refresh the README's pictures), otherwise
    /// TestResults/screenshots, which git ignores: a test run leaves the working tree clean.
    /// </summary>
    public static string Screenshots { get; } =
        Environment.GetEnvironmentVariable("PAIRWISE_SCREENSHOTS") is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(Root, "TestResults", "screenshots");

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
