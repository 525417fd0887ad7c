using Pairwise.Markets;

namespace Pairwise.Ranking;

/// <summary>
/// The gigs recipe (seed 001), exactly: 50 × semantic similarity + 30 × district match + 20 ×
/// rate compatibility, where rate compatibility is 0 below the worker's minimum (filtered out),
/// 1 at or above their maximum, and linear between. Filters: similarity at least 0.6; workers
/// available, active within 7 days, at most 30% bad ratings.
/// </summary>
public sealed class GigsRecipe(RankingModel model) : Recipe
{
    private readonly float _similarity = (float)model.Market.Scoring.Weight(ScoringWeights.Similarity);
    private readonly float _district = (float)model.Market.Scoring.Weight(ScoringWeights.District);
    private readonly float _rate = (float)model.Market.Scoring.Weight(ScoringWeights.Rate);
    private readonly float _minSimilarity = (float)model.Market.Scoring.Weight(ScoringWeights.MinSimilarity);
    private readonly float _activeDays = (float)model.Market.Scoring.Weight(ScoringWeights.ActiveWithinDays);
    private readonly float _maxBadRatio = (float)model.Market.Scoring.Weight(ScoringWeights.MaxBadRatio);
    private readonly float _hoursFloor = (float)model.Market.Scoring.Weight(ScoringWeights.HoursFloor);

    public override string Name => "gigs";

    public override float Scale => _similarity + _district + _rate;

    /// <summary>
    /// How well a shift's length fits the worker's preferred hours: 1 within them, falling linearly to
    /// <paramref name="floor"/> once it is as far outside as the shorter preference is long; null
    /// (no effect) when either side says nothing.
    /// </summary>
    public static float? HoursFit(float duration, float min, float max, float floor)
    {
        if (float.IsNaN(duration) || (float.IsNaN(min) && float.IsNaN(max)))
        {
            return null;
        }
        var low = float.IsNaN(min) ? 0 : min;
        var high = float.IsNaN(max) ? float.PositiveInfinity : max;
        var distance = duration < low ? low - duration : duration > high ? duration - high : 0;
        return 1 - ((1 - floor) * Math.Min(1, distance / Math.Max(1, float.IsNaN(min) ? max : min)));
    }

    public override bool UsesEmbeddings => true;

    /// <summary>The seed's rate compatibility, 0–1; null when the rate is below the worker's minimum.</summary>
    /// <summary>The rate line of an explanation: true to the numbers (a rate above the range says so).</summary>
    public static string RateWords(float jobRate, float min, float max, string whose) =>
        float.IsNaN(min) ? $"pays {jobRate:0.#} an hour; {whose} range is not stated"
        : !float.IsNaN(max) && jobRate > max ? $"pays {jobRate:0.#} an hour, above {whose} {min:0.#}–{max:0.#} range"
        : float.IsNaN(max) ? $"pays {jobRate:0.#} an hour, at least {whose} minimum of {min:0.#}"
        : $"pays {jobRate:0.#} an hour, within {whose} {min:0.#}–{max:0.#} range";

    public static float? RateScore(float jobRate, float min, float max)
    {
        if (float.IsNaN(jobRate))
        {
            return null;
        }
        if (float.IsNaN(min))
        {
            return 1;
        }
        if (jobRate < min)
        {
            return null;
        }
        return jobRate >= max || max <= min ? 1 : (jobRate - min) / (max - min);
    }

    private sealed record State(bool ViewerIsWorker, int Status, int Available, int RateMin, int RateMax, int Rate, int District, int Districts, int MinHours, int MaxHours, int Duration);

    public override object Prepare(Viewer viewer)
    {
        var viewerIsWorker = viewer.Side.Presentation == Presentation.Card;
        var workerSide = viewerIsWorker ? viewer.Side : viewer.Counterpart;
        var jobSide = viewerIsWorker ? viewer.Counterpart : viewer.Side;
        var worker = model.Profile(workerSide);
        var job = model.Cards(jobSide);
        return new State(viewerIsWorker, worker.Code("status"), worker.ValueCode("status", "available"),
            worker.Number("hourlyRateRange.min"), worker.Number("hourlyRateRange.max"), job.Number("hourlyRate"), job.Code("district"), worker.Set("preferredDistricts"),
            worker.Number("pref.minHours"), worker.Number("pref.maxHours"), job.Number("durationHours"));
    }

    public override float Score(Viewer viewer, Columns columns, int row, float similarity, Explanation? explain)
    {
        var state = (State)viewer.State!;
        // Whoever is looking, one side is the worker and the other the job.
        FeatureView worker, job;
        if (state.ViewerIsWorker)
        {
            worker = viewer.Features;
            job = columns.Features(row);
        }
        else
        {
            if (viewer.Listing is not { } listing)
            {
                return float.NaN;
            }
            job = listing;
            worker = columns.Features(row);
            if (worker.Code(state.Status) != state.Available
                || Days(viewer.Now - columns.LastActive[row]) > _activeDays
                || columns.BadRatio[row] > _maxBadRatio)
            {
                return float.NaN;
            }
        }
        if (similarity < _minSimilarity)
        {
            return float.NaN;
        }
        var rate = RateScore(job.Number(state.Rate),
            state.RateMin < 0 ? float.NaN : worker.Number(state.RateMin), state.RateMax < 0 ? float.NaN : worker.Number(state.RateMax));
        if (rate is not { } rateScore)
        {
            return float.NaN;
        }
        var district = job.Code(state.District);
        var districtMatch = district >= 0 && state.Districts >= 0 && (worker.Set(state.Districts) & (1UL << district)) != 0 ? 1f : 0f;
        if (explain is not null)
        {
            // In words, from the very numbers scored: what the job asks against what the worker says.
            var whose = state.ViewerIsWorker ? "your" : "the worker's";
            explain.Feature("similarity", similarity, _similarity, similarity >= 0.75f
                ? $"the job is close to {whose} experience and the work wanted"
                : $"the job is related to {whose} experience and the work wanted",
                viewer.RemoteEmbedding is not null && columns.RemoteDimensions > 0 && columns.HasRemote[row]
                    ? $"cosine {similarity:0.###} of the job text and the worker's description (embedding model)"
                    : $"calibrated cosine {similarity:0.###} of the job text and the worker's description (built-in embedder)");
            explain.Feature("district", districtMatch, _district, districtMatch > 0 ? $"in one of {whose} preferred districts" : $"not in {whose} preferred districts");
            explain.Feature("rate", rateScore, _rate, RateWords(job.Number(state.Rate), state.RateMin < 0 ? float.NaN : worker.Number(state.RateMin),
                state.RateMax < 0 ? float.NaN : worker.Number(state.RateMax), whose));
        }
        var duration = state.Duration < 0 ? float.NaN : job.Number(state.Duration);
        var min = state.MinHours < 0 ? float.NaN : worker.Number(state.MinHours);
        var max = state.MaxHours < 0 ? float.NaN : worker.Number(state.MaxHours);
        var hours = HoursFit(duration, min, max, _hoursFloor) ?? 1;
        if (explain is not null && hours < 1)
        {
            explain.Multiplier("hours", hours, $"a {duration:0.#} h shift; the worker prefers {(float.IsNaN(min) ? "up to " : $"{min:0.#}")}{(float.IsNaN(min) || float.IsNaN(max) ? "" : "–")}{(float.IsNaN(max) ? "+" : $"{max:0.#}")} h");
        }
        return Blend(viewer, columns, row, (_similarity * similarity) + (_district * districtMatch) + (_rate * rateScore), explain) * hours;
    }
}
