namespace DeviceHost.Tests.Deploy;

/// <summary>
/// The directives of a systemd unit file by section; a key given several times keeps every value in order.
/// Enough of systemd.syntax(7) for the deploy tests: comments, sections, key=value (no line continuations).
/// </summary>
internal sealed class UnitFile
{
    private readonly Dictionary<string, Dictionary<string, List<string>>> _sections = new(StringComparer.Ordinal);

    private UnitFile()
    {
    }

    /// <summary>Parses the unit file at <paramref name="path"/>.</summary>
    public static UnitFile Read(string path)
    {
        var unit = new UnitFile();
        Dictionary<string, List<string>>? current = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            Assert.False(line.EndsWith('\\'), $"Line continuations are not expected in {path}: {line}");
            if (line[0] == '[')
            {
                current = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                unit._sections[line.Trim('[', ']')] = current;
                continue;
            }

            Assert.True(current is not null, $"Directive outside a section in {path}: {line}");
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"Not a directive in {path}: {line}");
            var key = line[..equals].Trim();
            if (!current.TryGetValue(key, out var values))
            {
                values = [];
                current[key] = values;
            }

            values.Add(line[(equals + 1)..].Trim());
        }

        return unit;
    }

    /// <summary>The directives of one section; fails the test when the section is missing.</summary>
    public IReadOnlyDictionary<string, List<string>> Section(string name)
    {
        Assert.True(_sections.TryGetValue(name, out var section), $"No [{name}] section");
        return section;
    }

    /// <summary>The one value of <paramref name="key"/> in <paramref name="section"/>; fails unless it is given exactly once.</summary>
    public static string Single(IReadOnlyDictionary<string, List<string>> section, string key)
    {
        Assert.True(section.TryGetValue(key, out var values), $"{key}= is missing");
        Assert.True(values.Count == 1, $"{key}= is given {values.Count} times");
        return values[0];
    }
}
