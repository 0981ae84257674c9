using EdgeRuntime.Samples;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Samples;

public sealed class DeclaredClassTests : IDisposable
{
    private readonly TestDirectory _dir = new("declared-classes");

    [Fact]
    public void Renaming_a_class_onto_a_declared_class_is_refused_unless_merging()
    {
        using var store = TestStores.Open(_dir.Path);
        store.DeclareClass("ripe");
        store.DeclareClass("unripe");
        store.Add(SyntheticImageBytes.Jpeg(1), "green", SampleSource.Camera);

        // Before, both were "renamed" with 200 and silently merged into one class.
        Assert.Throws<ClassExistsException>(() => store.RenameClass("ripe", "unripe"));
        Assert.Throws<ClassExistsException>(() => store.RenameClass("green", "unripe"));
        Assert.Equal(["green", "ripe", "unripe"], store.GetClassCounts().Select(c => c.Label).Order(StringComparer.Ordinal));

        Assert.Equal(1, store.RenameClass("green", "unripe", merge: true));
        Assert.Equal(0, store.RenameClass("ripe", "mature"));
        Assert.Equal(["mature", "unripe"], store.GetClassCounts().Select(c => c.Label).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_declared_class_is_listed_with_no_samples_and_survives_reopening()
    {
        using (var store = TestStores.Open(_dir.Path))
        {
            store.DeclareClass("ripe");
        }

        using var reopened = TestStores.Open(_dir.Path);
        Assert.Equal([new ClassCount("ripe", 0, 0)], reopened.GetClassCounts());
    }

    [Fact]
    public void Declaring_an_existing_class_is_refused_whether_it_has_samples_or_not()
    {
        using var store = TestStores.Open(_dir.Path);
        store.DeclareClass("ripe");
        store.Add(SyntheticImageBytes.Jpeg(1), "unripe", SampleSource.Upload);

        Assert.Throws<ClassExistsException>(() => store.DeclareClass("ripe"));
        Assert.Throws<ClassExistsException>(() => store.DeclareClass("unripe"));
        Assert.Throws<InvalidLabelException>(() => store.DeclareClass("../x"));
    }

    [Fact]
    public void A_declared_class_is_listed_once_after_its_first_sample_and_can_be_renamed_and_deleted()
    {
        using var store = TestStores.Open(_dir.Path);
        store.DeclareClass("ripe");
        store.Add(SyntheticImageBytes.Jpeg(2), "ripe", SampleSource.Camera);
        Assert.Single(store.GetClassCounts(), c => c.Label == "ripe");

        store.DeclareClass("empty");
        Assert.Equal(0, store.RenameClass("empty", "spare"));
        Assert.Contains(store.GetClassCounts(), c => c.Label == "spare" && c.Total == 0);

        store.DeleteClass("spare");
        store.DeleteClass("ripe");
        Assert.Empty(store.GetClassCounts());
    }

    public void Dispose() => _dir.Dispose();
}
