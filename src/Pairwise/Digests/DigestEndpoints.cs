using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Platform;

namespace Pairwise.Digests;

public static class DigestEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var digest = v1.MapGroup("/me/digest").WithTags("Digests");
        digest.MapGet("/", Get).WithSummary("My daily digest settings");
        digest.MapPut("/", Put).WithSummary("Turn the daily digest on or off, and choose when")
            .WithDescription("localTime is HH:mm on your wall clock in timeZone (an IANA zone such as Asia/Hong_Kong); daylight saving is followed. "
                + "The digest holds your top recommendations and is sent once per local day, or not at all when there are none. It goes to a verified address only.")
            .WithExample("""{"enabled":true,"localTime":"08:00","timeZone":"Asia/Hong_Kong"}""");
        digest.MapPost("/send-now", SendNow).WithSummary("E-mail me my recommendations now").LimitPerUser(UserLimit.Send);
        return v1;
    }

    public static async Task<Ok<DigestResponse>> Get(ClaimsPrincipal principal, DigestService digests, CancellationToken cancellationToken) =>
        TypedResults.Ok(DigestResponse.From((await digests.GetAsync(principal.UserId(), cancellationToken))?.Settings ?? new DigestSettings(false, "08:00", "UTC", null)));

    public static async Task<Results<Ok<DigestResponse>, ValidationProblem>> Put(DigestRequest request, ClaimsPrincipal principal, DigestService digests, CancellationToken cancellationToken)
    {
        if (!TimeOnly.TryParseExact(request.LocalTime ?? "08:00", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var localTime))
        {
            return Problems.Invalid("localTime", "Must be HH:mm, e.g. 08:00.");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone ?? "UTC", out var zone))
        {
            return Problems.Invalid("timeZone", "Must be an IANA time zone, e.g. Asia/Hong_Kong or America/New_York.");
        }
        return TypedResults.Ok(DigestResponse.From(await digests.SetAsync(principal.UserId(), request.Enabled, localTime, zone, cancellationToken)));
    }

    public static async Task<Results<Ok<SendNowResponse>, ProblemHttpResult>> SendNow(ClaimsPrincipal principal, UserStore users, DigestService digests, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(principal.UserId(), cancellationToken);
        if (user is not { EmailVerified: true })
        {
            return Problems.Conflict("Verify your e-mail address first: recommendations are only mailed to a verified address.");
        }
        var count = await digests.SendNowAsync(user, cancellationToken);
        return TypedResults.Ok(new SendNowResponse(count > 0, count));
    }
}

public sealed record DigestRequest(bool Enabled, [System.ComponentModel.DataAnnotations.MaxLength(5)] string? LocalTime, [System.ComponentModel.DataAnnotations.MaxLength(64)] string? TimeZone);

public sealed record DigestResponse(bool Enabled, string LocalTime, string TimeZone, DateTimeOffset? NextAt)
{
    public static DigestResponse From(DigestSettings s) => new(s.Enabled, s.LocalTime, s.TimeZone, s.NextAt);
}

public sealed record SendNowResponse(bool Sent, int Recommendations);
