using BenchmarkDotNet.Running;

namespace Pairwise.Benchmarks;

public static class BenchmarkProgram
{
    public static async Task Main(string[] args)
    {
        if (args is ["load", var target, var run, var users, var duration, .. var rest])
        {
            await LoadRun.RunAsync(new Uri(target), run, int.Parse(users, System.Globalization.CultureInfo.InvariantCulture), int.Parse(duration, System.Globalization.CultureInfo.InvariantCulture),
                timeline: rest is ["--timeline"]);
            return;
        }
        if (args is ["realtime", var url, var pid, var pairs, var idle, var rate, var seconds])
        {
            static int Int(string s) => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
            await RealtimeLoad.RunAsync(new Uri(url), Int(pid), Int(pairs), Int(idle), Int(rate), Int(seconds));
            return;
        }
        if (args is ["first-load", var site, var email, var password, var runs])
        {
            await FirstLoad.RunAsync(new Uri(site), email, password, int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
