namespace EdgeRuntime.Samples;

/// <summary>How many samples a class has in each split.</summary>
public sealed record ClassCount(string Label, int Train, int Holdout)
{
    /// <summary>Train plus holdout.</summary>
    public int Total => Train + Holdout;
}
