using System.Globalization;
using System.Text.Json;
using EdgeRuntime.TestSupport;
using EdgeRuntime.TestSupport.Images;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Browser;

/// <summary>
/// What a field technician does on a fresh device, click by click in the browser: token, classes, samples per
/// synthetic scene, training, metrics, live prediction, head history. Each step leaves a screenshot at 1280 and 375 px.
/// </summary>
internal static class CalibrationScenario
{
    /// <summary>One class per synthetic scene, named after it so the expected prediction is obvious.</summary>
    public static readonly string[] Classes = ["stripes", "blobs", "checker"];

    public const int SamplesPerClass = 5;

    public static async Task RunAsync(Uri address, string token, ITestOutputHelper output)
    {
        using var device = new DeviceProbe(address);
        using var browser = new BrowserSession("technician-calibration", output);
        var page = new CalibrationPage(browser, device);

        await page.OpenAsync(address);
        Assert.True(browser.Visible("needs-calibration-banner"), "A fresh device says it needs calibration.");
        Assert.Equal("Not calibrated", browser.Text("prediction-label"));
        page.Screenshots("fresh-device");

        // A wrong token is refused with a readable message and asked for again; the right one completes the change.
        page.RequestAddClass(Classes[0]);
        page.AnswerTokenDialog(new string('0', 64));
        browser.WaitUntil(() => browser.Visible("token-message") && browser.Text("token-message") == CalibrationPage.WrongTokenMessage,
            "the token dialog to say the token was wrong");
        Assert.Equal(CalibrationPage.WrongTokenMessage, browser.Text("error-message"));
        page.Screenshots("wrong-token");
        page.AnswerTokenDialog(token);
        page.WaitForClass(Classes[0]);
        Assert.False(browser.Visible("error-banner"), "The error goes once the right token works.");

        // The token is kept for the session: no more questions.
        page.AddClass(Classes[1]);
        page.AddClass(Classes[2]);
        Assert.False(browser.Visible("token-input"));

        foreach (var label in Classes)
        {
            await page.ShowSceneAsync(label);
            for (var i = 0; i < SamplesPerClass; i++)
            {
                await page.CaptureAsync(label);
            }
        }

        foreach (var label in Classes)
        {
            Assert.Equal(SamplesPerClass, page.Samples(label));
            browser.WaitUntil(() => page.Thumbnails(label) == SamplesPerClass, $"{SamplesPerClass} thumbnails of {label}");
        }

        // A picture from the technician's own device joins a class too.
        using (var files = new TestDirectory("edgeruntime-upload"))
        {
            var picture = files.Combine("stripes.png");
            using (var mat = SyntheticImages.Create(ImageFamily.Stripes, new Random(7)))
            {
                await File.WriteAllBytesAsync(picture, SyntheticImages.Encode(mat));
            }

            browser.Get($"upload-input-{Classes[0]}").SendKeys(picture);
            browser.WaitUntil(() => page.Samples(Classes[0]) == SamplesPerClass + 1, $"the upload to join {Classes[0]}");
            browser.WaitUntil(() => page.Thumbnails(Classes[0]) == SamplesPerClass + 1, $"the uploaded picture among the thumbnails");
        }

        Assert.True(browser.Visible("needs-calibration-banner"), "Samples alone do not calibrate the device.");
        page.Screenshots("samples-captured");

        var first = page.Train();
        Assert.Equal("activated", browser.Get("gate-outcome").GetAttribute("data-outcome"));
        Assert.NotEmpty(browser.Text("gate-reason"));
        Assert.EndsWith($"/heads/{first}/report", browser.Get("report-link").GetAttribute("href"), StringComparison.Ordinal);
        AssertMetricsShown(browser);
        page.WaitForActive(first);
        browser.WaitUntil(() => !browser.Visible("needs-calibration-banner"), "the calibration banner to go");
        page.Screenshots("trained");

        // The live prediction follows the scene in front of the camera.
        foreach (var label in Enumerable.Reverse(Classes))
        {
            await page.ShowSceneAsync(label);
            page.WaitForPrediction(label);
            Assert.Equal($"head v{first}", browser.Text("prediction-head"));
        }

        page.Screenshots("prediction-follows-scene");

        // A second head, forced through the gate, so the first one is an older head to go back to.
        browser.Get("train-force").Click();
        var second = page.Train();
        Assert.True(second > first, $"The second head v{second} is newer than v{first}.");
        Assert.Equal("activated", browser.Get("gate-outcome").GetAttribute("data-outcome"));
        page.WaitForActive(second);
        page.Screenshots("second-head");

        page.Activate(first);
        Assert.False(page.IsActive(second));
        page.Screenshots("older-head-activated");

        Assert.Equal(second, page.RollBack());
        Assert.False(page.IsActive(first));
        browser.WaitUntil(() => browser.Text("prediction-head") == $"head v{second}", "predictions from the head rolled back to");
        page.Screenshots("rolled-back");
    }

    /// <summary>Accuracy, per-class table and a drawn confusion matrix whose counts add up to the holdout samples.</summary>
    private static void AssertMetricsShown(BrowserSession browser)
    {
        Assert.EndsWith("%", browser.Text("result-accuracy"), StringComparison.Ordinal);
        foreach (var label in Classes)
        {
            Assert.True(browser.Visible($"per-class-{label}"), $"The per-class table has a row for {label}.");
        }

        var canvas = browser.Get("confusion-matrix");
        var names = JsonSerializer.Deserialize<string[]>(canvas.GetAttribute("data-classes")!)!;
        var matrix = JsonSerializer.Deserialize<int[][]>(canvas.GetAttribute("data-matrix")!)!;
        var unknown = JsonSerializer.Deserialize<int[]>(canvas.GetAttribute("data-unknown")!)!;
        Assert.Equal(Classes.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(Classes.Length, matrix.Length);
        // The new head is judged on data it did not train on: cross-validation's out-of-fold answers for every sample.
        var samples = Classes.Sum(l => int.Parse(browser.Text($"class-train-{l}"), CultureInfo.InvariantCulture)
            + int.Parse(browser.Text($"class-holdout-{l}"), CultureInfo.InvariantCulture));
        Assert.Equal(samples, matrix.Sum(row => row.Sum()) + unknown.Sum());

        // Drawn, not just described: the canvas has many differently coloured pixels.
        var colours = Convert.ToInt32(browser.Script(
            """
            const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, seen = new Set();
            for (let i = 0; i < d.length; i += 4) if (d[i + 3]) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
            return seen.size;
            """, canvas), CultureInfo.InvariantCulture);
        Assert.True(colours > 10, $"The confusion matrix canvas has only {colours} colours.");
    }
}
