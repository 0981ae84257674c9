using Microsoft.Extensions.Logging;

namespace EdgeRuntime.TestSupport.Logging;

/// <summary>One recorded log call.</summary>
public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);
