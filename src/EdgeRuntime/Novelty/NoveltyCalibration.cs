using EdgeRuntime.Samples;

namespace EdgeRuntime.Novelty;

/// <summary>
/// Fits a head's novelty model on its stored samples and calibrates it by leave-one-class-out validation: each class
/// in turn plays the unseen object, a model of the other classes scores their holdout samples (known) and every sample
/// of the left-out class (novel). The best candidate by mean fold AUROC ships (unless one is asked for), with the
/// threshold that flags the target share of the pooled known samples. The drift monitor's embedding-shift threshold
/// comes from a separate by-sample validation (<see cref="ShiftThreshold"/>).
/// </summary>
public static class NoveltyCalibration
{
    /// <summary>Most folds of the by-sample validation the embedding-shift threshold comes from.</summary>
    public const int ShiftFolds = 10;

    /// <param name="train">Row-major training embeddings and labels 0..K−1.</param>
    /// <param name="holdout">Row-major holdout embeddings and labels (the known side of each fold).</param>
    /// <param name="falseRejectRate">Target share of known samples flagged, in (0, 0.5].</param>
    /// <param name="kind">The score to ship; null picks the best by validation AUROC.</param>
    public static (NoveltyModel Model, NoveltyReport Report) Calibrate(
        (float[] X, int[] Y) train, (float[] X, int[] Y) holdout, int dimension, int classCount, double falseRejectRate,
        NoveltyScoreKind? kind = null, int bankSize = 2048)
    {
        ArgumentNullException.ThrowIfNull(train.X);
        ArgumentNullException.ThrowIfNull(holdout.X);
        if (!(falseRejectRate is > 0 and <= 0.5))
        {
            throw new EdgeRuntimeException($"The unknown false-reject rate must be above 0 and at most 0.5, not {falseRejectRate}.");
        }

        if (classCount < 2)
        {
            throw new EdgeRuntimeException("Leave-one-class-out validation needs at least two classes.");
        }

        var kinds = Enum.GetValues<NoveltyScoreKind>();
        var known = kinds.ToDictionary(k => k, _ => new List<float>());
        var novel = kinds.ToDictionary(k => k, _ => new List<float>());
        var foldAuroc = kinds.ToDictionary(k => k, _ => new List<double>());
        for (int left = 0; left < classCount; left++)
        {
            var (foldX, foldY) = Select(train, dimension, y => y != left, y => y < left ? y : y - 1);
            var (knownX, knownY) = Select(holdout, dimension, y => y != left, y => y < left ? y : y - 1);
            var novelX = Select(train, dimension, y => y == left, y => y).X.Concat(Select(holdout, dimension, y => y == left, y => y).X).ToArray();
            if (knownY.Length == 0 || novelX.Length == 0 || foldY.Length < 2)
            {
                continue;
            }

            var model = NoveltyModel.Fit(foldX, foldY, dimension, classCount - 1, bankSize);
            foreach (var k in kinds)
            {
                var knownScores = model.ScoreAll(k, knownX);
                var novelScores = model.ScoreAll(k, novelX);
                known[k].AddRange(knownScores);
                novel[k].AddRange(novelScores);
                foldAuroc[k].Add(Auroc.Compute(knownScores, novelScores));
            }
        }

        if (foldAuroc[NoveltyScoreKind.Mahalanobis].Count == 0)
        {
            throw new EdgeRuntimeException("No leave-one-class-out fold had both holdout samples of the other classes and samples of the left-out class.");
        }

        var candidates = kinds.Select(k =>
        {
            var threshold = Auroc.ThresholdFor(known[k], falseRejectRate);
            return new NoveltyCandidate(k, foldAuroc[k].Average(), threshold, novel[k].Count(s => s >= threshold) / (double)novel[k].Count);
        }).ToList();
        var chosen = kind is { } asked ? candidates.Single(c => c.Kind == asked) : candidates.MaxBy(c => c.Auroc)!;
        var (allX, allY) = (train.X.Concat(holdout.X).ToArray(), train.Y.Concat(holdout.Y).ToArray());
        var final = NoveltyModel.Fit(allX, allY, dimension, classCount, bankSize);
        var residuals = ShiftResiduals(allX, allY, dimension, classCount, bankSize);
        var report = new NoveltyReport
        {
            Kind = chosen.Kind,
            Threshold = chosen.Threshold,
            FalseRejectTarget = falseRejectRate,
            ValidationAuroc = chosen.Auroc,
            Candidates = candidates,
            Folds = foldAuroc[NoveltyScoreKind.Mahalanobis].Count,
            KnownSamples = known[NoveltyScoreKind.Mahalanobis].Count,
            NovelSamples = novel[NoveltyScoreKind.Mahalanobis].Count,
            ShiftThreshold = Novelty.ShiftThreshold.From(residuals, residuals.Count),
        };
        return (final, report);
    }

