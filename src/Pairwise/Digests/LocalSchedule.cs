namespace Pairwise.Digests;

/// <summary>When "08:00 in Auckland" next happens, with the zone's own rules for daylight saving.</summary>
public static class LocalSchedule
{
    /// <summary>
    /// The first instant after <paramref name="after"/> at which the wall clock in
    /// <paramref name="zone"/> reads <paramref name="localTime"/>. A time skipped by a spring-forward
    /// gap moves forward by the gap (02:30 → 03:30); a time repeated by a fall-back is taken the
    /// first time it happens.
    /// </summary>
    public static DateTimeOffset NextAfter(DateTimeOffset after, TimeOnly localTime, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime);
        for (var day = 0; day < 3; day++)
        {
            var local = today.AddDays(day).ToDateTime(localTime, DateTimeKind.Unspecified);
            // Skipped by a spring-forward, the wall time is read with the offset before the gap: the same instant as the time moved on by the gap.
            var offset = zone.IsInvalidTime(local) ? zone.GetUtcOffset(local.AddDays(-1))
                : zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max()
                : zone.GetUtcOffset(local);
            var candidate = new DateTimeOffset(local, offset);
            if (candidate > after)
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("No next local time within three days.");
    }
}
