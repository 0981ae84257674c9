namespace DeviceHost.Pipeline;

/// <summary>The camera loop. Bound from the <c>Pipeline</c> section.</summary>
public sealed class PipelineOptions
{
    /// <summary>Frame source address: auto, /dev/video0, rtsp://..., file:///x.mp4?loop=true, folder:///dir, synthetic:?scene=blobs, gst:...</summary>
    public string Source { get; set; } = "auto";

    /// <summary>Best classes reported with each prediction.</summary>
    public int TopK { get; set; } = 3;

    /// <summary>Predictions kept for GET /predictions.</summary>
    public int HistorySize { get; set; } = 200;

    /// <summary>Frames whose latency enters the p50/p95 window.</summary>
    public int LatencyWindow { get; set; } = 500;

    /// <summary>
    /// Linux nice value of a camera's capture thread (open, read, decode): 0 = the inference loop's priority, up to 19.
    /// The default sits between inference (0) and training (10); see <see cref="EdgeRuntime.Interop.DedicatedThread"/>.
    /// </summary>
    public int CaptureNice { get; set; } = Sources.FrameSourceOptions.DefaultCaptureNice;

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Source))
        {
            return "Pipeline:Source must name a frame source (or 'auto').";
        }

        if (TopK is < 1 or > 100)
        {
            return $"Pipeline:TopK must be 1..100, not {TopK}.";
        }

        if (HistorySize is < 1 or > 100_000)
        {
            return $"Pipeline:HistorySize must be 1..100000, not {HistorySize}.";
        }

        if (LatencyWindow is < 10 or > 100_000)
        {
            return $"Pipeline:LatencyWindow must be 10..100000, not {LatencyWindow}.";
        }

        if (CaptureNice is < 0 or > 19)
        {
            return $"Pipeline:CaptureNice must be 0..19 (a Linux nice value no higher than the service's), not {CaptureNice}.";
        }

        return null;
    }
}
