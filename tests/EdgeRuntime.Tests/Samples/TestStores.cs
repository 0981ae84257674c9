using EdgeRuntime.Samples;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Samples;

internal static class TestStores
{
    public static SampleStore Open(string directory, SampleStoreOptions? options = null) =>
        new(directory, options ?? new SampleStoreOptions(), NullLogger<SampleStore>.Instance);
}
