using DeviceHost.Composition;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using Microsoft.Extensions.Configuration;

namespace DeviceHost.Pipeline;

/// <summary>
/// Loads and warms the backbone while the host starts, so systemd's READY=1 (sent after every hosted service has
/// started) means "able to classify". Owns the engine. A backbone refused as damaged or misconfigured does not stop
/// the host: restarting would not repair the file, and the API stays up to say what is wrong (<see cref="Failure"/>,
/// /status errors, /readyz 503).
/// </summary>
public sealed class BackboneService(IConfiguration configuration, OrtSessionFactory factory, ILoggerFactory loggers, DeviceState state) : IHostedService, IDisposable
{
    private EmbeddingEngine? _engine;

    /// <summary>Why the backbone was refused at start-up, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The loaded engine; throws before start-up finished.</summary>
    public EmbeddingEngine Engine => _engine ?? throw new Hosting.ServiceNotReadyException(Failure ?? "The backbone is still loading.");

    public bool IsReady => Volatile.Read(ref _engine) is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EmbeddingEngine engine;
        try
        {
            engine = EngineLoader.Load(EngineLoader.BindBackbone(configuration), factory, loggers, configuration[Composition.DataDirectory.ConfigurationKey]);
        }
        catch (EdgeRuntime.EdgeRuntimeException ex) when (ex.Fault is EdgeRuntime.FaultKind.Corrupt or EdgeRuntime.FaultKind.InvalidInput)
        {
            Failure = "The backbone was refused: " + ex.Message;
            loggers.CreateLogger<BackboneService>().LogCritical("{Failure}; the API stays up without inference or calibration", Failure);
            state.ReportError(Failure);
            return Task.CompletedTask;
        }

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
