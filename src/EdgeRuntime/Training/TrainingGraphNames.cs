namespace EdgeRuntime.Training;

/// <summary>Tensor names of the training-step and evaluation graphs (see <see cref="HeadGraphBuilder"/>).</summary>
public static class TrainingGraphNames
{
    public const string Embeddings = "X";
    public const string Labels = "labels";
    public const string Weights = "weights";
    public const string DropoutMask = "dropout_mask";
    public const string Step = "t";
    public const string LearningRate = "lr";
    public const string Beta1 = "beta1";
    public const string Beta2 = "beta2";
    public const string Epsilon = "eps";
    public const string WeightDecay = "weight_decay";
    public const string LabelSmoothing = "label_smoothing";
    public const string Loss = "loss";
    public const string Probabilities = "probabilities";
    public const string Predicted = "predicted";

    /// <summary>Hyper-parameter inputs in the order the trainer feeds them; each is a float [1].</summary>
    public static IReadOnlyList<string> HyperParameters { get; } = [Step, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, LabelSmoothing];

    public static string FirstMoment(string parameter) => "m_" + parameter;

    public static string SecondMoment(string parameter) => "v_" + parameter;

    public static string Updated(string tensor) => "new_" + tensor;

    public static string Gradient(string parameter) => "grad_" + parameter;
}
