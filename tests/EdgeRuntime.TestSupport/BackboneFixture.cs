using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.TestSupport;

/// <summary>The real embedded ResNet-18, loaded once per test class (xunit class fixture). Owns the engine.</summary>
public sealed class BackboneFixture : IDisposable
{
    public BackboneFixture()
    {
        Manifest = BackboneManifest.Load(BackboneManifest.DefaultPath);
        Factory = new OrtSessionFactory(new ExecutionOptions { IntraOpThreads = 2 }, NullLogger<OrtSessionFactory>.Instance);
        Engine = EmbeddingEngine.Load(Manifest, new BackboneOptions(), Factory, NullLogger<EmbeddingEngine>.Instance, BackboneManifest.DefaultPath);
    }

    public BackboneManifest Manifest { get; }

    public OrtSessionFactory Factory { get; }

    public EmbeddingEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}
