using Microsoft.Data.Sqlite;

namespace EdgeRuntime.Samples;

/// <summary>Builds a <see cref="TrainingSet"/> inside a caller's read transaction: count, allocate once, fill.</summary>
internal static class TrainingSetReader
{
    // Rows: original views of samples that have one, plus (optionally) augmented views of every such sample, in its split.
    // CROSS JOIN pins the loop order (samples by id outside, embeddings by primary key inside), which yields rows
    // already in (id, view) order instead of sorting the vectors in a temp B-tree.
    private const string RowFilter =
        "FROM samples s CROSS JOIN embeddings e ON e.image_hash = s.image_hash AND e.backbone_hash = $backbone "
        + "WHERE EXISTS (SELECT 1 FROM embeddings o WHERE o.image_hash = s.image_hash AND o.backbone_hash = $backbone AND o.view = 0) "
        + "AND (e.view = 0 OR $augmented)";

    public static TrainingSet Read(SqliteConnection connection, SqliteTransaction transaction, string backboneHash, bool includeAugmentedViews, int? dimension)
    {
        var parameters = new (string, object)[] { ("$backbone", backboneHash), ("$augmented", includeAugmentedViews) };
        var labels = new List<string>();
        using (var command = SampleRows.Command(connection, transaction, $"SELECT DISTINCT s.label {RowFilter};", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                labels.Add(reader.GetString(0));
            }
        }

        labels.Sort(StringComparer.Ordinal);
        var index = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);

        int trainCount = 0, holdoutCount = 0;
        using (var command = SampleRows.Command(connection, transaction, $"SELECT s.split, COUNT(*) {RowFilter} GROUP BY s.split;", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (Enum.Parse<SampleSplit>(reader.GetString(0)) == SampleSplit.Train)
                {
                    trainCount = reader.GetInt32(1);
                }
                else
                {
                    holdoutCount = reader.GetInt32(1);
                }
            }
        }

        var d = dimension ?? 0;
        var train = new Builder(trainCount, d);
        var holdout = new Builder(holdoutCount, d);
        using (var command = SampleRows.Command(
            connection, transaction, $"SELECT s.id, s.label, s.split, e.view, e.vector {RowFilter} ORDER BY s.id, e.view;", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var target = Enum.Parse<SampleSplit>(reader.GetString(2)) == SampleSplit.Train ? train : holdout;
                target.Add(reader, index[reader.GetString(1)]);
            }
        }

        int missing;
        using (var command = SampleRows.Command(
            connection,
            transaction,
            "SELECT COUNT(*) FROM samples s WHERE NOT EXISTS (SELECT 1 FROM embeddings o WHERE o.image_hash = s.image_hash AND o.backbone_hash = $backbone AND o.view = 0);",
            ("$backbone", backboneHash)))
        {
            missing = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new TrainingSet(
            backboneHash, d, labels, train.Build(), holdout.Build(), missing, DatasetFingerprint.Compute(connection, transaction));
    }

    private sealed class Builder(int count, int dimension)
    {
        private readonly float[] _x = new float[count * dimension];
        private readonly int[] _y = new int[count];
        private readonly long[] _ids = new long[count];
        private readonly int[] _views = new int[count];
        private int _next;

        public void Add(SqliteDataReader reader, int classIndex)
        {
            _ids[_next] = reader.GetInt64(0);
            _views[_next] = reader.GetInt32(3);
            _y[_next] = classIndex;
            SampleStore.ReadVector(reader, 4, _x.AsSpan(_next * dimension, dimension));
            _next++;
        }

        public LabeledEmbeddings Build() => new(_x, _y, _ids, _views, dimension);
    }
}
