using DeviceHost.Composition;
using EdgeRuntime.Calibration;
using EdgeRuntime.Storage;
using EdgeRuntime.Embeddings;
using EdgeRuntime.Execution;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace DeviceHost.Cli;

/// <summary>
/// What one CLI invocation works with: configuration, loggers writing to stderr (stdout stays clean for --json),
/// the data directory and, on demand, the backbone. Owns everything it creates.
/// </summary>
public sealed class CliSession : IDisposable
{
    /// <summary>Configuration section bound into <see cref="CalibrationOptions"/>.</summary>
    public const string CalibrationSection = "Calibration";

    private readonly Serilog.Core.Logger _serilog;
    private EmbeddingEngine? _engine;
    private OrtSessionFactory? _factory;

    public CliSession(CommonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Configuration = DeviceConfiguration.Build(settings.ConfigFile);
        DataDirectory = Composition.DataDirectory.Resolve(settings.DataDirectory, Configuration[Composition.DataDirectory.ConfigurationKey]);
        _serilog = new LoggerConfiguration()
            .MinimumLevel.Is(settings.Verbose ? LogEventLevel.Information : LogEventLevel.Warning)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        Loggers = new SerilogLoggerFactory(_serilog);
    }

    public CommonSettings Settings { get; }

    public IConfigurationRoot Configuration { get; }

    public string DataDirectory { get; }

    public ILoggerFactory Loggers { get; }

    public OrtSessionFactory SessionFactory => _factory ??= EngineLoader.CreateFactory(EngineLoader.BindExecution(Configuration), Loggers);

    /// <summary>The backbone, loaded on first use.</summary>
    public EmbeddingEngine Engine => _engine ??= EngineLoader.Load(EngineLoader.BindBackbone(Configuration), SessionFactory, Loggers, DataDirectory);

    /// <summary>
    /// Opens the data directory for calibration (samples, training, heads) with the <c>Calibration</c> configuration
    /// section. Takes the data-directory lock, so a second process gets a clear "locked by process n" error instead of
    /// writing alongside. The caller owns the workspace; the session keeps owning the engine it borrows.
    /// </summary>
    /// <summary>
    /// True when another process (normally the running service) holds the data directory: commands then go through
    /// the service's API instead of writing the directory themselves.
    /// </summary>
    public bool ServiceHoldsData()
    {
        if (!Directory.Exists(DataDirectory))
        {
            return false;
        }

        try
        {
            using (DataDirectoryLock.Acquire(DataDirectory))
            {
                return false;
            }
        }
        catch (DataDirectoryLockedException ex)
        {
            LockHolder = ex;
            return true;
        }
    }

    /// <summary>Who holds the data directory, when <see cref="ServiceHoldsData"/> found it held.</summary>
    public DataDirectoryLockedException? LockHolder { get; private set; }

    public CalibrationWorkspace OpenWorkspace()
    {
        var options = new CalibrationOptions();
        Configuration.GetSection(CalibrationSection).Bind(options);

        // Fail fast when another process holds the directory, before spending seconds loading the backbone; the
        // workspace takes the lock for real (and reports a holder that appeared in between the same way).
        using (DataDirectoryLock.Acquire(DataDirectory))
        {
        }

        return new CalibrationWorkspace(DataDirectory, Engine, SessionFactory, options, Loggers);
    }

    public void Dispose()
    {
        _engine?.Dispose();
        Loggers.Dispose();
        _serilog.Dispose();
    }
}
