using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.TestSupport;

namespace DeviceHost.Tests.Cli;

/// <summary>The SSH technician's commands against the real running service, over its loopback API.</summary>
[SupportedOSPlatform("linux")]
[Collection(CliCollection.Name)]
public sealed class TechnicianCliTests : IDisposable
{
    private readonly TestDirectory _dir = new("technician-cli");

    [Fact]
    public async Task Status_capture_train_heads_activate_and_rollback_work_through_the_running_service()
    {
        string config;
        string data;
        await using (var host = await DeviceHostRunner.StartAsync(new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = "synthetic:?fps=8",
            ["Calibration:AugmentedViews"] = "0",
        }))
        {
            data = host.DataDirectory;
            config = _dir.Combine("cli.json");
            File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"{{ \"Api\": {{ \"Port\": {host.BaseAddress.Port} }} }}"));
            string[] common = ["--data", data, "--config", config];

            var status = (await InProcessCli.RunOkAsync(["status", "--json", .. common])).Json();
            Assert.True(status.GetProperty("needsCalibration").GetBoolean());

            foreach (var scene in new[] { "stripes", "checker" })
            {
                await host.AuthorizedClient.PostJsonAsync("source/scene", $"{{\"scene\":\"{scene}\"}}");
                await WaitForFramesAfterAsync(host, DateTimeOffset.UtcNow);
                var captured = (await InProcessCli.RunOkAsync(["capture", "--label", scene, "--count", "4", "--interval", "0.3", "--json", .. common])).Json();
                Assert.Equal(4, captured.GetProperty("samples").GetArrayLength());
            }

            var trained = (await InProcessCli.RunOkAsync(["train", "--wait", "--json", "--note", "over ssh", .. common])).Json();
            Assert.Equal("succeeded", trained.GetProperty("state").GetString());
            Assert.Equal("activated", trained.GetProperty("result").GetProperty("gate").GetProperty("outcome").GetString());

            await InProcessCli.RunOkAsync(["train", "--wait", "--force", "--json", .. common]);
            var heads = (await InProcessCli.RunOkAsync(["heads", "list", "--json", .. common])).Json();
            Assert.Equal(2, heads.GetProperty("active").GetInt32());

            var rolledBack = (await InProcessCli.RunOkAsync(["rollback", "--json", .. common])).Json();
            Assert.Equal(1, rolledBack.GetProperty("version").GetInt32());
            var activated = (await InProcessCli.RunOkAsync(["activate", "2", "--json", .. common])).Json();
            Assert.Equal(2, activated.GetProperty("version").GetInt32());
            Assert.Equal(2, (await host.Client.GetJsonAsync("status")).GetProperty("activeHead").GetProperty("version").GetInt32());
            var table = (await InProcessCli.RunOkAsync(["status", .. common])).Stdout;
            Assert.Contains("v2 (checker, stripes)", table, StringComparison.Ordinal);
            Assert.Matches(@"checker \d+\+\d+, stripes \d+\+\d+", table);

            var missing = await InProcessCli.RunAsync(["activate", "9", .. common]);
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("no head v9", missing.Stderr, StringComparison.Ordinal);
        }

        var stopped = await InProcessCli.RunAsync(["status", "--data", data, "--config", config]);
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("service is not running", stopped.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static Task WaitForFramesAfterAsync(DeviceHostRunner host, DateTimeOffset since) =>
        Poll.UntilTrueAsync(
            async () =>
            {
                var latest = await host.Client.GetAsync(HostApi.Path("predictions/latest"));
                if (!latest.IsSuccessStatusCode)
                {
                    return false;
                }

                using var json = JsonDocument.Parse(await latest.Content.ReadAsStringAsync());
                return json.RootElement.GetProperty("frameTime").GetDateTimeOffset() > since.AddMilliseconds(500);
            },
            TimeSpan.FromSeconds(30),
            "a frame of the new scene");
}
