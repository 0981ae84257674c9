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
            config.AddCommand<RunCommand>("run");
            config.AddCommand<InfoCommand>("info");
            config.AddCommand<StatusCommand>("status");
            config.AddCommand<CaptureCommand>("capture");
            config.AddCommand<EmbedCommand>("embed");
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
