namespace EdgeRuntime.Samples;

/// <summary>A class label was refused; the message names the label (control characters escaped) and the reason.</summary>
public sealed class InvalidLabelException : EdgeRuntimeException
{
    public InvalidLabelException(string label, string reason)
        : base($"The label '{SampleLabels.Display(label)}' is not valid: {reason}.")
    {
        Label = label;
        Reason = reason;
    }

    /// <summary>The label as given.</summary>
    public string Label { get; }

    /// <summary>Why it was refused.</summary>
    public string Reason { get; }
}
