using System.Globalization;
using System.Text;

namespace EdgeRuntime.Samples;

/// <summary>
/// Label rules. A label is trimmed, then must be non-empty, at most <see cref="MaxLength"/> UTF-16 characters, and
/// free of control characters, '/', '\', "..", and a leading '.', so it is safe as a folder name when exporting and
/// cannot smuggle a path. Labels compare ordinally ("Cat" and "cat" are two classes).
/// </summary>
public static class SampleLabels
{
    /// <summary>Longest accepted label after trimming.</summary>
    public const int MaxLength = 64;

    /// <summary>Returns the trimmed label or throws <see cref="InvalidLabelException"/> naming the reason.</summary>
    public static string Normalize(string? label)
    {
        if (TryNormalize(label, out var normalized, out var reason))
        {
            return normalized;
        }

        throw new InvalidLabelException(label ?? string.Empty, reason);
    }

    /// <summary>Non-throwing form of <see cref="Normalize"/>.</summary>
    public static bool TryNormalize(string? label, out string normalized, out string reason)
    {
        normalized = label?.Trim() ?? string.Empty;
        reason = Check(normalized) ?? string.Empty;
        return reason.Length == 0;
    }

    /// <summary>The label with control characters escaped, for messages and logs.</summary>
    public static string Display(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var builder = new StringBuilder(label.Length);
        if (label.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        foreach (var c in label)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string? Check(string label)
    {
        if (label.Length == 0)
        {
            return "it is empty";
        }

        if (label.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is {label.Length} characters long and the limit is {MaxLength}");
        }

        if (label.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        foreach (var c in label)
        {
            if (char.IsControl(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"it contains the control character U+{(int)c:X4}");
            }

            if (c is '/' or '\\')
            {
                return $"it contains the path separator '{c}'";
            }
        }

        return label[0] == '.' ? "it starts with a dot" : null;
    }
}
