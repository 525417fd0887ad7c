using System.Diagnostics;

namespace Pairwise.Tests.Infrastructure;

/// <summary>
/// A real Web Push service (npm <c>web-push-testing</c>) on a free port: it hands out browser-like
/// subscriptions, checks each push's VAPID signature and aes128gcm encryption, keeps the decrypted
/// messages for reading back, and can expire a subscription (then it answers 410).
/// </summary>
public sealed class WebPushService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private WebPushService(Process process, int port)
    {
        _process = process;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}") };
    }

    public int Port { get; }

    public static async Task<WebPushService> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "tests", "js", "node_modules", "web-push-testing", "src", "bin", "server.js"));
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var service = new WebPushService(Process.Start(start)!, port);
        service._process.OutputDataReceived += (_, _) => { };
        service._process.ErrorDataReceived += (_, _) => { };
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await service._http.PostAsync("/status", null)).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The Web Push service did not start within 10 s.");
    }

    /// <summary>A subscription as a browser would make it for <paramref name="applicationServerKey"/>: endpoint, keys and the service's client hash.</summary>
    public async Task<(string Endpoint, string P256dh, string Auth, string ClientHash)> SubscribeAsync(string applicationServerKey)
    {
        // The service wants the flag as the string a form would send.
        var response = await _http.PostAsJsonAsync("/subscribe", new { userVisibleOnly = "true", applicationServerKey });
        var data = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        return (data.GetProperty("endpoint").GetString()!, data.GetProperty("keys").GetProperty("p256dh").GetString()!,
            data.GetProperty("keys").GetProperty("auth").GetString()!, data.GetProperty("clientHash").GetString()!);
    }

    /// <summary>The decrypted pushes the subscription received so far.</summary>
    public async Task<IReadOnlyList<JsonElement>> MessagesAsync(string clientHash)
    {
        var response = await _http.PostAsJsonAsync("/get-notifications", new { clientHash });
        var messages = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("messages");
        return [.. messages.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? JsonDocument.Parse(m.GetString()!).RootElement.Clone() : m.Clone())];
    }

    /// <summary>Waits until the subscription has received at least <paramref name="count"/> pushes.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(string clientHash, int count, TimeSpan? timeout = null)
    {
        var wait = Stopwatch.StartNew();
        while (true)
        {
            var messages = await MessagesAsync(clientHash);
            if (messages.Count >= count || wait.Elapsed > (timeout ?? TimeSpan.FromSeconds(15)))
            {
                return messages;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The user revoked permission: the service answers 410 from now on.</summary>
    public async Task ExpireAsync(string clientHash) => (await _http.PostAsync($"/expire-subscription/{clientHash}", null)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
