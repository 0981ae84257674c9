using DeviceHost.Pipeline;
using EdgeRuntime.Calibration;
using EdgeRuntime.Heads;
using EdgeRuntime.Execution;

namespace DeviceHost.Calibration;

/// <summary>
/// Opens the data directory's calibration workspace once the backbone is loaded, and keeps the frame loop's active
/// head in step with the registry. Owns the workspace (and through it the data-directory lock).
/// </summary>
public sealed class CalibrationService(BackboneService backbone, OrtSessionFactory sessions, ActiveHead activeHead, DeviceState state,
    IConfiguration configuration, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<CalibrationService>();
    private readonly List<string> _headProblems = [];

    // One lock around every switch of the active head and the reload that follows it, so the head the frame loop
    // runs is always the one active.json names: two reloads interleaving could otherwise install the older one last.
    private readonly Lock _switchGate = new();
    private CalibrationWorkspace? _workspace;

    public bool IsOpen => Volatile.Read(ref _workspace) is not null;

    public CalibrationWorkspace Workspace => _workspace ?? throw new Hosting.ServiceNotReadyException(backbone.Failure ?? "The data directory is still opening.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!backbone.IsReady)
        {
            // Refused backbone (see BackboneService.Failure): without embeddings there is nothing to calibrate.
            return Task.CompletedTask;
        }

        var options = new CalibrationOptions();
        configuration.GetSection("Calibration").Bind(options);
        var data = configuration[Composition.DataDirectory.ConfigurationKey]!;
        _workspace = new CalibrationWorkspace(data, backbone.Engine, sessions, options, loggers);
        var report = _workspace.OpenReport;
        if (!report.IsClean)
        {
            _logger.LogWarning("Sample store recovered at open: {TempFiles} temporary files removed, {Orphans} orphan images quarantined, {Missing} rows without image",
                report.TempFilesDeleted, report.OrphanImagesQuarantined, report.RowsWithMissingImage);
        }

        int embedded = _workspace.EnsureEmbeddings(cancellationToken);
        if (embedded > 0)
        {
            _logger.LogInformation("Embedded {Count} stored images that had no embedding for this backbone", embedded);
        }

        ReloadActiveHead();
        return Task.CompletedTask;
    }

    /// <summary>Activates a version (a technician's choice) and runs it, as one step against other switches.</summary>
    public ActivationRecord Activate(int version, string reason)
    {
        lock (_switchGate)
        {
            var record = Workspace.Activate(version, reason, forced: true);
            ReloadActiveHeadLocked();
            return record;
        }
    }

    /// <summary>Rolls back and runs the restored version, as one step against other switches.</summary>
    public ActivationRecord Rollback(string reason)
    {
        lock (_switchGate)
        {
            var record = Workspace.Rollback(reason);
            ReloadActiveHeadLocked();
            return record;
        }
    }

    /// <summary>Loads the registry's active head into the frame loop; problems (a refused head) go to /status.</summary>
    public void ReloadActiveHead()
    {
        lock (_switchGate)
        {
            ReloadActiveHeadLocked();
        }
    }

    private void ReloadActiveHeadLocked()
    {
        var classifier = Workspace.LoadActiveClassifier(out var problems);
        lock (_headProblems)
        {
            foreach (var old in _headProblems)
            {
                state.ClearError(old);
            }

            _headProblems.Clear();
            _headProblems.AddRange(problems);
        }

        foreach (var problem in problems)
        {
            _logger.LogWarning("Head problem: {Problem}", problem);
            state.ReportError(problem);
        }

        activeHead.Replace(classifier);
        _logger.LogInformation("Active head: {Version}", classifier is null ? "none (needs calibration)" : $"v{classifier.Version}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _workspace?.Dispose();
}
