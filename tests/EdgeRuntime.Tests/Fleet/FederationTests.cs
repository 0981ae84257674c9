using EdgeRuntime.Calibration;
using EdgeRuntime.Features;
using EdgeRuntime.FewShot;
using EdgeRuntime.Fleet;
using EdgeRuntime.Inference;
using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;
using EdgeRuntime.Tests.Calibration;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeRuntime.Tests.Fleet;

/// <summary>
/// Three devices with disjoint classes share only signed class moments; the pooled discriminant equals the one fit
/// centrally on every embedding, and each device's own gate takes it.
/// </summary>
[Collection(CalibrationTestGroup.Name)]
public sealed class FederationTests(CalibrationFixture fixture) : IDisposable
{
    private static readonly string[][] ClassesOf = [["stripes"], ["checker"], ["rings"]];
    private readonly TestDirectory[] _devices = [new("fed-a"), new("fed-b"), new("fed-c")];

    public void Dispose()
    {
        foreach (var d in _devices)
        {
            d.Dispose();
        }
    }

    [Fact]
    public void Pooled_moments_of_devices_with_disjoint_classes_give_the_centrally_trained_head_and_every_device_recognises_every_class()
    {
        var workspaces = _devices.Select(d => fixture.Open(d)).ToList();
        var keys = _devices.Select(_ => FleetKeys.Generate()).ToList();
        using var fleetKey = FleetKeys.Generate();
        try
        {
            for (int i = 0; i < workspaces.Count; i++)
            {
                foreach (var s in fixture.Samples.Where(s => ClassesOf[i].Contains(s.Label)))
                {
                    workspaces[i].AddSample(s.Bytes, s.Label, SampleSource.Import, Path.GetFileName(s.Path), s.Embedding);
                }
            }

            // Round 1: the reference mean; round 2: the moments under it. Every report crosses as signed bytes.
            const FeatureTransformKind kind = FeatureTransformKind.PowerCenteredL2;
            var means = Ask(workspaces, keys, new MomentsRequest { RequestId = "r1", Stage = MomentsRequest.ReferenceMeanStage, Transform = kind });
            var mean = FleetAggregator.PoolReferenceMean(means);
            var reports = Ask(workspaces, keys, new MomentsRequest { RequestId = "r2", Stage = MomentsRequest.MomentsStage, Transform = kind, ReferenceMean = mean });
            var (pooled, labels) = FleetAggregator.Pool(reports);
            var federated = FleetAggregator.Fit(pooled, Shrinkage.Oas);

            // Central: every embedding in one place.
            var all = fixture.Samples.OrderBy(s => s.Label, StringComparer.Ordinal).ToList();
            var x = all.SelectMany(s => s.Embedding).ToArray();
            var y = all.Select(s => labels.ToList().IndexOf(s.Label)).ToArray();
            var central = FeatureTransform.Fit(kind, x, fixture.Backbone.Engine.Dimension);
            var centralHead = FleetAggregator.Fit(ClassMoments.FromEmbeddings(central, x, y, labels.Count), Shrinkage.Oas);
            Assert.Equal(["checker", "rings", "stripes"], labels);
            var p = federated.Probabilities(x);
            var q = centralHead.Probabilities(x);
            Assert.Equal(q.Length, p.Length);
            Assert.True(p.Zip(q).All(t => Math.Abs(t.First - t.Second) <= 1e-5), $"largest difference {p.Zip(q).Max(t => Math.Abs(t.First - t.Second))}");
            Assert.True(federated.Parts[0].Parameters[0].Zip(centralHead.Parts[0].Parameters[0]).All(t => Math.Abs(t.First - t.Second) <= 1e-5 * Math.Max(1, Math.Abs(t.Second))));

            var bundle = HeadBundleCodec.Seal(HeadBundleCodec.FromFewShotHead(federated, labels, fixture.Backbone.Engine.BackboneHash, 1.0 / labels.Count, 1,
                FleetKeys.KeyId(fleetKey), "aggregate", DateTimeOffset.UtcNow), fleetKey);
            foreach (var workspace in workspaces)
            {
                var outcome = new FleetHeadAdopter(workspace, fixture.Backbone.Engine, new BundleLedger(workspace.DataDirectory), NullLogger<FleetHeadAdopter>.Instance)
                    .Apply(bundle, fleetKey, HeadBundleCodec.DefaultMaxBytes);
                Assert.True(outcome.Accepted && outcome.Activated, outcome.Reason);
                using var head = workspace.LoadActiveClassifier(out var problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
                var probabilities = new float[labels.Count];
                foreach (var s in fixture.Samples)
                {
                    head.Probabilities(s.Embedding, probabilities);
                    Assert.Equal(s.Label, labels[Array.IndexOf(probabilities, probabilities.Max())]);
                }
            }
        }
        finally
        {
            workspaces.ForEach(w => w.Dispose());
            keys.ForEach(k => k.Dispose());
        }
    }

    private static List<MomentsReport> Ask(List<CalibrationWorkspace> workspaces, List<System.Security.Cryptography.ECDsa> keys, MomentsRequest request) =>
        [.. workspaces.Select((w, i) => FleetMoments.Open(FleetMoments.Seal(FleetMoments.Answer(w, request, $"dev-{i}"), keys[i]), keys[i]))];
}
