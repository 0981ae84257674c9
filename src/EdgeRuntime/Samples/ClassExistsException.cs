namespace EdgeRuntime.Samples;

/// <summary>A rename would merge two classes and the caller did not ask for a merge.</summary>
public sealed class ClassExistsException : EdgeRuntimeException
{
    /// <inheritdoc/>
    public override FaultKind Fault => FaultKind.Conflict;

    public ClassExistsException(string from, string to)
        : base($"Cannot rename class '{from}' to '{to}': '{to}' already exists. Ask for a merge to combine them.")
    {
        From = from;
        To = to;
    }

    /// <summary>The class being renamed.</summary>
    public string From { get; }

    /// <summary>The existing class it would merge into.</summary>
    public string To { get; }
}
