using DeviceHost.Composition;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using Microsoft.Extensions.Configuration;

namespace DeviceHost.Pipeline;

/// <summary>
/// Loads and warms the backbone while the host starts, so systemd's READY=1 (sent after every hosted service has
/// started) means "able to classify". Owns the engine.
/// </summary>
public sealed class BackboneService(IConfiguration configuration, OrtSessionFactory factory, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private EmbeddingEngine? _engine;

    /// <summary>The loaded engine; throws before start-up finished.</summary>
    public EmbeddingEngine Engine => _engine ?? throw new InvalidOperationException("The backbone is still loading.");

    public bool IsReady => Volatile.Read(ref _engine) is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var engine = EngineLoader.Load(EngineLoader.BindBackbone(configuration), factory, loggers, configuration[Composition.DataDirectory.ConfigurationKey]);
        Volatile.Write(ref _engine, engine);

        // Loading parsed and rewrote a tens-of-megabytes model in managed memory; give it back once, now, rather than
        // carrying it on a small device until the large object heap happens to be collected.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _engine?.Dispose();
}
