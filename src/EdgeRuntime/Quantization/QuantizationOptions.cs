namespace EdgeRuntime.Quantization;

/// <summary>Calibration and parity settings. Bound from <c>Backbone:Quantization</c>.</summary>
public sealed class QuantizationOptions
{
    /// <summary>Fewest images (calibration plus held back) a run accepts; a few hundred cover a scene's range.</summary>
    public int MinimumImages { get; set; } = 300;

    /// <summary>Most images used; more only slow the run down.</summary>
    public int MaximumImages { get; set; } = 600;

    /// <summary>Share of the images kept out of calibration for the parity check.</summary>
    public double HoldBackShare { get; set; } = 0.2;

    /// <summary>Median cosine similarity int8 vs fp32 the int8 model must reach.</summary>
    public double MinimumCosine { get; set; } = 0.99;

    /// <summary>Share of held-back images on which the active head must choose the same class.</summary>
    public double MinimumHeadAgreement { get; set; } = 0.99;

    /// <summary>Returns the first problem, naming the key, or null.</summary>
    public string? Validate()
    {
        if (MinimumImages is < 10 or > 100_000)
        {
            return $"Backbone:Quantization:MinimumImages must be 10..100000, not {MinimumImages}.";
        }

        if (MaximumImages < MinimumImages)
        {
            return $"Backbone:Quantization:MaximumImages ({MaximumImages}) must not be below MinimumImages ({MinimumImages}).";
        }

        if (HoldBackShare is not (>= 0.05 and <= 0.5))
        {
            return $"Backbone:Quantization:HoldBackShare must be 0.05..0.5, not {HoldBackShare}.";
        }

        if (MinimumCosine is not (> 0 and <= 1))
        {
            return $"Backbone:Quantization:MinimumCosine must be in (0, 1], not {MinimumCosine}.";
        }

        if (MinimumHeadAgreement is not (>= 0 and <= 1))
        {
            return $"Backbone:Quantization:MinimumHeadAgreement must be 0..1, not {MinimumHeadAgreement}.";
        }

        return null;
    }
}
