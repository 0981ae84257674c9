using System.Security.Cryptography;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>
/// This device's own P-256 key for signing the class moments it publishes (&lt;data&gt;/fleet/device.key.pem, made
/// on first start). Its public half travels in the retained state, which only this device may write (broker ACL),
/// so an aggregator can tell a device's moments from forged ones. Owns the key.
/// </summary>
public sealed class FleetMomentsKey : IDisposable
{
    public FleetMomentsKey(string dataDirectory)
    {
        var prefix = Path.Combine(dataDirectory, "fleet", "device");
        if (!File.Exists(prefix + ".key.pem"))
        {
            using var fresh = FleetKeys.Generate();
            FleetKeys.Write(fresh, prefix);
        }

        Key = FleetKeys.Load(prefix + ".key.pem");
        PublicPem = FleetKeys.PublicPem(Key);
    }

    public ECDsa Key { get; }

    public string PublicPem { get; }

    public void Dispose() => Key.Dispose();
}
