using System.Globalization;
using EdgeRuntime.Samples;

namespace DeviceHost.Api;

/// <summary>A sample as the API shows it.</summary>
public sealed record SampleDto(long Id, string Label, SampleSource Source, DateTimeOffset CapturedAt, SampleSplit Split, string ImageHash, string ImageUrl)
{
    public static SampleDto From(Sample s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Label, s.Source, s.CapturedAt, s.Split, s.ImageHash, string.Create(CultureInfo.InvariantCulture, $"/samples/{s.Id}/image"));
    }
}
