using System.Security.Cryptography;
using EdgeRuntime.Fleet;
using EdgeRuntime.Heads;
using EdgeRuntime.TestSupport;
using EdgeRuntime.Tests.Heads;

namespace EdgeRuntime.Tests.Fleet;

/// <summary>A stored head (random bytes, see <see cref="TestHeads"/>) packed as a bundle, and keys to sign it.</summary>
internal static class TestBundles
{
    public static HeadBundle Bundle(TestDirectory data, long sequence, ECDsa key)
    {
        LoadedHead head;
        using (var registry = TestHeads.Open(data))
        {
            head = registry.Load(registry.Add(TestHeads.Payload(1)).Version);
        }

        return HeadBundleCodec.FromLoadedHead(head, sequence, FleetKeys.KeyId(key), "test", TestHeads.Start);
    }
}
