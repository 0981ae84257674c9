namespace EdgeRuntime.Storage;

/// <summary>A new file whose <see cref="Flush()"/> reaches the disk (fsync), so callers of the seam need not know about FileStream.</summary>
internal sealed class DurableFileStream : FileStream
{
    public DurableFileStream(string path)
        : base(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 81920)
    {
    }

    public override void Flush() => Flush(flushToDisk: true);
}
