using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EdgeRuntime.Samples;

/// <summary>
/// Deterministic holdout assignment, decided once when a sample is added and stored with it.
/// <list type="number">
/// <item>A class's first sample (or any sample added while the class has no train sample) goes to Train.</item>
/// <item>Otherwise, while the class has no holdout sample, the new sample goes to Holdout, so every class with two
/// or more samples has at least one of each.</item>
/// <item>Otherwise the sample goes to Holdout when <see cref="Score"/>(label, image hash) &lt; the holdout share.</item>
/// </list>
/// The score is SHA-256 based, so it does not depend on process, platform or insertion order, and the expected
/// holdout share converges to the configured one. Adding samples never moves stored ones. Deleting can leave a class
/// without a holdout (or train) sample; <see cref="PickToRebalance"/> then moves exactly one sample to restore the
/// guarantee, picking deterministically by score.
/// </summary>
internal static class SplitRule
{
    /// <summary>Uniform in [0, 1): the first 8 bytes of SHA-256(UTF-8(label + '\n' + imageHash)).</summary>
    public static double Score(string label, string imageHash)
    {
        var input = Encoding.UTF8.GetBytes(label + "\n" + imageHash);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        return (BinaryPrimitives.ReadUInt64BigEndian(digest) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The split of a new sample given the class's current counts.</summary>
    public static SampleSplit Assign(string label, string imageHash, int trainCount, int holdoutCount, double holdoutShare)
    {
        if (trainCount == 0)
        {
            return SampleSplit.Train;
        }

        if (holdoutCount == 0)
        {
            return SampleSplit.Holdout;
        }

        return Score(label, imageHash) < holdoutShare ? SampleSplit.Holdout : SampleSplit.Train;
    }

    /// <summary>
    /// After a deletion: which sample (if any) must change split to restore the guarantee. Moves the train sample
    /// with the lowest score to holdout, or the holdout sample with the highest score to train.
    /// </summary>
    public static (string ImageHash, SampleSplit NewSplit)? PickToRebalance(string label, IReadOnlyList<(string ImageHash, SampleSplit Split)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var train = members.Where(m => m.Split == SampleSplit.Train).Select(m => m.ImageHash).ToList();
        var holdout = members.Where(m => m.Split == SampleSplit.Holdout).Select(m => m.ImageHash).ToList();
        if (members.Count >= 1 && train.Count == 0)
        {
            var pick = holdout.OrderByDescending(h => Score(label, h)).ThenBy(h => h, StringComparer.Ordinal).First();
            return (pick, SampleSplit.Train);
        }

        if (members.Count >= 2 && holdout.Count == 0)
        {
            var pick = train.OrderBy(h => Score(label, h)).ThenBy(h => h, StringComparer.Ordinal).First();
            return (pick, SampleSplit.Holdout);
        }

        return null;
    }
}
