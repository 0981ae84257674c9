using OpenCvSharp;

namespace EdgeRuntime.Embeddings;

/// <summary>Images decoded ahead of the backbone; owns the decoded matrices.</summary>
internal sealed record DecodedChunk(List<(string Name, Mat Image)> Images, List<ImageFailure> Failures) : IDisposable
{
    public void Dispose()
    {
        foreach (var (_, image) in Images)
        {
            image.Dispose();
        }
    }
}
