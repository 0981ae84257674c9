using System.Runtime.Versioning;
using DeviceHost.Cli;
using DeviceHost.Api;
using DeviceHost.Hosting;
using DeviceHost.Pipeline;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DeviceHost.Tests.Cli;

/// <summary>Unknown options are errors on every command; before, <c>run --source x --port 9000</c> started on the defaults.</summary>
[SupportedOSPlatform("linux")]
[Collection(CliCollection.Name)]
public sealed class StrictParsingTests : IDisposable
{
    private readonly TestDirectory _dir = new("strict-cli");

    [Theory]
    [InlineData("info", "--bogus")]
    [InlineData("info", "--sorce", "x")]
    [InlineData("heads", "list", "--porrt", "9")]
    [InlineData("train", "--epochz", "3")]
    [InlineData("import", "folder", "--labell", "x")]
    [InlineData("status", "--port", "9000")]
    public async Task An_unknown_option_is_an_error_naming_it(params string[] args)
    {
        var run = await InProcessCli.RunAsync([.. args, "--data", _dir.Path]);

        Assert.NotEqual(0, run.ExitCode);
        var unknown = args.First(a => a.StartsWith("--", StringComparison.Ordinal));
        Assert.Contains(unknown.TrimStart('-'), run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_refuses_a_port_out_of_range_before_starting()
    {
        var run = await InProcessCli.RunAsync("run", "--port", "70000", "--data", _dir.Path);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--port", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_source_address_and_port_become_the_configuration_the_host_is_built_with()
    {
        var settings = new RunSettings { Source = "synthetic:?fps=3", Address = "127.0.0.1", Port = 0 };

        using var app = DeviceHostBuilder.Build(null, _dir.Path, settings.ConfigurationOverrides());

        Assert.Equal("synthetic:?fps=3", app.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.Source);
        Assert.Equal(0, app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.Port);
    }

    public void Dispose() => _dir.Dispose();
}
