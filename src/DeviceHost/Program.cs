using DeviceHost.Cli;
using DeviceHost.Hosting;
using EdgeRuntime.Interop;

GlibcMalloc.ReturnLargeBuffersToSystem();

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C asks commands to stop cleanly; a second one kills the process as usual.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

return await CliApplication.Create().RunAsync(args, cancellation.Token);
