namespace EdgeRuntime.Samples;

/// <summary>Where a sample came from.</summary>
public enum SampleSource
{
    /// <summary>Captured from the device camera.</summary>
    Camera,

    /// <summary>Uploaded through the HTTP API.</summary>
    Upload,

    /// <summary>Imported in bulk from a folder by the CLI.</summary>
    Import,

    /// <summary>Captured on a GPIO trigger (button or sensor).</summary>
    Gpio,

    /// <summary>A live frame from the hard-sample review queue, labelled by a technician.</summary>
    Review,
}
