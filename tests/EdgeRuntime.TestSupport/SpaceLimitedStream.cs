namespace EdgeRuntime.TestSupport;

/// <summary>A write-only stream that draws on a <see cref="SpaceLimitedFileSystem"/> budget; owns <c>inner</c>.</summary>
internal sealed class SpaceLimitedStream(Stream inner, SpaceLimitedFileSystem budget) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int granted = budget.Take(buffer.Length);
        inner.Write(buffer[..granted]);
        if (granted < buffer.Length)
        {
            inner.Flush();
            // Linux .NET reports ENOSPC with the errno as HResult, which is what DiskFull recognises.
            throw new IOException("No space left on device", 28);
        }
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
