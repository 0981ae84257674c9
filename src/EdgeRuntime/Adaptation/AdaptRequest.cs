using EdgeRuntime.Heads;

namespace EdgeRuntime.Adaptation;

/// <summary>Unlabelled frames from the new field and who asks.</summary>
/// <param name="Frames">Row-major raw backbone embeddings of the frames.</param>
/// <param name="Source">"folder" or "live", recorded.</param>
/// <param name="Coral">Overrides <see cref="AdaptationOptions.Coral"/>.</param>
/// <param name="Force">Activate even when the gate says no.</param>
public sealed record AdaptRequest(float[] Frames, string Source, bool? Coral = null, bool Force = false)
{
    public HeadTriggerSource Trigger { get; init; } = HeadTriggerSource.Api;

    public string? User { get; init; }

    public string? Note { get; init; }

    /// <summary>Images the folder held, when the frames are a capped choice of them (recorded in the evidence).</summary>
    public int? ImagesFound { get; init; }
}
