namespace EdgeRuntime.Training;

/// <summary>
/// Picks the confidence threshold below which a prediction is reported as "unknown".
/// </summary>
public static class UnknownRejection
{
    /// <summary>Never reject more confidently than this: some correct predictions always sit near 1.</summary>
    public const float MaximumThreshold = 0.99f;

    /// <summary>
    /// Returns the largest threshold τ such that at least <paramref name="keepFraction"/> of the CORRECT holdout
    /// predictions have top probability ≥ τ (so accepting "max probability ≥ τ" loses at most 1 - keepFraction of the
    /// correct answers), clamped to [max(1/K, 0.05), <see cref="MaximumThreshold"/>]: below chance level (1/K) a
    /// threshold rejects nothing. With no correct holdout prediction the lower bound is returned.
    /// </summary>
    /// <param name="probabilities">Holdout probabilities, row-major [N,K].</param>
    /// <param name="labels">True holdout labels [N].</param>
    /// <param name="classCount">K.</param>
    /// <param name="keepFraction">Fraction of correct predictions to keep, in (0, 1]; 0.95 by default.</param>
    public static float ChooseThreshold(float[] probabilities, int[] labels, int classCount, double keepFraction = 0.95)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (classCount < 2 || probabilities.Length != (long)labels.Length * classCount)
        {
            throw new EdgeRuntimeException($"Holdout probabilities must be {labels.Length} × {classCount} values with at least 2 classes; got {probabilities.Length} values.");
        }

        if (!(keepFraction > 0 && keepFraction <= 1))
        {
            throw new EdgeRuntimeException($"The fraction of correct predictions to keep must be in (0, 1], not {keepFraction}.");
        }

        var minimum = Math.Max(1f / classCount, 0.05f);
        var confidences = new List<float>();
        for (var n = 0; n < labels.Length; n++)
        {
            var row = probabilities.AsSpan(n * classCount, classCount);
            var predicted = 0;
            for (var k = 1; k < classCount; k++)
            {
                predicted = row[k] > row[predicted] ? k : predicted;
            }

            if (predicted == labels[n])
            {
                confidences.Add(row[predicted]);
            }
        }

        if (confidences.Count == 0)
        {
            return minimum;
        }

        confidences.Sort();

        // Sorted ascending, accepting ≥ confidences[i] keeps Count - i of them; the largest i keeping enough wins.
        var index = confidences.Count - (int)Math.Ceiling((keepFraction * confidences.Count) - 1e-9);
        return Math.Clamp(confidences[index], minimum, MaximumThreshold);
    }
}
