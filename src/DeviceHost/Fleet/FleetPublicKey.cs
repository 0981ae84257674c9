using System.Security.Cryptography;
using EdgeRuntime.Fleet;

namespace DeviceHost.Fleet;

/// <summary>
/// The fleet's public key (<c>Fleet:BundlePublicKeyFile</c>), loaded once: it verifies head bundles and moments
/// requests alike. Null <see cref="Key"/> when the file is not set: the device then accepts neither. Owns the key.
/// </summary>
public sealed class FleetPublicKey : IDisposable
{
    public FleetPublicKey(FleetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Key = options.BundlePublicKeyFile is { Length: > 0 } file ? FleetKeys.Load(file) : null;
    }

    public ECDsa? Key { get; }

    public void Dispose() => Key?.Dispose();
}
