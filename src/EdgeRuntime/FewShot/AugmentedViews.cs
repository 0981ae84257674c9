using EdgeRuntime.Augmentation;

namespace EdgeRuntime.FewShot;

/// <summary>Embeddings of augmented views of one kind (count × D) and, per view, the index of the original sample it was made from.</summary>
public sealed record AugmentedViews(ViewKinds Kind, float[] Embeddings, int[] Sources);
