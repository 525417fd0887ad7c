using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pairwise.Benchmarks;

/// <summary>
/// The mixed load run (bench/load/run.sh): virtual users, each an investor of a seeded `venture`
/// market matched with one founder, loop over the operations of a session in fixed proportions —
/// log-in, feed, swipe, send and read messages, conversations, notifications — closed-loop (the
/// next request leaves when the last answered). Before it, the same number of virtual users hit
/// the hello-world endpoint (`/health/live`) for the same time: the ceiling of this machine. After
/// it, the same mix once more with the 2 % of log-ins replaced by token refreshes, as an app
/// resumes a session (a log-in hashes the password on purpose: ~0.1 s of CPU).
/// </summary>
public static class LoadRun
{
    // The operations and their share of a session's requests.
    private static readonly (string Name, int Weight)[] Mix =
    [
        ("feed", 35), ("swipe", 25), ("notifications", 15), ("send message", 10), ("read messages", 10), ("conversations", 3), ("log in", 2),
    ];

    private const string Resume = "refresh session";

    private sealed class User(string email, (string Access, string Refresh) tokens, string conversation, List<string> cards)
    {
        public string Email => email;
        public string Token { get; private set; } = tokens.Access;
        public string Refresh { get; private set; } = tokens.Refresh;
        public string Conversation => conversation;
        public List<string> Cards => cards;

        public void Renewed(JsonElement pair) => (Token, Refresh) = (pair.GetProperty("accessToken").GetString()!, pair.GetProperty("refreshToken").GetString()!);
    }

