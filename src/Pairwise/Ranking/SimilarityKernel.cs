using System.Numerics.Tensors;

namespace Pairwise.Ranking;

/// <summary>
/// Cosine similarity of one normalised query against every row of a contiguous matrix of
/// normalised vectors: a dot product per row with SIMD, streaming the matrix once, so its speed is
/// bounded by memory bandwidth (see bench/ for the measured ratio).
/// </summary>
public static class SimilarityKernel
{
    public static void Similarities(ReadOnlySpan<float> matrix, int dimensions, ReadOnlySpan<float> query, Span<float> output)
    {
        for (var row = 0; row < output.Length; row++)
        {
            output[row] = TensorPrimitives.Dot(matrix.Slice(row * dimensions, dimensions), query);
        }
    }

    /// <summary>The same computation one multiply at a time: the baseline the benchmark compares against.</summary>
    public static void SimilaritiesScalar(ReadOnlySpan<float> matrix, int dimensions, ReadOnlySpan<float> query, Span<float> output)
    {
        for (var row = 0; row < output.Length; row++)
        {
            var offset = row * dimensions;
            var sum = 0f;
            for (var i = 0; i < dimensions; i++)
            {
                sum += matrix[offset + i] * query[i];
            }
            output[row] = sum;
        }
    }
}
