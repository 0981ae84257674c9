namespace EdgeRuntime.Quantization;

/// <summary>Compares int8 with fp32 embeddings of the same images: cosine per image and the active head's choices.</summary>
internal static class ParityCheck
{
    /// <summary>
    /// Embeddings of different real scenes sit well below this cosine to their mean; images above it are one picture
    /// (black frames, a static test card), on which int8 and fp32 can agree while int8 is useless for anything else.
    /// </summary>
    private const double AlikeCosine = 0.98;

    /// <summary>Median cosine of each embedding to the mean embedding: near 1 when the images are all alike.</summary>
    public static double Diversity(float[] embeddings, int dimension)
    {
        int n = embeddings.Length / dimension;
        if (n < 2)
        {
            return 0;
        }

        var mean = new float[dimension];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < dimension; k++)
            {
                mean[k] += embeddings[(i * dimension) + k] / n;
            }
        }

        var cosines = new double[n];
        for (int i = 0; i < n; i++)
        {
            cosines[i] = Cosine(embeddings.AsSpan(i * dimension, dimension), mean);
        }

        Array.Sort(cosines);
        return cosines[n / 2];
    }

    public static ParityReport Compare(CalibrationMethod method, float[] fp32, float[] int8, int dimension, Func<float[], int, HeadChoices?>? head, QuantizationOptions options, double diversity)
    {
        int n = fp32.Length / dimension;
        var cosines = new double[n];
        var before = head?.Invoke(fp32, dimension);
        var after = before is null ? null : head!(int8, dimension);
        int agree = 0;
        for (int i = 0; i < n; i++)
        {
            var a = fp32.AsSpan(i * dimension, dimension);
            var b = int8.AsSpan(i * dimension, dimension);
            cosines[i] = Cosine(a, b);
            if (before is not null && after is not null)
            {
                agree += before.Classes[i] == after.Classes[i] ? 1 : 0;
            }
        }

        Array.Sort(cosines);
        double median = n == 0 ? 0 : n % 2 == 1 ? cosines[n / 2] : (cosines[(n / 2) - 1] + cosines[n / 2]) / 2;
        double? agreement = before is null || after is null || n == 0 ? null : (double)agree / n;
        string? failure = null;
        if (diversity > AlikeCosine)
        {
            failure = $"the held-back images are all alike (median cosine to their mean {diversity:F4}), as from a covered lens; parity on them proves nothing";
        }
        else if (!(median >= options.MinimumCosine))
        {
            failure = $"median cosine int8 vs fp32 {median:F4} is below {options.MinimumCosine:F2}";
        }
        else if (agreement < options.MinimumHeadAgreement)
        {
            failure = $"the active head agrees on {agreement:P1} of held-back images, below {options.MinimumHeadAgreement:P0}";
        }

        return new ParityReport(method, n, median, n == 0 ? 0 : cosines[0], agreement, before?.Version, failure is null, failure);
    }

    internal static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.Length; k++)
        {
            dot += (double)a[k] * b[k];
            na += (double)a[k] * a[k];
            nb += (double)b[k] * b[k];
        }

        // Two all-zero embeddings are the same embedding; one all-zero against another is as different as it gets.
        return na == 0 && nb == 0 ? 1 : na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
