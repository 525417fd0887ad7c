using System.CommandLine;
using Pairwise.Accounts;
using Pairwise.Ranking;
using Pairwise.Storage;
using Spectre.Console;

namespace Pairwise.Cli;

/// <summary>
/// The operator's commands. Each builds the same application as the server (same configuration:
/// appsettings, environment, and any <c>--Key=value</c> after the command) without listening,
/// does its work on the same store, and exits: 0 on success, 1 with one line on stderr if not.
/// </summary>
public static class PairwiseCli
{
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>(StringComparer.Ordinal) { "db", "seed", "score", "evaluate", "export", "backup", "restore", "users", "shops", "--help", "-h", "--version" };

    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> build)
    {
        var root = new RootCommand("Pairwise, a two-sided matching platform. `pairwise` (or `pairwise serve`) runs the server, `pairwise worker --connectors bluesky,feeds` a connector worker; these commands operate on its data.");

        var init = new Command("init", "Creates the store and the token signing key; safe to repeat.");
        init.SetAction((parse, ct) => WithAppAsync(parse, build, "db init", async app =>
        {
            await app.Services.InitializeStoreAsync(ct);
            await app.Services.GetRequiredService<TokenService>().InitializeAsync();
            var store = app.Services.GetRequiredService<IItemStore>();
            Console.WriteLine($"store ready: {store}");
        }));
        var db = new Command("db", "The store.") { init };

        var market = new Option<string>("--market") { Description = "The market (venture, gigs, marketplace, or one of yours).", Required = true };
        var profilesOption = new Option<int>("--profiles") { Description = "How many profiles, spread over the market's sides (each with a verified user).", DefaultValueFactory = _ => 100 };
        var listingsOption = new Option<int>("--listings") { Description = "How many listings, for the sides that own them.", DefaultValueFactory = _ => 0 };
        var side = new Option<string?>("--side") { Description = "Only this side." };
        var seedValue = new Option<int>("--seed") { Description = "The random seed (same seed, same data shape).", DefaultValueFactory = _ => 1 };
        var swipesOption = new Option<int>("--swipes") { Description = "How many swipes the market's seeded members make on each other (card markets), through the real swipe path.", DefaultValueFactory = _ => 0 };
        var followsOption = new Option<int>("--follows") { Description = "Social data: every member follows the market's first profile, the first hundred also this many random ones.", DefaultValueFactory = _ => 0 };
        var postsOption = new Option<int>("--posts") { Description = "Social data: posts each profile publishes.", DefaultValueFactory = _ => 0 };
        var seed = new Command("seed", "Adds realistic demo data to a market.") { market, profilesOption, listingsOption, side, seedValue, swipesOption, followsOption, postsOption };
        seed.SetAction((parse, ct) => WithAppAsync(parse, build, "seed", async app =>
        {
            var (profiles, listings) = (parse.GetValue(profilesOption), parse.GetValue(listingsOption));
            if (profiles < 0 || listings < 0 || profiles > 10_000_000 || listings > 10_000_000 || parse.GetValue(swipesOption) is < 0 or > 10_000_000)
            {
                throw new ArgumentException("--profiles, --listings and --swipes are 0–10,000,000.");
            }
            SeedSummary? summary = null;
            using var bulk = (app.Services.GetRequiredService<IItemStore>() as IBulkLoadingStore)?.BulkLoad();
            await Bar(async progress => summary = await app.Services.GetRequiredService<Seeder>().SeedAsync(
                parse.GetValue(market)!, profiles, listings, parse.GetValue(side), parse.GetValue(seedValue), progress, ct));
            Console.WriteLine($"seeded {summary!.Market}: {string.Join(", ", summary.ProfilesBySide.Select(s => $"{s.Value} {s.Key}"))} profiles, {summary.Cards} cards, "
                + $"{summary.Listings} listings in {summary.Took.TotalSeconds:F1} s");
            if (summary.Note is { } note)
            {
                Console.WriteLine(note);
            }
            if (parse.GetValue(swipesOption) > 0)
            {
                var made = 0;
                await Bar(async progress => made = await app.Services.GetRequiredService<SwipeSeeder>().SeedAsync(parse.GetValue(market)!, parse.GetValue(swipesOption), parse.GetValue(seedValue), progress, ct));
                Console.WriteLine($"seeded {made} swipes in {summary.Market}");
            }
            if (parse.GetValue(followsOption) is > 0 or < 0 || parse.GetValue(postsOption) is > 0 or < 0)
            {
                if (parse.GetValue(followsOption) is < 0 or > 1000 || parse.GetValue(postsOption) is < 0 or > 1000)
                {
                    throw new ArgumentException("--follows and --posts are 0–1,000.");
                }
                SocialSeedSummary? social = null;
                await Bar(async progress => social = await app.Services.GetRequiredService<SocialSeeder>().SeedAsync(
                    parse.GetValue(market)!, parse.GetValue(followsOption), parse.GetValue(postsOption), parse.GetValue(seedValue), progress, ct));
                Console.WriteLine($"seeded {social!.Follows} follows and {social.Posts} posts in {summary.Market}; the most followed profile is {social.PopularProfileId} ({social.PopularEmail}); a reader: {social.ReaderEmail}");
            }
            if (summary.SampleEmail.Length > 0)
            {
                Console.WriteLine($"log in as any seeded user, e.g. {summary.SampleEmail}, with the password \"{Seeder.Password}\"");
            }
        }));

        var score = new Command("score", "Runs the daily batch scoring of a market now.") { market, side };
        score.SetAction((parse, ct) => WithAppAsync(parse, build, "score", async app =>
        {
            await app.Services.GetRequiredService<IndexMaintainer>().LoadAllAsync(ct);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (await app.Services.GetRequiredService<Learner>().FitAsync(parse.GetValue(market)!, ct) is { } fitted)
            {
                Console.WriteLine($"fitted the learned term on {fitted.FittedOn} swipes: {EvaluationTable.Describe(fitted)}");
            }
            var scored = 0;
            await Bar(async progress => scored = await app.Services.GetRequiredService<BatchScorer>().ScoreBatchAsync(parse.GetValue(market)!, ct,
                new ProgressOf(p => progress.Report(("profiles scored", p.Done, p.Total))), parse.GetValue(side)));
            Console.WriteLine($"scored {scored} profiles in {parse.GetValue(market)} in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        }));

        var split = new Option<double>("--split") { Description = "The share of the swipes, oldest first, that the signals are rebuilt from; the rest are predicted.", DefaultValueFactory = _ => Learner.EarlierShare };
        var k = new Option<int>("--k") { Description = "How many top cards precision@k counts.", DefaultValueFactory = _ => 5 };
        var evaluate = new Command("evaluate", "Replays a market's swipes: signals from the earlier ones, each viewer's later candidates ranked; prints AUC and precision@k for likes and matches, learned against content-only and random orders.") { market, split, k };
        evaluate.SetAction((parse, ct) => WithAppAsync(parse, build, "evaluate", async app =>
        {
            if (parse.GetValue(split) is < 0.05 or > 0.95 || parse.GetValue(k) is < 1 or > 100)
            {
                throw new ArgumentException("--split is 0.05–0.95 and --k is 1–100.");
            }
            await app.Services.GetRequiredService<IndexMaintainer>().LoadAllAsync(ct);
            var set = await app.Services.GetRequiredService<LearningEvaluator>().PrepareAsync(parse.GetValue(market)!, parse.GetValue(split), ct)
                ?? throw new ArgumentException($"There is no market '{parse.GetValue(market)}'.");
            var index = app.Services.GetRequiredService<CandidateIndexes>().For(set.Market)!;
            Console.Write(EvaluationTable.Render(set, index.Learned, parse.GetValue(k)));
        }));

        var output = new Option<string>("--out") { Description = "The folder to write to.", Required = true };
        var export = new Command("export", "Writes a market's profiles, listings, swipes and matches as Parquet and CSV.") { market, output };
        export.SetAction((parse, ct) => WithAppAsync(parse, build, "export", async app =>
        {
            var summary = await app.Services.GetRequiredService<Exporter>().ExportAsync(parse.GetValue(market)!, parse.GetValue(output)!, new Progress<string>(Console.Error.WriteLine), ct);
            Console.WriteLine($"exported {summary.Profiles} profiles, {summary.Listings} listings, {summary.Swipes} swipes, {summary.Matches} matches to {Path.GetFullPath(parse.GetValue(output)!)}");
        }));

        var file = new Option<string>("--out") { Description = "The backup file to write.", Required = true };
        var backup = new Command("backup", "Writes a consistent copy of the SQLite store, even while the server writes.") { file };
        backup.SetAction((parse, ct) => WithAppAsync(parse, build, "backup", async app =>
        {
            await Backups(app, "backup").BackupAsync(parse.GetValue(file)!, ct);
            Console.WriteLine($"backed up to {Path.GetFullPath(parse.GetValue(file)!)} ({new FileInfo(parse.GetValue(file)!).Length / 1024} KB)");
        }));

        var source = new Argument<string>("file") { Description = "A file written by pairwise backup." };
        var restore = new Command("restore", "Replaces the store's data with a backup. Stop the server first.") { source };
        restore.SetAction((parse, ct) => WithAppAsync(parse, build, "restore", async app =>
        {
            if (!File.Exists(parse.GetValue(source)))
            {
                throw new FileNotFoundException($"There is no file '{parse.GetValue(source)}'.");
            }
            await Backups(app, "restore").RestoreAsync(parse.GetValue(source)!, ct);
            Console.WriteLine($"restored from {Path.GetFullPath(parse.GetValue(source)!)}");
        }));

        var users = new Command("users", "Accounts: disable, enable, reset-verification.");
        foreach (var (name, description, change) in new (string, string, Func<UserRecord, UserRecord>)[]
        {
            ("disable", "Stops an account from logging in or refreshing.", u => u with { Disabled = true }),
            ("enable", "Lets a disabled account log in again.", u => u with { Disabled = false }),
            ("reset-verification", "Marks the e-mail and phone unverified, so the user proves them again.", u => u with { EmailVerified = false, PhoneVerified = false }),
        })
        {
            var email = new Argument<string>("email") { Description = "The account's e-mail address." };
            var command = new Command(name, description) { email };
            command.SetAction((parse, ct) => WithAppAsync(parse, build, $"users {name}", async app =>
            {
                var users = app.Services.GetRequiredService<UserStore>();
                var address = parse.GetValue(email)!.Trim().ToLowerInvariant();
                var userId = (await users.FindByEmailAsync(address, ct))?.Record.Id
                    ?? throw new ArgumentException($"There is no account with the e-mail address '{address}'.");
                await users.UpdateAsync(userId, change, ct);
                if (name == "disable")
                {
                    // Its tokens stop at once and its open connections close, on every node.
                    await app.Services.GetRequiredService<Sessions>().EndAllAsync(userId, "account disabled", ct);
                }
                Console.WriteLine($"{name}: {address} ({userId})");
            }));
            users.Subcommands.Add(command);
        }

        var shops = new Command("shops", "Verified shops: approve or reject an account's pending request.");
        foreach (var (name, approve) in new[] { ("approve", true), ("reject", false) })
        {
            var email = new Argument<string>("email") { Description = "The account's e-mail address." };
            var command = new Command(name, $"{(approve ? "Approves" : "Rejects")} the account's newest pending shop verification.") { email };
            command.SetAction((parse, ct) => WithAppAsync(parse, build, $"shops {name}", async app =>
            {
                var address = parse.GetValue(email)!.Trim().ToLowerInvariant();
                var userId = (await app.Services.GetRequiredService<UserStore>().FindByEmailAsync(address, ct))?.Record.Id
                    ?? throw new ArgumentException($"There is no account with the e-mail address '{address}'.");
                var verifications = app.Services.GetRequiredService<ShopVerifications>();
                var request = await verifications.PendingOfAsync(userId, ct) ?? throw new ArgumentException($"'{address}' has no pending shop verification.");
                var outcome = await verifications.DecideAsync(request, approve, approve ? null : "Rejected by an operator.", ct);
                Console.WriteLine($"{(outcome.Status == ShopVerificationStatus.Done ? outcome.Request!.State : outcome.Detail)}: {address} ({request})");
            }));
            shops.Subcommands.Add(command);
        }

        foreach (var command in new[] { db, seed, score, evaluate, export, backup, restore, users, shops })
        {
            root.Subcommands.Add(command);
        }
        foreach (var command in new[] { init, seed, score, export, backup, restore }.Concat(users.Subcommands).Concat(shops.Subcommands))
        {
            // Anything else (--Pairwise:DataDirectory=…) is configuration, as for the server.
            command.TreatUnmatchedTokensAsErrors = false;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"pairwise: {parsed.Errors[0].Message} (see pairwise {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')))} --help)");
            return 2;
        }
        return await parsed.InvokeAsync();
    }

    private static async Task<int> WithAppAsync(ParseResult parse, Func<string[], WebApplication> build, string name, Func<WebApplication, Task> work)
    {
        try
        {
            await using var app = build([.. parse.UnmatchedTokens, "--Pairwise:BackgroundJobs=false"]);
            await work(app);
            // The app's hosted services do not run here: counters of what the command did are added now.
            if (app.Services.GetService<Observability.Stats>() is { } stats)
            {
                await stats.FlushAsync(CancellationToken.None);
            }
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or UnauthorizedAccessException
            or Microsoft.Data.Sqlite.SqliteException or Markets.MarketDefinitionException)
        {
            await Console.Error.WriteLineAsync($"pairwise {name}: {e.Message}");
            return 1;
        }
    }

    private static IBackupStore Backups(WebApplication app, string what) =>
        app.Services.GetRequiredService<IItemStore>() as IBackupStore
        ?? throw new InvalidOperationException($"{what} works on the SQLite engine; on DynamoDB use point-in-time recovery and on-demand backups (docs/operations.md).");

    /// <summary>A progress bar on an interactive terminal; a line now and then otherwise.</summary>
    private static async Task Bar(Func<IProgress<(string Stage, int Done, int Total)>, Task> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            var last = 0L;
            await work(new SynchronousProgress(p =>
            {
                var now = Environment.TickCount64;
                if (p.Done == p.Total || now - last > 2000)
                {
                    last = now;
                    Console.Error.WriteLine($"{p.Stage}: {p.Done}/{p.Total}");
                }
            }));
            return;
        }
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                await work(new SynchronousProgress(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task))
                    {
                        tasks[p.Stage] = task = context.AddTask(p.Stage, maxValue: Math.Max(1, p.Total));
                    }
                    task.Value = p.Done;
                }));
            });
    }

    /// <summary>Passes each report on at once, on the reporting thread.</summary>
    private sealed class ProgressOf(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }

    /// <summary>Reports on the caller's thread (the bar redraws on its own), one report at a time: the batch reports from every core.</summary>
    private sealed class SynchronousProgress(Action<(string Stage, int Done, int Total)> report) : IProgress<(string Stage, int Done, int Total)>
    {
        private readonly Lock _gate = new();

        public void Report((string Stage, int Done, int Total) value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
