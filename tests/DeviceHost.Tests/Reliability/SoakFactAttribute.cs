namespace DeviceHost.Tests.Reliability;

/// <summary>A fact that runs only when <c>EDGERUNTIME_SOAK_MINUTES</c> is set: a soak takes that long and loads the machine.</summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public const string Variable = "EDGERUNTIME_SOAK_MINUTES";

    public SoakFactAttribute()
    {
        if (Minutes is null)
        {
            Skip = $"Soak; set {Variable}=30 to run it for 30 minutes.";
        }
    }

    public static double? Minutes =>
        double.TryParse(Environment.GetEnvironmentVariable(Variable), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var m) && m > 0 ? m : null;
}
