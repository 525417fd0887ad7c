using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pairwise.Platform;

/// <summary>
/// Our own metrics and traces (OpenTelemetry names; Prometheus shows them as <c>pairwise_…</c>):
/// how long feeds and batch scoring take, how many matches, messages and e-mails happen, and how
/// many writes each SQLite commit holds.
/// </summary>
public static class Telemetry
{
    public const string Name = "Pairwise";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> FeedDuration = Meter.CreateHistogram<double>("pairwise.feed.duration", "s", "Time to rank and explain one feed page",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    public static readonly Histogram<double> ScoringDuration = Meter.CreateHistogram<double>("pairwise.scoring.duration", "s", "Time of one market's daily batch scoring");
    public static readonly Counter<long> Matches = Meter.CreateCounter<long>("pairwise.matches", description: "Matches made");
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("pairwise.messages", description: "Messages stored");
    public static readonly Counter<long> Emails = Meter.CreateCounter<long>("pairwise.emails", description: "E-mails handed to the transport, by outcome");
    public static readonly Histogram<int> StoreCommitSize = Meter.CreateHistogram<int>("pairwise.store.commit.size", "{write}", "Writes committed together by one SQLite commit",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
    public static readonly Histogram<double> StoreCommitDuration = Meter.CreateHistogram<double>("pairwise.store.commit.duration", "s",
        "Time of one SQLite group commit, from its first write to the end of its fsync",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1] });
}