    /// <summary>
    /// Calibrates a novelty model on the training set a head was trained on and stores it in the head's ONNX.
    /// Returns the head unchanged and the reason when the samples cannot be validated (e.g. a class without holdout).
    /// </summary>
    /// <param name="confidenceFloor">An operator's fixed confidence threshold, kept as a second "unknown" rule; 0 = off.</param>
    public static (byte[] HeadOnnx, NoveltyReport? Report, string? Problem) AttachTo(byte[] headOnnx, TrainingSet set, double falseRejectRate,
        NoveltyScoreKind? kind, float confidenceFloor)
    {
        ArgumentNullException.ThrowIfNull(set);
        try
        {
            var (model, report) = Calibrate((set.Train.X, set.Train.Y), (set.Holdout.X, set.Holdout.Y), set.Dimension, set.Labels.Count, falseRejectRate, kind);
            var detector = new NoveltyDetector(model, new NoveltySettings(report.Kind, report.Threshold, report.ShiftThreshold, confidenceFloor));
            return (NoveltyGraph.Attach(headOnnx, detector), report, null);
        }
        catch (EdgeRuntimeException ex)
        {
            return (headOnnx, null, ex.Message);
        }
    }

    /// <summary>
    /// Out-of-sample residuals of the model the drift monitor will use: every sample is scored by a model fit on all
    /// classes without it (k-fold by sample, k = min(<see cref="ShiftFolds"/>, N)), so the whitening is estimated from
    /// nearly the same samples as the final model's. (The leave-one-class-out fold models are fit on one class fewer
    /// and, on a small set, on half the samples: their residuals are on another scale than a live frame's.) A sample
    /// alone in its class is never held out: its class would vanish from the fold model.
    /// </summary>
    private static List<float> ShiftResiduals(float[] x, int[] y, int dimension, int classCount, int bankSize)
    {
        var counts = new int[classCount];
        var fold = new int[y.Length];
        int k = Math.Min(ShiftFolds, y.Length);
        for (int n = 0; n < y.Length; n++)
        {
            // Round robin within each class: every fold takes about the same share of each class.
            fold[n] = counts[y[n]]++ % k;
        }

        var residuals = new List<float>();
        for (int f = 0; f < k; f++)
        {
            var (inX, inY) = Select((x, y), dimension, i => fold[i] != f || counts[y[i]] < 2);
            var (outX, outY) = Select((x, y), dimension, i => fold[i] == f && counts[y[i]] >= 2);
            if (outY.Length == 0 || inY.Distinct().Count() < classCount)
            {
                continue;
            }

            residuals.AddRange(Residuals(NoveltyModel.Fit(inX, inY, dimension, classCount, bankSize), outX, outY));
        }

        return residuals;
    }

    /// <summary>‖P·φ(x) − P·μ_y‖² of each row to its own class: the per-frame size of the drift monitor's statistic.</summary>
    private static IEnumerable<float> Residuals(NoveltyModel model, float[] x, int[] y)
    {
        var z = new float[model.Dimension];
        for (int n = 0; n < y.Length; n++)
        {
            model.Score(NoveltyScoreKind.Mahalanobis, x.AsSpan(n * model.Dimension, model.Dimension), z);
            var mean = model.WhitenedMean(y[n]);
            float sum = 0;
            for (int j = 0; j < z.Length; j++)
            {
                sum += (z[j] - mean[j]) * (z[j] - mean[j]);
            }

            yield return sum;
        }
    }

    private static (float[] X, int[] Y) Select((float[] X, int[] Y) set, int dimension, Func<int, bool> keepRow)
    {
        var rows = Enumerable.Range(0, set.Y.Length).Where(keepRow).ToArray();
        var x = new float[rows.Length * dimension];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(set.X, rows[i] * dimension, x, i * dimension, dimension);
        }

        return (x, [.. rows.Select(i => set.Y[i])]);
    }

    private static (float[] X, int[] Y) Select((float[] X, int[] Y) set, int dimension, Func<int, bool> keep, Func<int, int> relabel)
    {
        var rows = Enumerable.Range(0, set.Y.Length).Where(i => keep(set.Y[i])).ToArray();
        var x = new float[rows.Length * dimension];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(set.X, rows[i] * dimension, x, i * dimension, dimension);
        }

        return (x, [.. rows.Select(i => relabel(set.Y[i]))]);
    }
}
