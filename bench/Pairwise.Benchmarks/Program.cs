using BenchmarkDotNet.Running;

namespace Pairwise.Benchmarks;

public static class BenchmarkProgram
{
    public static async Task Main(string[] args)
    {
        if (args is ["seed-venture", var data, var count])
        {
            await SeedVenture.RunAsync(data, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
