using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace DeviceHost.Cli;

/// <summary>Prints results as JSON (for scripts) or as text for people; errors always go to stderr.</summary>
public static class CliOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The same settings, but null members are written, for documented shapes where "none" is an answer.</summary>
    public static readonly JsonSerializerOptions JsonWithNulls = new(Json) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static void WriteJson<T>(T value, bool keepNulls = false) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(value, keepNulls ? JsonWithNulls : Json));

    /// <summary>A console over the current stdout (not cached, so a redirected Console.Out is honoured).</summary>
    public static IAnsiConsole Stdout() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

    /// <summary>One error line on stderr: coloured on a terminal, plain and unwrapped when redirected (logs, scripts).</summary>
    public static void Error(string message)
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine("error: " + message);
            return;
        }

        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }
}
