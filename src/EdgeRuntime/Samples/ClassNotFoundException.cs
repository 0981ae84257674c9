namespace EdgeRuntime.Samples;

/// <summary>No sample has the given label.</summary>
public sealed class ClassNotFoundException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.NotFound;

    public ClassNotFoundException(string label)
        : base($"There is no class labeled '{label}'.")
    {
        Label = label;
    }

    /// <summary>The label looked for.</summary>
    public string Label { get; }
}
