namespace EdgeRuntime.Novelty;

/// <summary>A head's novelty model with the settings that turn its score into "unknown". Immutable.</summary>
public sealed record NoveltyDetector(NoveltyModel Model, NoveltySettings Settings)
{
    /// <summary>Whether a frame with this novelty and top probability is "unknown".</summary>
    public bool IsUnknown(float novelty, float confidence) =>
        novelty >= Settings.Threshold || confidence < Settings.ConfidenceFloor || float.IsNaN(novelty);
}
