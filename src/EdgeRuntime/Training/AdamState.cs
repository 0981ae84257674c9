namespace EdgeRuntime.Training;

/// <summary>AdamW moments per parameter (same order and sizes as the parameters) and the number of updates done.</summary>
public sealed record AdamState(IReadOnlyList<float[]> FirstMoments, IReadOnlyList<float[]> SecondMoments, long Step)
{
    /// <summary>Zero moments for a fresh optimizer.</summary>
    public static AdamState Zero(HeadShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var count = shape.ParameterNames.Count;
        return new AdamState(
            [.. Enumerable.Range(0, count).Select(i => new float[shape.ParameterLength(i)])],
            [.. Enumerable.Range(0, count).Select(i => new float[shape.ParameterLength(i)])],
            0);
    }
}
