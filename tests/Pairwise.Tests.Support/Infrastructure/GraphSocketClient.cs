using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Pairwise.Tests.Infrastructure;

/// <summary>
/// A graphql-transport-ws client written from the protocol, for the in-memory server and real
/// processes alike: every message it receives, in order, and ways to send and wait.
/// </summary>
public sealed class GraphSocketClient : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly Task _reading;

    private GraphSocketClient(WebSocket socket)
    {
        _socket = socket;
        _reading = ReadAsync();
    }

    public IReadOnlyList<JsonElement> Received => [.. _received];

    /// <summary>The close code the server sent, once it closed.</summary>
    public int? CloseCode => _socket.CloseStatus is { } status ? (int)status : null;

    public static async Task<GraphSocketClient> ConnectAsync(PairwiseApp app)
    {
        var client = app.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        return new GraphSocketClient(await client.ConnectAsync(new Uri(app.Server.BaseAddress, "graphql"), CancellationToken.None));
    }

    public static async Task<GraphSocketClient> ConnectAsync(Uri server)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new Uri(new Uri(server.ToString().Replace("http", "ws", StringComparison.Ordinal)), "graphql"), CancellationToken.None);
        return new GraphSocketClient(socket);
    }

    /// <summary>connection_init with the token, then waits for connection_ack.</summary>
    public async Task InitAsync(string accessToken)
    {
        await SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {accessToken}" } });
        await WaitForAsync(m => Type(m) == "connection_ack");
    }

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>
    /// Subscribes and waits until the server listens: the server handles a socket's messages in
    /// order, so once a query sent after the subscription has completed, the subscription is in place.
    /// </summary>
    public async Task SubscribedAsync(string id, string query, object? variables = null)
    {
        await SubscribeAsync(id, query, variables);
        var barrier = $"ready-{id}";
        await SubscribeAsync(barrier, "{ __typename }");
        await WaitForAsync(m => Type(m) == "complete" && m.TryGetProperty("id", out var i) && i.GetString() == barrier);
    }

    public async Task SendAsync(object message) =>
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task SendRawAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public IReadOnlyList<JsonElement> Of(string id, string type) => [.. Received.Where(m => Type(m) == type && m.TryGetProperty("id", out var i) && i.GetString() == id)];

    /// <summary>The payloads of the <c>next</c> messages of one subscription.</summary>
    public IReadOnlyList<JsonElement> Next(string id) => [.. Of(id, "next").Select(m => m.GetProperty("payload"))];

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            if (Received.FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }
            if (_reading.IsCompleted)
            {
                break;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"Waited for a message that did not come. Received: {string.Join(" ", Received)}; closed with {CloseCode}.");
        return default;
    }

    public Task WaitForNextAsync(string id, int count) => WaitForAsync(_ => Next(id).Count >= count);

    /// <summary>Waits until the server closes the socket and returns its close code.</summary>
    public async Task<int> ClosedAsync(TimeSpan? timeout = null)
    {
        await _reading.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        return CloseCode ?? 1006;
    }

    public static string? Type(JsonElement message) => message.TryGetProperty("type", out var type) ? type.GetString() : null;

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                _received.Enqueue(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
            }
        }
        catch (WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The server closed it meanwhile.
            }
        }
        _socket.Dispose();
    }
}
