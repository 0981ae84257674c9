namespace EdgeRuntime.Models;

/// <summary>An ONNX graph that runs in front of the backbone (mean image subtraction, channel reordering).</summary>
public sealed class PreprocessingGraphSpec
{
    /// <summary>Path of the .onnx file, relative to the manifest.</summary>
    public string File { get; set; } = "";

    public string Input { get; set; } = "";

    public string Output { get; set; } = "";

    /// <summary>Expected SHA-256 (hex) of the file, checked at load; optional.</summary>
    public string? Sha256 { get; set; }
}
