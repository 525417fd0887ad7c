using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Pairwise.Benchmarks;

/// <summary>
/// The hub under load, against a running server: matched pairs exchange messages at a fixed rate
/// while many more connections sit idle. Reports send → acknowledgement (the HTTP round trip, the
/// baseline) and send → live delivery to the other member, as p50/p99 and their ratio, and the
/// server's resident memory per connection.
/// </summary>
public static class RealtimeLoad
{
    private const int ConnectionsPerIdleUser = 20;

    public static async Task RunAsync(Uri server, int serverPid, int pairs, int idle, int rate, int seconds)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        Console.WriteLine($"setting up {pairs} matched pairs…");
        var conversations = new List<(string Conversation, string[] Tokens)>();
        for (var i = 0; i < pairs; i++)
        {
            conversations.Add(await MatchAsync(http, i));
        }

        var delivered = new ConcurrentDictionary<string, double>();
        var sentAt = new ConcurrentDictionary<string, long>();
        var members = new List<HubConnection>();
        foreach (var (_, tokens) in conversations)
        {
            foreach (var token in tokens)
            {
                var connection = Connection(server, token);
                var me = Subject(token);
                connection.On<JsonElement>("message", m =>
                {
                    var id = m.GetProperty("clientMessageId").GetString()!;
                    if (sentAt.TryGetValue(id, out var start) && m.GetProperty("senderId").GetString() != me)
                    {
                        delivered.TryAdd(id, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                });
                await connection.StartAsync();
                members.Add(connection);
            }
        }

        // Idle connections belong to people who are online but not in these conversations: a message
        // reaches its members' sockets only, as it would on a real platform (each idle user holds
        // several connections, so signing up stays short: a sign-up hashes a password).
        var idleUsers = new List<string>();
        for (var i = 0; i < Math.Max(1, idle / ConnectionsPerIdleUser); i++)
        {
            idleUsers.Add(await SignUpAsync(http, $"idle{i}"));
        }
        GC.Collect();
        var before = ResidentBytes(serverPid);
        Console.WriteLine($"opening {idle} idle connections for {idleUsers.Count} idle users…");
        var idlers = new List<IdleSocket>();
        var opening = Stopwatch.StartNew();
        for (var i = 0; i < idle; i++)
        {
            idlers.Add(await IdleSocket.OpenAsync(server, idleUsers[i % idleUsers.Count]));
        }
        Console.WriteLine($"opened in {opening.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = ResidentBytes(serverPid);

        // A node holds its connections for hours: the first collections after thousands of sockets
        // opened at once move their state to the old generation (one pause of ~150 ms at 10,000).
        // The same traffic, unmeasured, lets that happen before the measured seconds.
        Console.WriteLine($"warming up: {rate} messages/s for {WarmUpSeconds} s…");
        await SendAtRateAsync(http, conversations, rate, rate * WarmUpSeconds, "warm", sentAt: null);
        // And this process's own 10,000 sockets to its old generation, or its first collections
        // after them pause the measuring side instead (up to ~130 ms seen).
        GC.Collect();

        Console.WriteLine($"sending {rate} messages/s for {seconds} s across {pairs} conversations, {members.Count + idlers.Count} connections open…");
        var serverGc = await GcStats.OfServerAsync(http);
        var clientGc = GcStats.OfThisProcess();
        var total = rate * seconds;
        var (acks, errors, achieved) = await SendAtRateAsync(http, conversations, rate, total, "bench", sentAt);
        var serverGcDuring = (await GcStats.OfServerAsync(http)) - serverGc;
        var clientGcDuring = GcStats.OfThisProcess() - clientGc;
        await Task.Delay(TimeSpan.FromSeconds(2));

        var ack = acks.Order().ToArray();
        // Only the measured sends are in sentAt, so only their deliveries were recorded.
        var live = delivered.Values.Order().ToArray();
        Console.WriteLine();
        Console.WriteLine($"connections open:        {members.Count + idlers.Count(s => s.IsOpen)} ({members.Count} in conversations, {idlers.Count(s => s.IsOpen)} of {idlers.Count} idle still open)");
        Console.WriteLine($"offered / achieved rate: {rate} / {achieved:F0} messages/s, {errors} errors");
        Console.WriteLine($"send → ack (baseline):   p50 {Percentile(ack, 50):F1} ms, p99 {Percentile(ack, 99):F1} ms ({ack.Length} acks)");
        Console.WriteLine($"send → delivery:         p50 {Percentile(live, 50):F1} ms, p99 {Percentile(live, 99):F1} ms ({live.Length} of {total} delivered)");
        Console.WriteLine($"delivery / ack ratio:    p50 {Percentile(live, 50) / Percentile(ack, 50):F2}, p99 {Percentile(live, 99) / Percentile(ack, 99):F2}");
        Console.WriteLine($"server memory:           {before / 1048576.0:F0} MB → {after / 1048576.0:F0} MB with {idle} more connections = {(after - before) / (double)idle / 1024:F1} KB per connection");
        Console.WriteLine($"collections (measured):  server {serverGcDuring}; load client {clientGcDuring}");

        foreach (var connection in members)
        {
            await connection.DisposeAsync();
        }
        foreach (var socket in idlers)
        {
            await socket.DisposeAsync();
        }
    }

    private const int WarmUpSeconds = 10;

    /// <summary>
    /// Sends <paramref name="total"/> messages at <paramref name="rate"/> a second, round the
    /// conversations and their two members; records each send's start in <paramref name="sentAt"/>
    /// (for delivery) when given.
    /// </summary>
    private static async Task<(ConcurrentBag<double> Acks, int Errors, double Achieved)> SendAtRateAsync(
        HttpClient http, List<(string Conversation, string[] Tokens)> conversations, int rate, int total, string prefix, ConcurrentDictionary<string, long>? sentAt)
    {
        var acks = new ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>(total);
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            var (conversation, tokens) = conversations[n % conversations.Count];
            var token = tokens[n / conversations.Count % 2];
            var id = $"{prefix}-{n}";
            sends.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                if (sentAt is not null)
                {
                    sentAt[id] = start;
                }
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{conversation}/messages")
                {
                    Content = JsonContent.Create(new { text = $"message {id}", clientMessageId = id }),
                    Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
                };
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    acks.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }
        await Task.WhenAll(sends);
        return (acks, errors, total / clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Collections of each generation (a gen1 collection counted as gen1 only, as the runtime's
    /// metrics count them) and the time paused in them, of the server (read from its <c>/metrics</c>,
    /// served to loopback) or of this process: the two share the cores, so either's pause shows in
    /// the latencies.
    /// </summary>
    private readonly record struct GcStats(long Gen0, long Gen1, long Gen2, double PausedMs)
    {
        public static GcStats OfThisProcess() =>
            new(GC.CollectionCount(0) - GC.CollectionCount(1), GC.CollectionCount(1) - GC.CollectionCount(2), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds);

        public static async Task<GcStats> OfServerAsync(HttpClient http)
        {
            // Counts per generation and the total pause, from lines such as
            // dotnet_gc_collections_total{…,gc_heap_generation="gen1"} 7
            var counts = new Dictionary<string, long>();
            var paused = 0.0;
            foreach (var line in (await http.GetStringAsync("/metrics")).Split('\n'))
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                if (line.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal))
                {
                    var generation = line[(line.IndexOf("gc_heap_generation=\"", StringComparison.Ordinal) + 20)..];
                    counts[generation[..generation.IndexOf('"', StringComparison.Ordinal)]] = long.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("dotnet_gc_pause_time_seconds_total", StringComparison.Ordinal))
                {
                    paused = double.Parse(value, CultureInfo.InvariantCulture) * 1000;
                }
            }
            return new(counts.GetValueOrDefault("gen0"), counts.GetValueOrDefault("gen1"), counts.GetValueOrDefault("gen2"), paused);
        }

        public static GcStats operator -(GcStats a, GcStats b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.PausedMs - b.PausedMs);

        public override string ToString() => $"gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}: {PausedMs:F0} ms paused";
    }

    /// <summary>
    /// An idle member's socket, held as lightly as a client can: a WebSocket speaking the hub's JSON
    /// protocol (the handshake, then a ping every 15 s from the moment it opened, as a client's own
    /// timer would: the server drops a socket silent for 30 s), reading and dropping what the server sends.
    /// The server holds it exactly as a full client's; the load client, on the same two cores, spends
    /// a fraction of a <see cref="HubConnection"/>'s timers and buffers on it.
    /// </summary>
    private sealed class IdleSocket : IAsyncDisposable
    {
        private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
        private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();
        private readonly ClientWebSocket _socket = new();
        private Task _reading = Task.CompletedTask;
        private Timer? _pings;

        public bool IsOpen => _socket.State == WebSocketState.Open;

        public static async Task<IdleSocket> OpenAsync(Uri server, string token)
        {
            var idle = new IdleSocket();
            idle._socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
            var address = new UriBuilder(new Uri(server, "/v1/realtime")) { Scheme = server.Scheme == "https" ? "wss" : "ws" }.Uri;
            await idle._socket.ConnectAsync(address, CancellationToken.None);
            await idle._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, CancellationToken.None);
            // The server answers the handshake with "{}"; an error would close the socket (counted at the end).
            idle._reading = idle.ReadAsync();
            idle._pings = new Timer(_ => _ = idle.PingAsync(), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
            return idle;
        }

        private async Task PingAsync()
        {
            try
            {
                if (IsOpen)
                {
                    await _socket.SendAsync(Ping, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
                // Gone: IsOpen says so.
            }
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[512];
            try
            {
                while (IsOpen && (await _socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
                {
                }
            }
            catch (WebSocketException)
            {
                // Gone: IsOpen says so.
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_pings is not null)
            {
                await _pings.DisposeAsync();
            }
            if (IsOpen)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            await Task.WhenAny(_reading, Task.Delay(100));
            _socket.Dispose();
        }
    }

    private static HubConnection Connection(Uri server, string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/v1/realtime"), options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                // One socket per connection: no negotiate request kept alive beside the WebSocket.
                options.SkipNegotiation = true;
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            })
            .Build();

    /// <summary>A founder and an investor in venture who liked each other; returns their conversation and both tokens.</summary>
    private static async Task<(string, string[])> MatchAsync(HttpClient http, int n)
    {
        var founder = await SignUpAsync(http, $"founder{n}");
        var investor = await SignUpAsync(http, $"investor{n}");
        var startup = await SendAsync(http, HttpMethod.Put, "/v1/markets/venture/profiles/startup", founder,
            new { displayName = $"Startup {n}", attributes = new { industry = "fintech", fundingStage = "seed", location = "Hong Kong" } });
        var fund = await SendAsync(http, HttpMethod.Put, "/v1/markets/venture/profiles/investor", investor,
            new { displayName = $"Fund {n}", attributes = new { industries = new[] { "fintech" }, fundingStages = new[] { "seed" } } });
        await SendAsync(http, HttpMethod.Post, $"/v1/listings/{startup.GetProperty("cardId").GetString()}/swipe", investor, new { action = "like" });
        var match = await SendAsync(http, HttpMethod.Post, $"/v1/listings/{fund.GetProperty("cardId").GetString()}/swipe", founder, new { action = "like" });
        return (match.GetProperty("conversationId").GetString()!, [founder, investor]);
    }

    private static async Task<string> SignUpAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/v1/auth/signup", new { email = $"{name}-{Guid.NewGuid():N}@bench.example", password = "a sturdy bench passphrase", displayName = name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body), Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Subject(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload += new string('=', (4 - (payload.Length % 4)) % 4);
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.GetProperty("sub").GetString()!;
    }

    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    private static double Percentile(double[] sorted, int p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * p / 100.0) - 1)];
}
