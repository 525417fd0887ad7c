using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Pairwise.Ranking;

namespace Pairwise.Benchmarks;

/// <summary>
/// The similarity kernel over 100,000 built-in embeddings of 640 floats (256 MB, far beyond the caches),
/// against the machine's memory bandwidth measured in the same run: summing the same matrix,
/// which reads every byte once and does almost nothing else. A kernel within 2× of that is bound
/// by memory, not by arithmetic. The scalar loop shows what SIMD buys; the script-aware pass is what
/// the gigs feed runs (the dot product plus the row's model-part length, ADR 19).
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class KernelBenchmarks
{
    public const int Rows = 100_000;
    private float[] _matrix = null!;
    private float[] _query = null!;
    private float[] _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _matrix = new float[Rows * LocalEmbedder.Dimensions];
        for (var i = 0; i < _matrix.Length; i++)
        {
            _matrix[i] = (float)(random.NextDouble() - 0.5);
        }
        _query = LocalEmbedder.Embed("急需侍應，晚市 18:00-22:00");
        _output = new float[Rows];
    }

    [Benchmark(Baseline = true, Description = "memory bandwidth (sum of the matrix)")]
    public float ReadMatrix() => TensorPrimitives.Sum(_matrix);

    [Benchmark(Description = "similarity kernel (SIMD dot per row)")]
    public void Kernel() => SimilarityKernel.Similarities(_matrix, LocalEmbedder.Dimensions, _query, _output);

    [Benchmark(Description = "script-aware similarity (dot and share per row)")]
    public void ScriptAware() => LocalEmbedder.Similarities(_matrix, _query, _output);

    [Benchmark(Description = "scalar loop")]
    public void Scalar() => SimilarityKernel.SimilaritiesScalar(_matrix, LocalEmbedder.Dimensions, _query, _output);
}
