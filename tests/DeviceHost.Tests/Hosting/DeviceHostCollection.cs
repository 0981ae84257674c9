namespace DeviceHost.Tests.Hosting;

/// <summary>
/// Test classes that run a real device host (ResNet-18 on the CPU) share this collection, so they run one after
/// another instead of competing for the machine's cores, and share one read-only host (<see cref="SharedHostFixture"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class DeviceHostCollection : ICollectionFixture<SharedHostFixture>
{
    public const string Name = "Real device host";
}
