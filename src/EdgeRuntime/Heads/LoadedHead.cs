namespace EdgeRuntime.Heads;

/// <summary>A head version whose files exist and match the hashes in its manifest, with their bytes.</summary>
public sealed class LoadedHead
{
    internal LoadedHead(HeadManifest manifest, string directory, byte[] headOnnx, byte[] checkpoint)
    {
        Manifest = manifest;
        Directory = directory;
        HeadOnnx = headOnnx;
        Checkpoint = checkpoint;
    }

    /// <summary>Version number.</summary>
    public int Version => Manifest.Version;

    /// <summary>The verified manifest.</summary>
    public HeadManifest Manifest { get; }

    /// <summary>Full path of the version directory.</summary>
    public string Directory { get; }

    /// <summary>Contents of head.onnx (pass to <c>OrtSessionFactory.Create</c>).</summary>
    public ReadOnlyMemory<byte> HeadOnnx { get; }

    /// <summary>Contents of checkpoint.bin.</summary>
    public ReadOnlyMemory<byte> Checkpoint { get; }
}
