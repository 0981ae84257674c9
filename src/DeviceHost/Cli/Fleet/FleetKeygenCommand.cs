using System.ComponentModel;
using EdgeRuntime.Fleet;
using Spectre.Console.Cli;

namespace DeviceHost.Cli.Fleet;

/// <summary><c>edgeruntime fleet keygen PREFIX</c>: a new ECDSA P-256 key pair for signing head bundles.</summary>
[Description("Make an ECDSA P-256 key pair for signing head bundles.")]
public sealed class FleetKeygenCommand : Command<FleetKeygenSettings>
{
    public override int Execute(CommandContext context, FleetKeygenSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var key = FleetKeys.Generate();
        var (privatePath, publicPath) = FleetKeys.Write(key, settings.Prefix);
        Console.Out.WriteLine($"private key: {privatePath} (keep it with the publisher only)");
        Console.Out.WriteLine($"public key:  {publicPath} (Fleet:BundlePublicKeyFile on every device)");
        Console.Out.WriteLine($"key id:      {FleetKeys.KeyId(key)}");
        return 0;
    }
}
