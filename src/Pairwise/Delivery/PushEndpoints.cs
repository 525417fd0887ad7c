using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Delivery;

/// <summary>Web Push over HTTP: the key a browser subscribes with, and a user's devices.</summary>
public static class PushEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/push/vapid-public-key", PublicKey).AllowAnonymous().WithTags("Notifications").WithSummary("The key to subscribe to pushes with")
            .WithDescription("Pass it as applicationServerKey to PushManager.subscribe in the browser, then register the subscription.");
        var devices = v1.MapGroup("/me/push-subscriptions").WithTags("Notifications");
        devices.MapPost("/", Subscribe).WithSummary("Receive pushes on this device")
            .WithExample("""{"endpoint":"https://fcm.googleapis.com/fcm/send/dXl0Zm9yZXhhbXBsZQ","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}}""")
            .WithDescription("The PushSubscription the browser made (endpoint and keys). Only browsers' push services are accepted. Which notification types push is chosen in the notification preferences.");
        devices.MapGet("/", List).WithSummary("My devices that receive pushes");
        devices.MapDelete("/{id}", Unsubscribe).WithSummary("Stop pushes to a device");
        return v1;
    }

    public static async Task<Ok<VapidKeyResponse>> PublicKey(PushSubscriptions subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(new VapidKeyResponse((await subscriptions.KeysAsync(cancellationToken)).PublicKey));

    public static async Task<Results<Created<PushSubscriptionResponse>, ValidationProblem>> Subscribe(
        PushSubscriptionRequest request, ClaimsPrincipal principal, HttpContext http, PushSubscriptions subscriptions, CancellationToken cancellationToken)
    {
        if (request.Keys is not { P256dh: { } p256dh, Auth: { } auth })
        {
            return Problems.Invalid("keys", "Give the subscription's keys: {\"p256dh\": …, \"auth\": …}.");
        }
        var (added, field, problem) = await subscriptions.AddAsync(principal.UserId(), request.Endpoint, p256dh, auth,
            http.Device(), cancellationToken);
        return added is null
            ? Problems.Invalid(field!, problem!)
            : TypedResults.Created($"/v1/me/push-subscriptions/{added.Id}", PushSubscriptionResponse.From(added));
    }

    public static async Task<Ok<ListResponse<PushSubscriptionResponse>>> List(ClaimsPrincipal principal, PushSubscriptions subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<PushSubscriptionResponse>([.. (await subscriptions.ListAsync(principal.UserId(), cancellationToken)).Select(PushSubscriptionResponse.From)], null));

    public static async Task<Results<NoContent, ProblemHttpResult>> Unsubscribe(string id, ClaimsPrincipal principal, PushSubscriptions subscriptions, CancellationToken cancellationToken) =>
        await subscriptions.RemoveAsync(principal.UserId(), id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"You have no push subscription '{id}'.");
}

public sealed record PushSubscriptionRequest([Required, MaxLength(2048)] string Endpoint, PushKeysRequest? Keys);

public sealed record PushKeysRequest([Required, MaxLength(200)] string? P256dh, [Required, MaxLength(200)] string? Auth);

public sealed record VapidKeyResponse(string PublicKey);

public sealed record PushSubscriptionResponse(string Id, string Endpoint, DateTimeOffset CreatedAt, string? UserAgent)
{
    public static PushSubscriptionResponse From(PushSubscriptionRecord s) => new(s.Id, s.Endpoint, s.CreatedAt, s.UserAgent);
}
