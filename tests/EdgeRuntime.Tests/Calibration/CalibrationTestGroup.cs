namespace EdgeRuntime.Tests.Calibration;

/// <summary>The calibration test classes share one backbone and one embedded image set, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class CalibrationTestGroup : ICollectionFixture<CalibrationFixture>
{
    public const string Name = "Calibration";
}
