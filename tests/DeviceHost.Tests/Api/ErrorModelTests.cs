using System.Runtime.Versioning;
using DeviceHost.Api;
using DeviceHost.Hosting;
using EdgeRuntime;
using EdgeRuntime.Calibration;
using EdgeRuntime.Execution;
using EdgeRuntime.Heads;
using EdgeRuntime.Imaging;
using EdgeRuntime.Samples;
using Microsoft.Data.Sqlite;

namespace DeviceHost.Tests.Api;

/// <summary>Client faults are 4xx, operational faults 5xx/503 naming the cause; before, every engine error was 400.</summary>
[SupportedOSPlatform("linux")]
public sealed class ErrorModelTests
{
    public static TheoryData<Exception, int> Faults => new()
    {
        { new InvalidLabelException("../x", "it has a path separator"), 400 },
        { new ClassNotFoundException("ripe"), 404 },
        { new TrainingInProgressException(), 409 },
        { new ImageTooLargeException("bomb.png", 30000, 30000, 40_000_000), 413 },
        { new ServiceNotReadyException("The backbone is still loading."), 503 },
        { new EdgeRuntimeException("Could not store head v3: No space left on device.", new IOException("No space left on device", 28)), 507 },
        { new IOException("No space left on device", 28), 507 },
        { new SqliteException("database or disk is full", 13), 507 },
        { new EdgeRuntimeException("Could not make head v3 active: Input/output error.", new IOException("Input/output error", 5)), 500 },
        { new CorruptHeadException(3, "heads/v3/head.onnx", "hash mismatch"), 500 },
        { new InferenceFailedException("head v3", ExecutionProvider.Cpu, "Got invalid dimensions", new InvalidOperationException()), 500 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Each_fault_gets_the_status_of_whose_fault_it_is(Exception fault, int status)
    {
        var (actual, title) = ApiExceptionHandler.Classify(fault);

        Assert.Equal(status, actual);
        Assert.False(string.IsNullOrEmpty(title));
    }

    [Fact]
    public void A_native_run_failure_names_the_model_and_the_provider()
    {
        var ex = new InferenceFailedException("resnet18-imagenet", ExecutionProvider.Cuda, "CUDA out of memory", new InvalidOperationException());

        Assert.Contains("resnet18-imagenet", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Cuda", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FaultKind.Provider, ex.Fault);
    }

    [Fact]
    public void A_bug_is_left_to_the_generic_500()
    {
        Assert.Equal(0, ApiExceptionHandler.Classify(new NullReferenceException()).Status);
    }
}
