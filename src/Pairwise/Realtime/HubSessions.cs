using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Pairwise.Accounts;
using Pairwise.Platform;

namespace Pairwise.Realtime;

/// <summary>
/// The hub connections this node holds, by user and session. A connection is authenticated once,
/// when it opens; so that a log-out, a disabled account or a changed password also closes the
/// sockets already open (on this node or any other, or from the CLI), every node reads the log of
/// ended sessions twice a second and aborts the connections those sessions opened.
/// </summary>
public sealed partial class HubSessions(Sessions sessions, TimeProvider time, ILogger<HubSessions> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    // Ends stamped by another node's clock may sort a little behind ours: read a window, skip what was seen.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (string UserId, string FamilyId, Action Abort)> _connections = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = [];

    public void Add(HubCallerContext context) => Add(context.ConnectionId, context.User, context.Abort);

    /// <summary>Any other long-lived connection a session opened (a GraphQL socket): <paramref name="abort"/> closes it when the session ends.</summary>
    public void Add(string connectionId, ClaimsPrincipal? user, Action abort)
    {
        if (user?.FindFirstValue(TokenService.FamilyClaim) is { } family && user.UserId() is { } userId)
        {
            _connections[connectionId] = (userId, family, abort);
        }
    }

    public void Remove(HubCallerContext context) => Remove(context.ConnectionId);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Wall-clock pacing: tests move the app's clock by days, and this must still run four times a second.
            await Task.Delay(Interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_connections.IsEmpty || stoppingToken.IsCancellationRequested)
            {
                continue;
            }
            try
            {
                var now = time.GetUtcNow();
                foreach (var (position, end) in await sessions.EndedSinceAsync(now - Window, stoppingToken))
                {
                    if (_seen.TryAdd(position, now))
                    {
                        Close(end);
                    }
                }
                foreach (var (position, at) in _seen.Where(s => s.Value < now - 2 * Window).ToList())
                {
                    _seen.Remove(position);
                }
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (!failing)
                {
                    LogFailed(logger, e);
                    failing = true;
                }
            }
        }
    }

    private void Close(SessionEnd end)
    {
        foreach (var (_, connection) in _connections)
        {
            if (end.Covers(connection.UserId, connection.FamilyId))
            {
                connection.Abort();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read ended sessions; open hub connections of ended sessions stay open until it works again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
