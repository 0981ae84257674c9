namespace EdgeRuntime.Training;

/// <summary>Architecture of a classifier head on top of the backbone embedding.</summary>
public enum HeadKind
{
    /// <summary>Softmax regression: logits = x·W + b.</summary>
    Linear = 0,

    /// <summary>One hidden ReLU layer (dropout while training): logits = relu(x·W1 + b1)·W2 + b2.</summary>
    Hidden = 1,
}
