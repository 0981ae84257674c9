namespace DeviceHost.Tests.Deploy;

/// <summary>What a finished command-line tool returned.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertions about messages wherever the tool printed them.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>A description for assertion messages.</summary>
    public override string ToString() =>
        $"{Command} exited with {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
