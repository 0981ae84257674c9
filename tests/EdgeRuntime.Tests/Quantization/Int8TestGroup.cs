namespace EdgeRuntime.Tests.Quantization;

/// <summary>The int8 test classes share one quantized ResNet-18 (quantizing takes seconds) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class Int8TestGroup : ICollectionFixture<QuantizedBackboneFixture>
{
    public const string Name = "Int8";
}
