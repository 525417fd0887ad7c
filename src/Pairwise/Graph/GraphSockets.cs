using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Transport;
using Microsoft.Extensions.Options;
using Pairwise.Accounts;
using Pairwise.Realtime;

namespace Pairwise.Graph;

/// <summary>
/// GraphQL over WebSocket with the <c>graphql-transport-ws</c> protocol (the npm graphql-ws
/// client's): <c>connection_init</c> carries the access token (<c>payload.authorization</c> as
/// "Bearer …", or <c>payload.accessToken</c>) and is answered <c>connection_ack</c>; then
/// <c>subscribe</c>/<c>next</c>/<c>error</c>/<c>complete</c> per operation id, and ping/pong.
/// Protocol violations close the socket with the protocol's codes (4400 bad message, 4401 not
/// initialised, 4403 forbidden, 4408 init timeout, 4409 duplicate id, 4429 second init). A socket
/// whose session ends (log-out, password change) is closed like the hub's.
/// </summary>
public sealed partial class GraphSockets(
    IDocumentExecuter<PairwiseSchema> executer, IGraphQLTextSerializer serializer, TokenService tokens, HubSessions sessions,
    IOptions<GraphOptions> options, ILogger<GraphSockets> logger)
{
    public const string Subprotocol = "graphql-transport-ws";

    private readonly IDocumentExecuter<PairwiseSchema> _executer = executer;
    private readonly IGraphQLTextSerializer _serializer = serializer;
    private readonly TokenService _tokens = tokens;
    private readonly HubSessions _sessions = sessions;
    private readonly IOptions<GraphOptions> _options = options;
    private readonly ILogger<GraphSockets> _logger = logger;
    private const int MaxMessageBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(Subprotocol))
        {
            await TypedResults.Problem($"Open the WebSocket with the {Subprotocol} subprotocol.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync(Subprotocol);
        var connection = new Connection(this, socket, http);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            connection.Dispose();
        }
    }

    private sealed class Connection(GraphSockets owner, WebSocket socket, HttpContext http) : IDisposable
    {
        private readonly GraphSockets _owner = owner;
        private readonly string _id = Guid.NewGuid().ToString("n");
        private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly ConcurrentDictionary<string, IDisposable?> _operations = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _sending = new(1, 1);
        private ClaimsPrincipal? _user;
        private bool _initialised;

        public async Task RunAsync()
        {
            var writer = WriteLoopAsync();
            var initTimer = CloseUnlessInitialisedAsync();
            try
            {
                while (!_closing.IsCancellationRequested && socket.State == WebSocketState.Open)
                {
                    var message = await ReceiveAsync();
                    if (message is null)
                    {
                        break;
                    }
                    await HandleAsync(message);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The client went away or the session ended: nothing to answer.
            }
            finally
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await CloseAsync((int)WebSocketCloseStatus.NormalClosure, "");
                }
                _closing.Cancel();
                _outgoing.Writer.TryComplete();
                await writer;
                await initTimer;
            }
        }

        private async Task CloseUnlessInitialisedAsync()
        {
            try
            {
                await Task.Delay(_owner._options.Value.ConnectionInitTimeout, _closing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!_initialised)
            {
                await CloseAsync(4408, "Connection initialisation timeout");
            }
        }

        private async Task<byte[]?> ReceiveAsync()
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(4096), _closing.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    await CloseAsync(4400, $"Messages are limited to {MaxMessageBytes} bytes");
                    return null;
                }
                if (result.EndOfMessage)
                {
                    return buffer.WrittenSpan.ToArray();
                }
            }
        }

        private async Task HandleAsync(byte[] message)
        {
            string? type, id;
            JsonElement payload;
            try
            {
                using var document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 64 });
                var root = document.RootElement;
                type = root.GetProperty("type").GetString();
                id = root.TryGetProperty("id", out var idValue) ? idValue.GetString() : null;
                payload = root.TryGetProperty("payload", out var value) ? value.Clone() : default;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                await CloseAsync(4400, "Invalid message received");
                return;
            }
            switch (type)
            {
                case "connection_init":
                    await InitialiseAsync(payload);
                    break;
                case "ping":
                    Send("pong", null, null);
                    break;
                case "pong":
                    break;
                case "subscribe" when !_initialised:
                    await CloseAsync(4401, "Unauthorized");
                    break;
                case "subscribe" when id is not { Length: > 0 and <= 128 } || payload.ValueKind != JsonValueKind.Object:
                    await CloseAsync(4400, "Invalid message received");
                    break;
                case "subscribe":
                    await SubscribeAsync(id!, payload);
                    break;
                case "complete" when id is not null:
                    if (_operations.TryRemove(id, out var operation))
                    {
                        operation?.Dispose();
                    }
                    break;
                default:
                    await CloseAsync(4400, "Invalid message received");
                    break;
            }
        }

        private async Task InitialiseAsync(JsonElement payload)
        {
            if (_initialised)
            {
                await CloseAsync(4429, "Too many initialisation requests");
                return;
            }
            var token = payload.ValueKind == JsonValueKind.Object
                ? payload.TryGetProperty("authorization", out var header) && header.ValueKind == JsonValueKind.String && header.GetString() is { } value
                    && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim()
                : payload.TryGetProperty("accessToken", out var bare) && bare.ValueKind == JsonValueKind.String ? bare.GetString() : null
                : null;
            _user = token is null ? null : await _owner._tokens.AuthenticateAsync(token, _closing.Token);
            if (_user is null)
            {
                await CloseAsync(4403, "Forbidden");
                return;
            }
            _initialised = true;
            _owner._sessions.Add(_id, _user, () => _ = CloseAsync(4403, "Forbidden"));
            Send("connection_ack", null, null);
        }

        private async Task SubscribeAsync(string id, JsonElement payload)
        {
            if (!_operations.TryAdd(id, null))
            {
                await CloseAsync(4409, $"Subscriber for {id} already exists");
                return;
            }
            if (_operations.Count > _owner._options.Value.MaxSubscriptionsPerConnection)
            {
                _operations.TryRemove(id, out _);
                SendErrors(id, [GraphErrors.Coded(GraphErrors.RateLimited, $"At most {_owner._options.Value.MaxSubscriptionsPerConnection} operations at once on one connection.")]);
                return;
            }
            GraphQLRequest? request;
            try
            {
                request = _owner._serializer.Deserialize<GraphQLRequest>(payload.GetRawText());
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException or OverflowException)
            {
                request = null;
            }
            if (request?.Query is not { Length: > 0 } query || query.Length > _owner._options.Value.MaxDocumentLength)
            {
                _operations.TryRemove(id, out _);
                SendErrors(id, [GraphErrors.Coded(GraphErrors.BadRequest, $"The payload needs a query of at most {_owner._options.Value.MaxDocumentLength} characters.")]);
                return;
            }
            var result = await _owner._executer.ExecuteAsync(execution =>
            {
                execution.Query = query;
                execution.OperationName = request.OperationName;
                execution.Variables = request.Variables;
                execution.Extensions = request.Extensions;
                execution.RequestServices = http.RequestServices;
                execution.User = _user;
                execution.UserContext = new GraphCaller(_user!, http.Connection.RemoteIpAddress, Platform.Caller.Device(http), http.RequestServices);
                execution.CancellationToken = _closing.Token;
            });
            if (result.Streams is { Count: > 0 } streams)
            {
                var subscription = streams.Values.First().Subscribe(new Forward(this, id));
                if (!_operations.TryUpdate(id, subscription, null))
                {
                    subscription.Dispose();
                }
                return;
            }
            _operations.TryRemove(id, out _);
            if (result.Errors is { Count: > 0 } && result.Data is null)
            {
                SendErrors(id, result.Errors);
                return;
            }
            Send("next", id, result);
            Send("complete", id, null);
        }

        private void SendErrors(string id, IEnumerable<ExecutionError> errors)
        {
            var list = new ExecutionErrors();
            list.AddRange(errors);
            Send("error", id, list);
        }

        private void SendErrors(string id, ExecutionErrors errors) => Send("error", id, errors);

        private void Send(string type, string? id, object? payload)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("type", type);
                if (id is not null)
                {
                    writer.WriteString("id", id);
                }
                if (payload is not null)
                {
                    writer.WritePropertyName("payload");
                    writer.WriteRawValue(_owner._serializer.Serialize(payload), skipInputValidation: true);
                }
                writer.WriteEndObject();
            }
            _outgoing.Writer.TryWrite(buffer.WrittenSpan.ToArray());
        }

        private async Task WriteLoopAsync()
        {
            try
            {
                await foreach (var message in _outgoing.Reader.ReadAllAsync(_closing.Token))
                {
                    await _sending.WaitAsync(_closing.Token);
                    try
                    {
                        await socket.SendAsync(message, WebSocketMessageType.Text, true, _closing.Token);
                    }
                    finally
                    {
                        _sending.Release();
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _closing.Cancel();
            }
        }

        private async Task CloseAsync(int code, string reason)
        {
            // One send at a time: the close frame waits for a message being written (at most a second).
            var entered = false;
            try
            {
                entered = await _sending.WaitAsync(TimeSpan.FromSeconds(1));
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
            }
            finally
            {
                try
                {
                    if (entered)
                    {
                        _sending.Release();
                    }
                    await _closing.CancelAsync();
                }
                catch (ObjectDisposedException)
                {
                    // Closed already.
                }
            }
        }

        public void Dispose()
        {
            _owner._sessions.Remove(_id);
            foreach (var (_, operation) in _operations)
            {
                operation?.Dispose();
            }
            _operations.Clear();
            _closing.Dispose();
            _sending.Dispose();
        }

        /// <summary>Each event's result goes out as <c>next</c>; the end of the stream as <c>complete</c>.</summary>
        private sealed class Forward(Connection connection, string id) : IObserver<ExecutionResult>
        {
            public void OnNext(ExecutionResult value) => connection.Send("next", id, value);

            public void OnError(Exception error)
            {
                LogStreamFailed(connection._owner._logger, error);
                connection.SendErrors(id, [GraphErrors.Coded("INTERNAL_SERVER_ERROR", "The subscription failed on our side. It has been logged.")]);
            }

            public void OnCompleted()
            {
                if (connection._operations.TryRemove(id, out _))
                {
                    connection.Send("complete", id, null);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A GraphQL subscription stream failed")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception);
}
