using System.Text.Json;
using EdgeRuntime.Evaluation;

namespace EdgeRuntime.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private static readonly string[] Classes = ["cat", "dog", "bird"];

    // Hand-computed: rows of the confusion matrix are [2,1,0] (+1 unknown), [1,2,0], [0,1,2].
    private static readonly int[] TrueLabels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, -1, 1, 1, 0, 2, 2, 1];

    private static readonly IEqualityComparer<double> Tolerance = EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) < 1e-12, _ => 0);

    [Fact]
    public void A_small_case_matches_the_hand_computed_figures()
    {
        var m = ClassificationMetrics.Compute(TrueLabels, Predicted, Classes);

        Assert.Equal(new[] { new[] { 2, 1, 0 }, new[] { 1, 2, 0 }, new[] { 0, 1, 2 } }, m.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        Assert.Equal((10, 6, 1), (m.Total, m.Correct, m.Unknown));
        Assert.Equal(new[] { 4, 3, 3 }, m.PerClass.Select(c => c.Support));
        Assert.Equal(new[] { 1, 0, 0 }, m.PerClass.Select(c => c.Unknown));
        Assert.Equal(new[] { 2.0 / 3, 0.5, 1.0 }, m.PerClass.Select(c => c.Precision), Tolerance);
        Assert.Equal(new[] { 0.5, 2.0 / 3, 2.0 / 3 }, m.PerClass.Select(c => c.Recall), Tolerance);
        Assert.Equal(new[] { 4.0 / 7, 4.0 / 7, 0.8 }, m.PerClass.Select(c => c.F1), Tolerance);
        Assert.Equal(13.0 / 18, m.MacroPrecision, 12);
        Assert.Equal(11.0 / 18, m.MacroRecall, 12);
        Assert.Equal(68.0 / 105, m.MacroF1, 12);
    }

    [Fact]
    public void An_unknown_answer_counts_as_wrong_in_accuracy_and_is_reported_as_coverage()
    {
        var m = ClassificationMetrics.Compute(TrueLabels, Predicted, Classes);

        Assert.Equal(0.6, m.Accuracy, 12);
        Assert.Equal(6.0 / 9, m.KnownAccuracy, 12);
        Assert.Equal(0.9, m.Coverage, 12);
        Assert.Equal(0.1, m.UnknownRate, 12);
    }

    [Fact]
    public void A_head_that_answers_nothing_has_zero_accuracy_and_coverage()
    {
        var m = ClassificationMetrics.Compute([0, 1], [-1, -1], ["a", "b"]);

        Assert.Equal((0.0, 0.0, 0.0, 1.0), (m.Accuracy, m.KnownAccuracy, m.Coverage, m.UnknownRate));
        Assert.All(m.PerClass, c => Assert.Equal(0.0, c.Precision));
    }

    [Fact]
    public void A_class_absent_from_the_set_and_never_predicted_is_left_out_of_macro_averages()
    {
        var m = ClassificationMetrics.Compute([0, 0, 1], [0, 0, 1], ["a", "b", "c"]);

        Assert.Equal(1.0, m.MacroF1);
        Assert.Equal(0, m.PerClass[2].Support);
    }

    [Fact]
    public void A_class_absent_from_the_set_but_predicted_lowers_macro_precision()
    {
        var m = ClassificationMetrics.Compute([0, 0, 1], [0, 2, 1], ["a", "b", "c"]);

        Assert.Equal((1.0 + 1.0 + 0.0) / 3, m.MacroPrecision, 12);
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, new[] { 0 }, "2 true labels but 1 predictions")]
    [InlineData(new[] { 0, 3 }, new[] { 0, 0 }, "True label 3 at index 1")]
    [InlineData(new[] { 0, 1 }, new[] { 0, -2 }, "Prediction -2 at index 1")]
    [InlineData(new int[0], new int[0], "evaluation set is empty")]
    public void Bad_input_is_refused_naming_the_problem(int[] trueLabels, int[] predicted, string expected)
    {
        var ex = Assert.Throws<EdgeRuntimeException>(() => ClassificationMetrics.Compute(trueLabels, predicted, ["a", "b"]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_class_names_are_refused()
    {
        var ex = Assert.Throws<EdgeRuntimeException>(() => ClassificationMetrics.Compute([0], [0], ["a", "a"]));
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_round_trip_through_camel_case_json()
    {
        var m = ClassificationMetrics.Compute(TrueLabels, Predicted, Classes);

        string json = JsonSerializer.Serialize(m, EvaluationJson.Options);
        var back = JsonSerializer.Deserialize<ClassificationMetrics>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(2, doc.RootElement.GetProperty("confusionMatrix")[0][0].GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("perClass")[0].GetProperty("unknown").GetInt32());
        Assert.Equal(m.MacroF1, back.MacroF1);
        Assert.Equal(m.PerClass, back.PerClass);
        Assert.Equal(m.ConfusionMatrix.SelectMany(r => r), back.ConfusionMatrix.SelectMany(r => r));
    }
}
