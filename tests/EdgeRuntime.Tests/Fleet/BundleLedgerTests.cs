using EdgeRuntime.Fleet;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Fleet;

public sealed class BundleLedgerTests : IDisposable
{
    private readonly TestDirectory _data = new("bundle-ledger");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Accepted_sequences_and_outcomes_survive_a_restart_per_key()
    {
        var ledger = new BundleLedger(_data.Path);
        ledger.RecordAccepted("key1", new BundleOutcome { BundleId = "b1", Sequence = 7, Accepted = true, Version = 3, Activated = true, Reason = "better" });
        ledger.RecordAccepted("key1", new BundleOutcome { BundleId = "b0", Sequence = 5, Accepted = true, Version = 4, Reason = "kept" });
        var reopened = new BundleLedger(_data.Path);
        Assert.Equal(7, reopened.LastSequence("key1"));
        Assert.Equal(0, reopened.LastSequence("key2"));
        Assert.Equal(3, reopened.Find("b1")!.Version);
        Assert.Null(reopened.Find("b9"));
    }

    [Fact]
    public void A_corrupt_ledger_stops_the_device_instead_of_forgetting_what_it_accepted()
    {
        Directory.CreateDirectory(_data.Combine("fleet"));
        File.WriteAllText(_data.Combine("fleet", "bundles.json"), "{ not json");
        var error = Assert.Throws<EdgeRuntimeException>(() => new BundleLedger(_data.Path));
        Assert.Contains("bundles.json", error.Message, StringComparison.Ordinal);
    }
}
