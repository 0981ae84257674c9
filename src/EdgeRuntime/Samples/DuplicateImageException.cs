namespace EdgeRuntime.Samples;

/// <summary>The same image bytes are already stored under a different label.</summary>
public sealed class DuplicateImageException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Conflict;

    public DuplicateImageException(Sample existing, string requestedLabel)
        : base(Describe(existing, requestedLabel))
    {
        ArgumentNullException.ThrowIfNull(existing);
        Existing = existing;
        RequestedLabel = requestedLabel;
    }

    /// <summary>The stored sample with these bytes.</summary>
    public Sample Existing { get; }

    /// <summary>The label the caller asked for.</summary>
    public string RequestedLabel { get; }

    private static string Describe(Sample existing, string requestedLabel)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"This image (SHA-256 {existing.ImageHash}) is already stored as sample {existing.Id} labeled '{existing.Label}'; it cannot also be labeled '{requestedLabel}'. Delete or relabel the existing sample first.");
    }
}
