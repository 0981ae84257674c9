using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace DeviceHost.Tests.Hosting;

/// <summary>
/// <c>edgeruntime run</c> as a child process (started by <see cref="DeviceHostRunner.StartChildAsync"/>): real process
/// boundaries, real signals. Owns the process; dispose kills it if it is still running.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DeviceHostProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private DeviceHostProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    /// <summary>A client sending the child's token (available once the child is ready and has written it).</summary>
    public HttpClient AuthorizedClient { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The token the child created in its data directory (readable once it is ready).</summary>
    public string Token => DeviceHostRunner.ReadToken(DataDirectory);

    /// <summary>Everything the child wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Path of edgeruntime.dll, the device service's entry assembly, next to the tests.</summary>
    public static string EntryAssemblyPath => typeof(DeviceHost.Cli.CliApplication).Assembly.Location;

    internal static async Task<DeviceHostProcess> StartAsync(
        string dataDirectory, IDictionary<string, string?> settings, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        int port = FreeLoopbackPort();
        var info = new ProcessStartInfo(DotnetExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(EntryAssemblyPath)!,
        };
        info.ArgumentList.Add(EntryAssemblyPath);
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(dataDirectory);
        foreach (var (key, value) in settings)
        {
            info.Environment["EDGERUNTIME__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["EDGERUNTIME__Api__Address"] = "127.0.0.1";
        info.Environment["EDGERUNTIME__Api__Port"] = port.ToString(CultureInfo.InvariantCulture);

        // Not under systemd, whatever the test runner's environment says.
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("WATCHDOG_USEC");
        info.Environment.Remove("INVOCATION_ID");

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new DeviceHostProcess(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), dataDirectory);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await child.WaitUntilReadyAsync(readyTimeout, cancellationToken);
            child.AuthorizedClient.BaseAddress = child.BaseAddress;
            child.AuthorizedClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", child.Token);
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM, as systemd does on <c>systemctl stop</c>.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", ProcessId.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {ProcessId} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Waits for the process to exit; returns its exit code, or null when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        // The parameterless wait drains the redirected output too.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Client.Dispose();
        AuthorizedClient.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"edgeruntime exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("readyz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"edgeruntime was not ready within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreeLoopbackPort()
    {
        // The child binds it a moment later; the kernel does not hand a just-released ephemeral port out again that soon.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
