using EdgeRuntime;
using Spectre.Console.Cli;

namespace DeviceHost.Cli;

/// <summary>The <c>edgeruntime</c> command tree.</summary>
public static class CliApplication
{
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("edgeruntime");

            // An unknown option is an error, not silently ignored: "run --sorce x" must not start on the defaults.
            config.UseStrictParsing();
            config.AddCommand<RunCommand>("run");
            config.AddCommand<InfoCommand>("info");
            config.AddCommand<StatusCommand>("status");
            config.AddCommand<CaptureCommand>("capture");
            config.AddCommand<EmbedCommand>("embed");
            config.AddCommand<ImportCommand>("import").WithExample("import", "./samples", "--data", "/var/lib/edgeruntime");
            config.AddCommand<TrainCommand>("train").WithExample("train", "--note", "new lighting");
            config.AddCommand<AdaptCommand>("adapt").WithExample("adapt", "./new-camera-frames");
            config.AddCommand<EvaluateCommand>("evaluate").WithExample("evaluate", "./testset");
            config.AddCommand<PredictCommand>("predict").WithExample("predict", "frame.jpg", "--top", "3");
            config.AddBranch<CommonSettings>("heads", heads =>
            {
                heads.SetDescription("List, activate and roll back classifier head versions.");
                heads.AddCommand<HeadsListCommand>("list");
                heads.AddCommand<HeadsActivateCommand>("activate").WithExample("heads", "activate", "7");
                heads.AddCommand<HeadsRollbackCommand>("rollback");
            });
            config.AddCommand<HeadsActivateCommand>("activate").WithExample("activate", "7");
            config.AddCommand<HeadsRollbackCommand>("rollback");
            config.AddCommand<ExportCommand>("export").WithExample("export", "model.onnx");
            config.AddBranch("fleet", Fleet.FleetCommands.Register);
            config.AddCommand<QuantizeCommand>("quantize");
            config.AddCommand<BenchCommand>("bench").WithExample("bench", "--seconds", "10");
            config.SetExceptionHandler((ex, _) =>
            {
                // Expected failures (bad input, bad configuration) get one readable line, not a stack trace.
                var inner = ex is CommandRuntimeException && ex.InnerException is not null ? ex.InnerException : ex;
                CliOutput.Error(inner is EdgeRuntimeException or IOException or UnauthorizedAccessException or CommandParseException or CommandRuntimeException or InvalidOperationException
                    ? inner.Message
                    : inner.ToString());
                return inner is OperationCanceledException ? 130 : 1;
            });
        });
        return app;
    }
}
