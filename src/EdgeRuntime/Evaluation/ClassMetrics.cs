namespace EdgeRuntime.Evaluation;

/// <summary>Precision, recall and F1 of one class, with the counts they come from.</summary>
public sealed record ClassMetrics
{
    /// <summary>Class name, as in <see cref="ClassificationMetrics.ClassNames"/>.</summary>
    public required string Name { get; init; }

    /// <summary>Samples whose true label is this class (including those answered "unknown").</summary>
    public required int Support { get; init; }

    /// <summary>Samples predicted as this class, whatever their true label.</summary>
    public required int Predicted { get; init; }

    /// <summary>Samples of this class predicted as this class.</summary>
    public required int TruePositives { get; init; }

    /// <summary>Samples of this class for which the head answered "unknown".</summary>
    public required int Unknown { get; init; }

    /// <summary>TruePositives / Predicted; 0 when the class was never predicted.</summary>
    public required double Precision { get; init; }

    /// <summary>TruePositives / Support; an "unknown" answer counts as a miss. 0 when Support is 0.</summary>
    public required double Recall { get; init; }

    /// <summary>Harmonic mean of precision and recall; 0 when both are 0.</summary>
    public required double F1 { get; init; }
}
