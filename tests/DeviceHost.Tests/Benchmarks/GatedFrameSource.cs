using System.Runtime.Versioning;
using DeviceHost.Sources;
using OpenCvSharp;

namespace DeviceHost.Tests.Benchmarks;

/// <summary>A real frame source whose reads first pass a <see cref="FrameGate"/>; owns <paramref name="inner"/>.</summary>
[SupportedOSPlatform("linux")]
internal sealed class GatedFrameSource(IFrameSource inner, FrameGate gate) : IFrameSource
{
    public FrameSourceKind Kind => inner.Kind;

    public string DisplayName => inner.DisplayName;

    public double? NominalFps => inner.NominalFps;

    public bool IsOpen => inner.IsOpen;

    public void Open() => inner.Open();

    public async ValueTask<bool> ReadAsync(Mat destination, CancellationToken cancellationToken = default)
    {
        await gate.PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => inner.Dispose();
}
