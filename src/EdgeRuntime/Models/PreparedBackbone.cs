namespace EdgeRuntime.Models;

/// <summary>A backbone graph ready for a session: validated, batch made dynamic, preprocessing graph merged in front.</summary>
/// <param name="Model">Serialized ONNX model.</param>
/// <param name="InputName">Tensor the engine feeds (the preprocessing graph's input when there is one).</param>
/// <param name="OutputName">The embedding tensor.</param>
/// <param name="BatchWasFixed">True when the file had a fixed batch dimension that was made dynamic at load.</param>
/// <param name="ContentHash">SHA-256 (hex) over the model files and the input specification.</param>
public sealed record PreparedBackbone(byte[] Model, string InputName, string OutputName, bool BatchWasFixed, string ContentHash)
{
    public BackboneIdentity Identity => new(InputName, OutputName, BatchWasFixed, ContentHash);
}
