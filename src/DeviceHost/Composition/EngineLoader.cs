using EdgeRuntime;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using EdgeRuntime.Models;
using EdgeRuntime.Precision;
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
        var section = configuration.GetSection("Backbone");

        // The binder's own message for a bad enum names the type, not the choices; say both.
        if (section["Precision"] is { Length: > 0 } precision && (!Enum.TryParse<BackbonePrecision>(precision, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)))
        {
            throw new EdgeRuntimeException($"Backbone:Precision must be Fp32, Int8 or Auto, not '{precision}'.");
        }

        var options = new BackboneOptions();
        section.Bind(options);
        return options;
    }

    /// <exception cref="EdgeRuntimeException">Bad options, a bad manifest, or no provider could run the model.</exception>
    /// <param name="dataDirectory">Where cached int8 models live; without it the backbone loads in fp32 whatever Precision says.</param>
    public static EmbeddingEngine Load(BackboneOptions backbone, OrtSessionFactory factory, ILoggerFactory loggers, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(loggers);
        if (backbone.Validate() is { } problem)
        {
            throw new EdgeRuntimeException(problem);
        }

        var manifestPath = backbone.ManifestPath is { Length: > 0 } path ? Path.GetFullPath(path) : BackboneManifest.DefaultPath;
        var manifest = BackboneManifest.Load(manifestPath);
        var choose = dataDirectory is null ? null : new BackbonePrecisionSwitch(dataDirectory, factory, loggers).AtLoad(backbone);
        return EmbeddingEngine.Load(manifest, backbone, factory, loggers.CreateLogger<EmbeddingEngine>(), manifestPath, choose);
    }

    public static OrtSessionFactory CreateFactory(ExecutionOptions execution, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return new OrtSessionFactory(execution, loggers.CreateLogger<OrtSessionFactory>());
    }
}
