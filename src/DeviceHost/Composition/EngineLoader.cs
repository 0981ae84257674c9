using EdgeRuntime;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DeviceHost.Composition;

/// <summary>Builds the engine's options from configuration and loads the backbone. The caller owns the engine.</summary>
public static class EngineLoader
{
    public static ExecutionOptions BindExecution(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ExecutionOptions();
        configuration.GetSection("Execution").Bind(options);
        return options;
    }

    public static BackboneOptions BindBackbone(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new BackboneOptions();
        configuration.GetSection("Backbone").Bind(options);
        return options;
    }

    /// <exception cref="EdgeRuntimeException">Bad options, a bad manifest, or no provider could run the model.</exception>
    public static EmbeddingEngine Load(BackboneOptions backbone, OrtSessionFactory factory, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(loggers);
        if (backbone.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        var manifestPath = backbone.ManifestPath is { Length: > 0 } path ? Path.GetFullPath(path) : BackboneManifest.DefaultPath;
        var manifest = BackboneManifest.Load(manifestPath);
        return EmbeddingEngine.Load(manifest, backbone, factory, loggers.CreateLogger<EmbeddingEngine>(), manifestPath);
    }

    public static OrtSessionFactory CreateFactory(ExecutionOptions execution, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return new OrtSessionFactory(execution, loggers.CreateLogger<OrtSessionFactory>());
    }
}
