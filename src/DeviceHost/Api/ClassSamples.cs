using EdgeRuntime.Samples;

namespace DeviceHost.Api;

/// <summary>One class's samples per split, as GET /classes and /status show them.</summary>
public sealed record ClassSamples(string Label, int Train, int Holdout)
{
    public static ClassSamples From(ClassCount count)
    {
        ArgumentNullException.ThrowIfNull(count);
        return new ClassSamples(count.Label, count.Train, count.Holdout);
    }
}
