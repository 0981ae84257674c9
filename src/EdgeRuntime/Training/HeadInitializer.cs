namespace EdgeRuntime.Training;

/// <summary>Seeded initial parameters: He-uniform for the ReLU layer, Xavier-uniform for the output layer, zero biases.</summary>
internal static class HeadInitializer
{
    public static float[][] Random(HeadShape shape, Random random)
    {
        var parameters = new float[shape.ParameterNames.Count][];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = new float[shape.ParameterLength(i)];
            if (!HeadShape.IsDecayed(i))
            {
                continue;
            }

            var dims = shape.ParameterDims(i);
            var reluLayer = shape.Kind == HeadKind.Hidden && i == 0;
            var limit = reluLayer ? Math.Sqrt(6.0 / dims[0]) : Math.Sqrt(6.0 / (dims[0] + dims[1]));
            Fill(parameters[i], limit, random);
        }

        return parameters;
    }

    /// <summary>
    /// Starts from <paramref name="start"/> (an imprinted or parent head) with possibly more classes: the first
    /// start.K output columns are copied; new columns are imprinted from the class means for a linear head (scaled
    /// like the existing columns) or Xavier-random for a hidden head.
    /// </summary>
    public static float[][] From(TrainedHead start, HeadShape shape, TrainingData data, Random random)
    {
        var old = start.Shape;
        if (old.Kind != shape.Kind || old.Dimension != shape.Dimension || old.HiddenSize != shape.HiddenSize || old.ClassCount > shape.ClassCount)
        {
            throw new EdgeRuntimeException(
                $"The starting head ({old.Kind}, D={old.Dimension}, H={old.HiddenSize}, K={old.ClassCount}) is not compatible with the requested "
                + $"head ({shape.Kind}, D={shape.Dimension}, H={shape.HiddenSize}, K={shape.ClassCount}): kind, dimension and hidden size must match and it may not have more classes.");
        }

        var parameters = start.Parameters.Select(p => (float[])p.Clone()).ToArray();
        if (old.ClassCount == shape.ClassCount)
        {
            return parameters;
        }

        var weightIndex = parameters.Length - 2;
        var rows = (int)shape.ParameterDims(weightIndex)[0];
        var (oldK, newK) = (old.ClassCount, shape.ClassCount);
        var weights = new float[rows * newK];
        for (var r = 0; r < rows; r++)
        {
            Array.Copy(parameters[weightIndex], r * oldK, weights, r * newK, oldK);
        }

        var bias = new float[newK];
        Array.Copy(parameters[weightIndex + 1], bias, oldK);
        if (shape.Kind == HeadKind.Linear)
        {
            var scale = WeightImprinting.MeanColumnNorm(parameters[0], rows, oldK);
            var imprinted = WeightImprinting.ClassDirections(data.TrainEmbeddings, data.TrainLabels, rows, newK);
            for (var r = 0; r < rows; r++)
            {
                for (var c = oldK; c < newK; c++)
                {
                    weights[(r * newK) + c] = scale * imprinted[(r * newK) + c];
                }
            }
        }
        else
        {
            var extra = new float[rows * (newK - oldK)];
            Fill(extra, Math.Sqrt(6.0 / (rows + newK)), random);
            for (var r = 0; r < rows; r++)
            {
                Array.Copy(extra, r * (newK - oldK), weights, (r * newK) + oldK, newK - oldK);
            }
        }

        parameters[weightIndex] = weights;
        parameters[weightIndex + 1] = bias;
        return parameters;
    }

    private static void Fill(float[] values, double limit, Random random)
    {
        for (var j = 0; j < values.Length; j++)
        {
            values[j] = (float)(((random.NextDouble() * 2) - 1) * limit);
        }
    }
}
