using System.Globalization;

namespace DeviceHost.Sources;

/// <summary>Options after '?' in a source address, validated against the names the source kind understands.</summary>
public sealed class UriQuery
{
    private readonly Dictionary<string, string> _values;
    private readonly string _uri;

    private UriQuery(string uri, Dictionary<string, string> values)
    {
        _uri = uri;
        _values = values;
    }

    internal static UriQuery Empty { get; } = new(string.Empty, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Names and raw values, as given.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>A string option, or <paramref name="fallback"/>.</summary>
    public string? GetString(string name, string? fallback = null) => _values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>An integer option in [min, max], or <paramref name="fallback"/>; anything else is a clear error.</summary>
    public int GetInt(string name, int fallback, int min, int max)
    {
        if (!_values.TryGetValue(name, out var raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw FrameSourceUri.Invalid(_uri, $"option '{name}={raw}' must be a whole number from {min} to {max}");
        }

        return value;
    }

    /// <summary>A number option in [min, max], or <paramref name="fallback"/>.</summary>
    public double GetDouble(string name, double fallback, double min, double max)
    {
        if (!_values.TryGetValue(name, out var raw))
        {
            return fallback;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
        {
            throw FrameSourceUri.Invalid(_uri, $"option '{name}={raw}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>A true/false (also 1/0, yes/no, on/off) option, or <paramref name="fallback"/>.</summary>
    public bool GetBool(string name, bool fallback)
    {
        if (!_values.TryGetValue(name, out var raw))
        {
            return fallback;
        }

        return raw.ToLowerInvariant() switch
        {
            "" or "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw FrameSourceUri.Invalid(_uri, $"option '{name}={raw}' must be true or false"),
        };
    }

    internal static UriQuery Parse(string uri, string query, IReadOnlyCollection<string> allowed)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]).Trim();
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..]).Trim();
            if (!allowed.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw FrameSourceUri.Invalid(uri, $"unknown option '{name}' (this kind of source understands: {string.Join(", ", allowed)})");
            }

            if (!values.TryAdd(name, value))
            {
                throw FrameSourceUri.Invalid(uri, $"option '{name}' is given twice");
            }
        }

        return new UriQuery(uri, values);
    }
}
