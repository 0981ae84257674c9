using System.Runtime.Versioning;
using DeviceHost.Tests.Hosting;
using EdgeRuntime.Calibration;
using EdgeRuntime.Fleet;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceHost.Tests.Fleet;

/// <summary>
/// A site of three real device processes on a real mosquitto, each with samples of its own: dev-a has the three
/// classes and a head it trained itself, dev-b has samples but no head, dev-c has the same images under swapped
/// labels (its "stripes" are checkerboards) and its own head. "hq" is a data directory (no service) whose trained
/// head v1 the tests publish. Owns the broker, the processes and the directories.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FleetSiteFixture : IAsyncLifetime
{
    public const string Site = "farm1";
    public static readonly string[] Devices = ["dev-a", "dev-b", "dev-c"];
    private static readonly ImageFamily[] Families = [ImageFamily.Stripes, ImageFamily.Blobs, ImageFamily.Checker];
    private readonly TestDirectory _root = new("edgeruntime-fleet");
    private readonly Dictionary<string, DeviceHostProcess> _devices = new(StringComparer.Ordinal);

    public MosquittoBroker Broker { get; private set; } = null!;

    public string Root => _root.Path;

    public string HqData => _root.Combine("hq");

    public string KeyFile => _root.Combine("fleet.key.pem");

    public string PublicKeyFile => _root.Combine("fleet.pub.pem");

    /// <summary>A key the devices do not trust.</summary>
    public string RogueKeyFile => _root.Combine("rogue.key.pem");

    /// <summary>--config file for CLI commands run as the operator.</summary>
    public string OperatorConfig => _root.Combine("operator.json");

    public string BackboneHash { get; private set; } = "";

    public int Dimension { get; private set; }

    public DeviceHostProcess Device(string id) => _devices[id];

    public string DataOf(string id) => _root.Combine(id);

    public async Task InitializeAsync()
    {
        Broker = new MosquittoBroker(Site, Devices);
        using (var key = FleetKeys.Generate())
        {
            FleetKeys.Write(key, _root.Combine("fleet"));
        }

        using (var rogue = FleetKeys.Generate())
        {
            FleetKeys.Write(rogue, _root.Combine("rogue"));
        }

        File.WriteAllText(OperatorConfig, $$"""
            { "Fleet": { "Broker": "{{Broker.Uri}}", "Site": "{{Site}}", "CredentialsFile": "{{Broker.CredentialsFile(MosquittoBroker.Operator)}}" } }
            """);
        PrepareData();
        foreach (var id in Devices)
        {
            await StartDeviceAsync(id);
        }
    }

    /// <summary>Starts (or restarts) a device process on its data directory.</summary>
    public async Task<DeviceHostProcess> StartDeviceAsync(string id)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Source"] = "synthetic:?fps=1",
            ["Calibration:AugmentedViews"] = "0",
            ["Fleet:Enabled"] = "true",
            ["Fleet:Broker"] = Broker.Uri,
            ["Fleet:DeviceId"] = id,
            ["Fleet:Site"] = Site,
            ["Fleet:CredentialsFile"] = Broker.CredentialsFile(id),
            ["Fleet:BundlePublicKeyFile"] = PublicKeyFile,
            ["Fleet:MaxBundleBytes"] = "4194304",
            ["Fleet:EventPollInterval"] = "00:00:00.2",
            ["Fleet:MetricsInterval"] = "00:00:01",
            ["Fleet:InitialBackoff"] = "00:00:00.2",
            ["Fleet:MaxBackoff"] = "00:00:01",
        };
        var process = await DeviceHostRunner.StartChildAsync(DataOf(id), settings, TimeSpan.FromSeconds(120));
        _devices[id] = process;
        return process;
    }

    /// <summary>SIGKILL: the device dies without a goodbye (its last will says offline).</summary>
    public void KillDevice(string id)
    {
        _devices[id].Dispose();
        _devices.Remove(id);
    }

    public Task DisposeAsync()
    {
        foreach (var device in _devices.Values)
        {
            device.Dispose();
        }

        Broker?.Dispose();
        _root.Dispose();
        return Task.CompletedTask;
    }

    private void PrepareData()
    {
        using var backbone = new BackboneFixture();
        BackboneHash = backbone.Engine.BackboneHash;
        Dimension = backbone.Engine.Dimension;
        Import(backbone, HqData, seed: 1, swap: false, train: true);
        Import(backbone, DataOf("dev-a"), seed: 2, swap: false, train: true);
        Import(backbone, DataOf("dev-b"), seed: 3, swap: false, train: false);
        Import(backbone, DataOf("dev-c"), seed: 4, swap: true, train: true);
    }

    private void Import(BackboneFixture backbone, string data, int seed, bool swap, bool train)
    {
        var folder = _root.Combine("images-" + Path.GetFileName(data));
        SyntheticImages.WriteImageFolder(folder, Families, 8, seed);
        if (swap)
        {
            Directory.Move(Path.Combine(folder, "stripes"), Path.Combine(folder, "tmp"));
            Directory.Move(Path.Combine(folder, "checker"), Path.Combine(folder, "stripes"));
            Directory.Move(Path.Combine(folder, "tmp"), Path.Combine(folder, "checker"));
        }

        using var workspace = new CalibrationWorkspace(data, backbone.Engine, backbone.Factory, new CalibrationOptions { AugmentedViews = 0 }, NullLoggerFactory.Instance);
        workspace.Import(folder);
        if (train)
        {
            workspace.Train(new TrainRequest { Note = "local calibration" });
        }
    }
}
