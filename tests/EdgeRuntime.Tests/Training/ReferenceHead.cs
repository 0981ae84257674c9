using EdgeRuntime.Training;

namespace EdgeRuntime.Tests.Training;

/// <summary>Float64 reference maths written independently of the graph builder: forward loss, finite differences, AdamW, logistic regression.</summary>
internal static class ReferenceHead
{
    /// <summary>Weighted, label-smoothed softmax cross-entropy of a head, in double.</summary>
    public static double Loss(HeadShape shape, double[][] p, float[] x, long[] labels, float[] weights, float[] mask, double smoothing)
    {
        var (n, d, k, h) = (labels.Length, shape.Dimension, shape.ClassCount, shape.HiddenSize);
        double total = 0, weightSum = 0;
        for (var i = 0; i < n; i++)
        {
            var logits = new double[k];
            if (shape.Kind == HeadKind.Linear)
            {
                for (var c = 0; c < k; c++)
                {
                    logits[c] = p[1][c];
                    for (var j = 0; j < d; j++)
                    {
                        logits[c] += x[(i * d) + j] * p[0][(j * k) + c];
                    }
                }
            }
            else
            {
                var hidden = new double[h];
                for (var u = 0; u < h; u++)
                {
                    var z = p[1][u];
                    for (var j = 0; j < d; j++)
                    {
                        z += x[(i * d) + j] * p[0][(j * h) + u];
                    }

                    hidden[u] = Math.Max(z, 0) * mask[(i * h) + u];
                }

                for (var c = 0; c < k; c++)
                {
                    logits[c] = p[3][c];
                    for (var u = 0; u < h; u++)
                    {
                        logits[c] += hidden[u] * p[2][(u * k) + c];
                    }
                }
            }

            var max = logits.Max();
            var logSum = Math.Log(logits.Sum(l => Math.Exp(l - max))) + max;
            double ce = 0;
            for (var c = 0; c < k; c++)
            {
                var target = ((c == labels[i] ? 1.0 : 0.0) * (1 - smoothing)) + (smoothing / k);
                ce -= target * (logits[c] - logSum);
            }

            total += weights[i] * ce;
            weightSum += weights[i];
        }

        return total / weightSum;
    }

    /// <summary>Central finite-difference gradient of <paramref name="loss"/> for every parameter value.</summary>
    public static double[][] NumericGradient(double[][] p, Func<double[][], double> loss, double step = 1e-6)
    {
        var gradient = new double[p.Length][];
        for (var t = 0; t < p.Length; t++)
        {
            gradient[t] = new double[p[t].Length];
            for (var j = 0; j < p[t].Length; j++)
            {
                var saved = p[t][j];
                p[t][j] = saved + step;
                var plus = loss(p);
                p[t][j] = saved - step;
                var minus = loss(p);
                p[t][j] = saved;
                gradient[t][j] = (plus - minus) / (2 * step);
            }
        }

        return gradient;
    }

    /// <summary>One AdamW update in double; returns (parameter, m, v).</summary>
    public static (double P, double M, double V) AdamW(double p, double g, double m, double v, double t, double lr, double b1, double b2, double eps, double wd, bool decayed)
    {
        m = (b1 * m) + ((1 - b1) * g);
        v = (b2 * v) + ((1 - b2) * g * g);
        var mHat = m / (1 - Math.Pow(b1, t));
        var vHat = v / (1 - Math.Pow(b2, t));
        var start = decayed ? p * (1 - (lr * wd)) : p;
        return (start - (lr * mHat / (Math.Sqrt(vHat) + eps)), m, v);
    }

    /// <summary>
    /// Multinomial logistic regression by full-batch gradient descent on mean cross-entropy + (λ/2)·|W|², in double.
    /// Returns holdout accuracy.
    /// </summary>
    public static double LogisticRegressionAccuracy(float[] x, int[] y, float[] hx, int[] hy, int d, int k, double lambda, double rate, int iterations)
    {
        var w = new double[d * k];
        var b = new double[k];
        var n = y.Length;
        var logits = new double[k];
        for (var it = 0; it < iterations; it++)
        {
            var gw = new double[d * k];
            var gb = new double[k];
            for (var i = 0; i < n; i++)
            {
                Probabilities(x, i, w, b, d, k, logits);
                logits[y[i]] -= 1;
                for (var c = 0; c < k; c++)
                {
                    gb[c] += logits[c] / n;
                    for (var j = 0; j < d; j++)
                    {
                        gw[(j * k) + c] += x[(i * d) + j] * logits[c] / n;
                    }
                }
            }

            for (var j = 0; j < w.Length; j++)
            {
                w[j] -= rate * (gw[j] + (lambda * w[j]));
            }

            for (var c = 0; c < k; c++)
            {
                b[c] -= rate * gb[c];
            }
        }

        var correct = 0;
        for (var i = 0; i < hy.Length; i++)
        {
            Probabilities(hx, i, w, b, d, k, logits);
            correct += Array.IndexOf(logits, logits.Max()) == hy[i] ? 1 : 0;
        }

        return (double)correct / hy.Length;
    }

    private static void Probabilities(float[] x, int i, double[] w, double[] b, int d, int k, double[] output)
    {
        for (var c = 0; c < k; c++)
        {
            output[c] = b[c];
            for (var j = 0; j < d; j++)
            {
                output[c] += x[(i * d) + j] * w[(j * k) + c];
            }
        }

        var max = output.Max();
        double sum = 0;
        for (var c = 0; c < k; c++)
        {
            output[c] = Math.Exp(output[c] - max);
            sum += output[c];
        }

        for (var c = 0; c < k; c++)
        {
            output[c] /= sum;
        }
    }
}
