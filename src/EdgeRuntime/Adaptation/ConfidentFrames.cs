using System.Numerics;

namespace EdgeRuntime.Adaptation;

/// <summary>
/// The frames a head is confident on and the class it gives each: the pseudo-labels of an adaptation round. One rule
/// for every head kind, so the softmax round and the few-shot round choose frames alike.
/// </summary>
internal static class ConfidentFrames
{
    /// <param name="probabilities">One row of <paramref name="classes"/> probabilities per frame.</param>
    /// <param name="confidence">The smallest top probability a frame needs to be taken.</param>
    /// <returns>The indices of the frames taken, in order, and each one's most probable class.</returns>
    public static (List<int> Frames, List<int> Labels) Pick<T>(ReadOnlySpan<T> probabilities, int classes, double confidence)
        where T : IFloatingPoint<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        // Compared in the probabilities' own precision: 0.9f is a confident frame at a confidence of 0.9.
        var threshold = T.CreateChecked(confidence);
        var frames = new List<int>();
        var labels = new List<int>();
        for (int n = 0; n < probabilities.Length / classes; n++)
        {
            var row = probabilities.Slice(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            if (row[best] >= threshold)
            {
                frames.Add(n);
                labels.Add(best);
            }
        }

        return (frames, labels);
    }
}
