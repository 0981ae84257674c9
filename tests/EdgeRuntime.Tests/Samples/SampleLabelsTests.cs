using EdgeRuntime.Samples;

namespace EdgeRuntime.Tests.Samples;

public sealed class SampleLabelsTests
{
    [Theory]
    [InlineData("../x", "'..'")]
    [InlineData("a/b", "path separator '/'")]
    [InlineData("a\\b", "path separator '\\'")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(".hidden", "starts with a dot")]
    [InlineData("bell\u0007", "control character U+0007")]
    [InlineData("tab\there", "control character U+0009")]
    [InlineData("a..b", "'..'")]
    public void A_bad_label_is_refused_naming_the_label_and_the_reason(string label, string reason)
    {
        var ex = Assert.Throws<InvalidLabelException>(() => SampleLabels.Normalize(label));

        Assert.Equal(label, ex.Label);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{SampleLabels.Display(label)}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_of_65_characters_is_refused_and_64_is_accepted()
    {
        var ex = Assert.Throws<InvalidLabelException>(() => SampleLabels.Normalize(new string('a', 65)));
        Assert.Contains("65 characters", ex.Message, StringComparison.Ordinal);

        Assert.Equal(new string('a', 64), SampleLabels.Normalize(new string('a', 64)));
    }

    [Fact]
    public void A_control_character_is_escaped_in_the_message()
    {
        var ex = Assert.Throws<InvalidLabelException>(() => SampleLabels.Normalize("x\u001by"));

        Assert.Contains("x\\u001By", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  cat ", "cat")]
    [InlineData("bad part 7", "bad part 7")]
    [InlineData("défaut", "défaut")]
    [InlineData("v1.2", "v1.2")]
    public void A_good_label_is_trimmed_and_kept(string label, string expected) =>
        Assert.Equal(expected, SampleLabels.Normalize(label));
}