    /// <param name="timeline">Instead of the hello-world comparison, print each second's requests, errors and
    /// median: for runs during which something is done to the platform (bench/load/redis-outage.sh).</param>
    public static async Task RunAsync(Uri server, string run, int users, int seconds, bool timeline = false)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        Console.WriteLine($"setting up {users} investor ↔ founder pairs from the seeded data…");
        var sessions = new List<User>();
        for (var i = 0; i < users; i++)
        {
            var investor = await LogInAsync(http, $"investor{i}.{run}@demo.pairwise.local");
            var founder = await LogInAsync(http, $"startup{i}.{run}@demo.pairwise.local");
            var investorCard = (await GetAsync(http, "/v1/markets/venture/profiles/investor/me", investor.Access)).GetProperty("cardId").GetString()!;
            var founderCard = (await GetAsync(http, "/v1/markets/venture/profiles/startup/me", founder.Access)).GetProperty("cardId").GetString()!;
            await SendAsync(http, HttpMethod.Post, $"/v1/listings/{investorCard}/swipe", founder.Access, new { action = "like" });
            var match = await SendAsync(http, HttpMethod.Post, $"/v1/listings/{founderCard}/swipe", investor.Access, new { action = "like" });
            var feed = await GetAsync(http, "/v1/markets/venture/feed?limit=50", investor.Access);
            sessions.Add(new User($"investor{i}.{run}@demo.pairwise.local", investor, match.GetProperty("conversationId").GetString()!,
                [.. feed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("listing").GetProperty("id").GetString()!)]));
        }

        if (timeline)
        {
            Console.WriteLine($"mixed session: {users} virtual users for {seconds} s, second by second…");
            var timelineSeconds = new Second[seconds + 1];
            for (var i = 0; i < timelineSeconds.Length; i++)
            {
                timelineSeconds[i] = new Second();
            }
            var all = await DriveAsync(users, seconds, (vu, random) => OperationAsync(http, sessions[vu], random, resume: false), timelineSeconds);
            Console.WriteLine("| second | requests | errors | p50 ms | p99 ms |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            for (var i = 0; i < seconds; i++)
            {
                var sorted = timelineSeconds[i].Latencies.Order().ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i} | {sorted.Length + timelineSeconds[i].Errors} | {timelineSeconds[i].Errors} | {P(sorted, 50):F1} | {P(sorted, 99):F1} |"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nmixed total: {all.Sum(m => m.Samples.Count + m.Errors) / (double)seconds:F0} req/s, {all.Sum(m => m.Errors)} errors ({string.Join(", ", all.Where(m => m.Errors > 0).Select(m => $"{m.Name}: {m.Errors}"))})"));
            return;
        }

        Console.WriteLine($"hello world: {users} virtual users for {seconds} s…");
        var baseline = await DriveAsync(users, seconds, async (_, _) =>
        {
            using var response = await http.GetAsync("/health/live");
            return ("GET /health/live", response.IsSuccessStatusCode);
        });
        Console.WriteLine($"mixed session: {users} virtual users for {seconds} s…");
        var mixed = await DriveAsync(users, seconds, (vu, random) => OperationAsync(http, sessions[vu], random, resume: false));
        Console.WriteLine($"mixed session, sessions resumed with refresh tokens instead of log-ins: {users} virtual users for {seconds} s…");
        var resumed = await DriveAsync(users, seconds, (vu, random) => OperationAsync(http, sessions[vu], random, resume: true));

        Report(baseline.Concat(mixed), $"mixed total: {Total(mixed, seconds):F0} req/s, {mixed.Sum(m => m.Errors)} errors; hello world: {baseline[0].Rate:F0} req/s");
        Report(resumed, $"mixed total with refreshes: {Total(resumed, seconds):F0} req/s, {resumed.Sum(m => m.Errors)} errors; hello world: {baseline[0].Rate:F0} req/s");
    }

    private static double Total(List<(string Name, List<double> Samples, int Errors, double Rate)> run, int seconds) =>
        run.Sum(m => m.Samples.Count + m.Errors) / (double)seconds;

    private static void Report(IEnumerable<(string Name, List<double> Samples, int Errors, double Rate)> rows, string total)
    {
        Console.WriteLine();
        Console.WriteLine($"| operation | requests | req/s | p50 ms | p95 ms | p99 ms | errors |");
        Console.WriteLine($"|---|---:|---:|---:|---:|---:|---:|");
        var all = new List<double>();
        foreach (var (name, samples, errors, rate) in rows)
        {
            var sorted = samples.Order().ToArray();
            if (name != "GET /health/live")
            {
                all.AddRange(sorted);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {sorted.Length + errors} | {rate:F0} | {P(sorted, 50):F1} | {P(sorted, 95):F1} | {P(sorted, 99):F1} | {errors} |"));
        }
        var every = all.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (every mixed request) | {every.Length} | | {P(every, 50):F1} | {P(every, 95):F1} | {P(every, 99):F1} | |"));
        Console.WriteLine();
        Console.WriteLine(total);
    }

    private static async Task<(string, bool)> OperationAsync(HttpClient http, User user, Random random, bool resume)
    {
        var pick = random.Next(100);
        foreach (var (name, weight) in Mix)
        {
            if ((pick -= weight) >= 0)
            {
                continue;
            }
            HttpRequestMessage request = name switch
            {
                "feed" => Get("/v1/markets/venture/feed?limit=10", user.Token),
                "swipe" => Post($"/v1/listings/{user.Cards[random.Next(user.Cards.Count)]}/swipe", user.Token, new { action = random.Next(3) == 0 ? "like" : "pass" }),
                "notifications" => Get("/v1/notifications?limit=10", user.Token),
                "send message" => Post($"/v1/conversations/{user.Conversation}/messages", user.Token, new { text = "Are you free for a call this week?", clientMessageId = Guid.NewGuid().ToString("N") }),
                "read messages" => Get($"/v1/conversations/{user.Conversation}/messages?limit=20", user.Token),
                "conversations" => Get("/v1/conversations?limit=20", user.Token),
                _ when resume => Post("/v1/auth/refresh", null, new { refreshToken = user.Refresh }),
                _ => Post("/v1/auth/login", null, new { email = user.Email, password = "pairwise demo" }),
            };
            using (request)
            using (var response = await http.SendAsync(request))
            {
                if (name == "log in" && resume)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        user.Renewed(await response.Content.ReadFromJsonAsync<JsonElement>());
                    }
                    return (Resume, response.IsSuccessStatusCode);
                }
                // A swipe repeated on the same card is a 409 by design; the feed keeps offering new ones.
                return (name, response.IsSuccessStatusCode || (name == "swipe" && (int)response.StatusCode == 409));
            }
        }
        throw new InvalidOperationException("The mix does not add up to 100.");
    }

    /// <summary>One second of a timeline run.</summary>
    private sealed class Second
    {
        public ConcurrentBag<double> Latencies { get; } = [];
        private int _errors;

        public int Errors => Volatile.Read(ref _errors);

        public void Failed() => Interlocked.Increment(ref _errors);
    }

    private static async Task<List<(string Name, List<double> Samples, int Errors, double Rate)>> DriveAsync(
        int users, int seconds, Func<int, Random, Task<(string Name, bool Ok)>> operation, Second[]? timeline = null)
    {
        var samples = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        var errors = new ConcurrentDictionary<string, int>();
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, users).Select(vu => Task.Run(async () =>
        {
            var random = new Random(vu);
            while (deadline.Elapsed.TotalSeconds < seconds)
            {
                var start = Stopwatch.GetTimestamp();
                string name;
                bool ok;
                try
                {
                    (name, ok) = await operation(vu, random);
                }
                catch (HttpRequestException)
                {
                    (name, ok) = ("(connection)", false);
                }
                var latency = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var second = timeline?[Math.Min(timeline.Length - 1, (int)deadline.Elapsed.TotalSeconds)];
                if (ok)
                {
                    samples.GetOrAdd(name, _ => []).Add(latency);
                    second?.Latencies.Add(latency);
                }
                else
                {
                    errors.AddOrUpdate(name, 1, (_, n) => n + 1);
                    second?.Failed();
                }
            }
        })));
        var elapsed = deadline.Elapsed.TotalSeconds;
        return [.. samples.Keys.Union(errors.Keys).OrderBy(k => k == Resume ? Mix.Length : Array.FindIndex(Mix, m => m.Name == k))
            .Select(k => (k, samples.TryGetValue(k, out var s) ? s.ToList() : [], errors.GetValueOrDefault(k), ((samples.TryGetValue(k, out var t) ? t.Count : 0) + errors.GetValueOrDefault(k)) / elapsed))];
    }

    private static double P(double[] sorted, int p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * p / 100.0) - 1)];

    private static HttpRequestMessage Get(string path, string token) => new(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private static HttpRequestMessage Post(string path, string? token, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    private static async Task<(string Access, string Refresh)> LogInAsync(HttpClient http, string email)
    {
        using var response = await http.PostAsJsonAsync("/v1/auth/login", new { email, password = "pairwise demo" });
        response.EnsureSuccessStatusCode();
        var pair = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (pair.GetProperty("accessToken").GetString()!, pair.GetProperty("refreshToken").GetString()!);
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, string token)
    {
        using var request = Get(path, token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body), Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
