namespace EdgeRuntime.Samples;

/// <summary>Whether a sample trains the head or is held out to evaluate it.</summary>
public enum SampleSplit
{
    /// <summary>Used for training.</summary>
    Train,

    /// <summary>Never trained on; used to evaluate heads.</summary>
    Holdout,
}
