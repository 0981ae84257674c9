using System.Security.Cryptography;
using System.Text.Json;
using EdgeRuntime.Calibration;
using EdgeRuntime.Features;
using EdgeRuntime.FewShot;

namespace EdgeRuntime.Fleet;

/// <summary>
/// The device side of federation: answers a <see cref="MomentsRequest"/> from the workspace's samples (every original
/// view, train and holdout: the pooled head is fit on everything, as a central fit would be), and the signed wire
/// form of the answer (<see cref="SignedEnvelope"/>, magic <see cref="Magic"/>).
/// </summary>
public static class FleetMoments
{
    public const string Magic = "ERMOMNT1";

    /// <summary>Moments of 50 classes at D = 512 (the scatter dominates: 2 MiB) fit well within this.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    public static MomentsReport Answer(CalibrationWorkspace workspace, MomentsRequest request, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var set = workspace.Store.LoadTrainingSet(workspace.BackboneHash);
        int d = set.Dimension;
        if (d == 0)
        {
            throw new EdgeRuntimeException("This device has no embedded samples: nothing to report.");
        }

        var (x, y) = Originals(set.Train, set.Holdout, d);
        var counts = new long[set.Labels.Count];
        foreach (var label in y)
        {
            counts[label]++;
        }

        var report = new MomentsReport
        {
            RequestId = request.RequestId,
            Stage = request.Stage,
            DeviceId = deviceId,
            BackboneHash = workspace.BackboneHash,
            Dimension = d,
            Transform = request.Transform,
            Labels = set.Labels,
            Counts = counts,
        };
        if (request.Stage == MomentsRequest.ReferenceMeanStage)
        {
            var transform = FeatureTransform.Create(request.Transform, d, new float[d]);
            var sum = new double[d];
            var prepared = new double[d];
            for (int row = 0; row < y.Length; row++)
            {
                transform.Prepare(x.AsSpan(row * d, d), prepared);
                for (int j = 0; j < d; j++)
                {
                    sum[j] += prepared[j];
                }
            }

            return report with { PreparedSum = MomentsReport.Pack(sum) };
        }

        if (request.Stage != MomentsRequest.MomentsStage)
        {
            throw new FleetMessageRefusedException(FleetRefusal.Invalid, $"Unknown moments stage '{request.Stage}'.");
        }

        var under = FeatureTransform.Create(request.Transform, d, request.ReferenceMean ?? new float[d]);
        var moments = ClassMoments.FromEmbeddings(under, x, y, set.Labels.Count);
        return report with { Sums = MomentsReport.Pack(moments.Sums), Scatter = MomentsReport.Pack(moments.Scatter), ReferenceMean = under.ReferenceMean };
    }

    public static byte[] Seal(MomentsReport report, ECDsa deviceKey) =>
        SignedEnvelope.Seal(Magic, JsonSerializer.SerializeToUtf8Bytes(report, HeadBundle.Json), deviceKey);

    /// <summary>Verifies a report with the device's public key and parses it.</summary>
    /// <exception cref="FleetMessageRefusedException">Why it is refused.</exception>
    public static MomentsReport Open(ReadOnlyMemory<byte> message, ECDsa devicePublicKey, long maxBytes = DefaultMaxBytes) =>
        SignedEnvelope.OpenJson<MomentsReport>(Magic, message, devicePublicKey, maxBytes, "moments report", r => r.Schema);

    private static (float[] X, int[] Y) Originals(Samples.LabeledEmbeddings train, Samples.LabeledEmbeddings holdout, int d)
    {
        var x = new List<float>();
        var y = new List<int>();
        foreach (var part in new[] { train, holdout })
        {
            for (int row = 0; row < part.Count; row++)
            {
                if (part.Views[row] == 0)
                {
                    x.AddRange(part.X.AsSpan(row * d, d));
                    y.Add(part.Y[row]);
                }
            }
        }

        return ([.. x], [.. y]);
    }
}
