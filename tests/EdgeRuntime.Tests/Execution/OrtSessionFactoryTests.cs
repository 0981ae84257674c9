using EdgeRuntime.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Execution;

public sealed class OrtSessionFactoryTests
{
    [Fact]
    public void A_negative_thread_count_is_refused_naming_the_key()
    {
        var options = new ExecutionOptions { IntraOpThreads = -1 };
        var ex = Assert.Throws<EdgeRuntimeException>(() => new OrtSessionFactory(options, NullLogger<OrtSessionFactory>.Instance));
        Assert.Contains("IntraOpThreads", ex.Message, StringComparison.Ordinal);
    }
}
